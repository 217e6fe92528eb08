// Packs the Bare worklet (apps/client/worklet, compiled by the repo's `tsc -b`) into the
// bundle the app starts with react-native-bare-kit: `node scripts/build-worklet.mjs`.
// `--preset ios` resolves native addons as `linked:` frameworks, which bare-kit's podspec
// links into the app; Metro then inlines the bundle as a string (src/worklet/bundle.ts).

/* eslint-disable no-restricted-imports -- a Node build script; it never runs under Bare */
import { execFileSync } from 'node:child_process'
import { mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(app, '../../..')
const entry = join(app, '../worklet/dist/src/worklet.js')
const out = join(app, 'dist/worklet/app.ios.bundle.mjs')

mkdirSync(dirname(out), { recursive: true })
execFileSync(
  join(app, 'node_modules/.bin/bare-pack'),
  ['--preset', 'ios', '--base', root, '--format', 'bundle.mjs', '--out', out, entry],
  { stdio: 'inherit' }
)
console.log(`worklet bundle (ios): ${statSync(out).size} bytes -> ${out}`)
