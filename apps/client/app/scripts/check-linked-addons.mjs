// Checks that the phone will have every native addon the worklet bundle loads. The bundle
// names them as `linked:sodium-native.5.1.0.framework` (iOS) or `linked:libsodium-native.5.1.0.so`
// (Android), resolved from the repository root's node_modules when it is packed; the app gets
// them from react-native-bare-kit, whose pod and Gradle steps link the addons bare-link finds
// by walking this folder's package.json dependencies, at whatever versions are installed here.
// An addon only the worklet depends on is missing from the app, and the worklet fails at start.
//
//   node scripts/check-linked-addons.mjs     # after scripts/build-worklet.mjs; exit 1 names what is missing

/* eslint-disable no-restricted-imports -- a Node build script; it never runs under Bare */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
// bare-link's own walk (the one react-native-bare-kit runs), by path: its exports hide it.
const dependencies = require(join(app, 'node_modules/bare-link/lib/dependencies.js'))

const LINKED = /linked:(?:lib)?([A-Za-z0-9_.+-]+?)\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.(?:framework|so)\b/g

const wanted = new Set()
for (const platform of ['ios', 'android']) {
  const bundle = readFileSync(join(app, `dist/worklet/app.${platform}.bundle.mjs`), 'utf8')
  for (const [, name, version] of bundle.matchAll(LINKED)) wanted.add(`${name}@${version}`)
}

const linked = new Set()
const visited = new Set()
async function walk(base, pkg) {
  if (visited.has(base)) return
  visited.add(base)
  if (pkg.addon === true) linked.add(`${pkg.name.replace(/\//g, '__').replace(/^@/, '')}@${pkg.version}`)
  for await (const dependency of dependencies(base, pkg)) {
    await walk(fileURLToPath(dependency.url).replace(/\/$/, ''), dependency.pkg)
  }
}
await walk(app, JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')))

const missing = [...wanted].filter((addon) => !linked.has(addon))
if (missing.length > 0) {
  console.error(
    `The worklet loads native addons the app does not link: ${missing.join(', ')}.\n` +
      'Add each to this package.json\'s "dependencies" at exactly that version (the one in the ' +
      "repository root's package-lock.json), so react-native-bare-kit links it into the app."
  )
  process.exit(1)
}
console.log(`linked addons: the app links all ${wanted.size} the worklet loads (${[...wanted].join(', ')})`)
