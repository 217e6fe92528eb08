// Packs the Bare worklet (apps/client/worklet, compiled by the repo's `tsc -b`) into the
// bundles the app starts with react-native-bare-kit: `node scripts/build-worklet.mjs`
// writes dist/worklet/app.ios.bundle.mjs and dist/worklet/app.android.bundle.mjs.
// `--preset ios|android` resolves native addons as `linked:` specifiers (iOS frameworks,
// Android .so libraries) that bare-kit links into the app; Metro then inlines the
// platform's bundle as a string (src/worklet/bundle.ts, src/worklet/bundle.android.ts).

/* eslint-disable no-restricted-imports -- a Node build script; it never runs under Bare */
import { execFileSync } from 'node:child_process'
import { mkdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(app, '../../..')
const entry = join(app, '../worklet/dist/src/worklet.js')

for (const platform of ['ios', 'android']) {
  const out = join(app, `dist/worklet/app.${platform}.bundle.mjs`)
  mkdirSync(dirname(out), { recursive: true })
  execFileSync(
    join(app, 'node_modules/.bin/bare-pack'),
    ['--preset', platform, '--base', root, '--format', 'bundle.mjs', '--out', out, entry],
    { stdio: 'inherit' }
  )
  console.log(`worklet bundle (${platform}): ${statSync(out).size} bytes -> ${out}`)
}
