// ESLint: typescript-eslint's type-aware recommended rules on every package's sources;
// formatting is Prettier's job (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

export default tseslint.config(
  {
    // The Expo app has its own toolchain and checks (apps/client/app/ci.sh).
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'apps/client/app/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // brittle's test() returns a promise that its runner awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: 'brittle' }] }
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'Not in code that must run under Bare.' }] }
      ]
    }
  },
  {
    // Only the Node-side apps and tools may use Node built-ins.
    files: [
      'apps/host/**',
      'apps/menubar/**',
      'apps/client/worklet/test/**',
      'apps/client/web/**',
      'packages/ollama-standin/**',
      'packages/testing/**',
      'reliability/**',
      'scripts/**',
      '**/bench/**'
    ],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    // Test code stays out of the product: a product package's src/ never imports it.
    files: ['apps/**/src/**', 'packages/*/src/**'],
    ignores: ['packages/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@localllm/testing', message: 'Test code: only tests and harnesses use it.' }
          ]
        }
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'any',
          message:
            'Leaks with a long-lived signal on Node 20 (nodejs/node#55351): add an abort listener and remove it when done.'
        }
      ]
    }
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } }
  },
  prettier
)
