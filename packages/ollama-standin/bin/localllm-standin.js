#!/usr/bin/env node
// The `localllm-standin` command. The stand-in is TypeScript compiled to dist/ by `npm run build`.
import('../dist/src/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error(
      'localllm-standin is not built yet: run `npm run build` at the repository root first.'
    )
    process.exit(1)
  }
  throw err
})
