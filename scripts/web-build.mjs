// The iPhone app's web build (apps/client/app/dist/web), which the web preview serves and
// `npm test` drives in Chromium: made with `expo export --platform web` when it is missing
// or older than the app's sources (or the worklet and protocol code the app imports).
// Needs the npm registry the first time (apps/client/app is its own npm project), so it
// runs before anything enters the loopback-only namespace.
//
//   import { buildWebIfStale } from './web-build.mjs'
//   buildWebIfStale()                  // { ok: true, built: true|false, dir } or { ok: false, error }
//   buildWebIfStale({ force: true })
//   $ node scripts/web-build.mjs       # the same, exit 1 with the reason (the web suite's `npm test`)

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const app = join(root, 'apps/client/app')
export const WEB_BUILD = join(app, 'dist/web')

const SOURCES = [
  join(app, 'src'),
  join(app, 'assets'),
  join(app, 'app.json'),
  join(app, 'package.json'),
  join(app, 'package-lock.json'),
  join(app, 'metro.config.js'),
  join(app, 'babel.config.js'),
  join(root, 'apps/client/worklet/dist/src'),
  join(root, 'packages/protocol/dist/src')
]

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = buildWebIfStale()
  if (!build.ok) {
    console.error(build.error)
    process.exit(1)
  }
}

export function buildWebIfStale({ force = false } = {}) {
  const index = join(WEB_BUILD, 'index.html')
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0
  if (!force && builtAt > 0 && SOURCES.every((p) => newest(p) <= builtAt)) {
    return { ok: true, built: false, dir: WEB_BUILD }
  }
  const run = (command, args) => {
    console.log(`$ ${command} ${args.join(' ')}   (in apps/client/app)`)
    const result = spawnSync(command, args, {
      cwd: app,
      stdio: 'inherit',
      env: { ...process.env, EXPO_OFFLINE: '1', EXPO_NO_TELEMETRY: '1', CI: '1' }
    })
    return result.status === 0
      ? undefined
      : `the app's web build failed: \`${command} ${args.join(' ')}\` exited ${result.status ?? result.error?.message}`
  }
  const installed = existsSync(join(app, 'node_modules/.bin/expo'))
  const error =
    (installed ? undefined : run('npm', ['install', '--no-audit', '--no-fund'])) ??
    run('npx', ['expo', 'export', '--platform', 'web', '--output-dir', 'dist/web'])
  return error ? { ok: false, error } : { ok: true, built: true, dir: WEB_BUILD }
}

/** The newest modification time of a file, or of any file under a folder (0 if absent). */
function newest(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}
