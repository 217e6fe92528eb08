// The macOS packaging config, checked without a Mac: `electron-builder --mac --dir` over a
// stand-in Electron.app, offline, then the produced bundle's Info.plist and contents.
// (Building the .dmg and signing need macOS; see the README.)
import test from 'brittle'
import { spawn } from 'node:child_process'
import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parsePlist } from 'plist'
import { writeAppIcon } from '../src/app-icon.js'
import { asarFiles, electronSkeleton } from './helpers/electron-skeleton.js'
import { tempDir } from '@localllm/testing'

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url))
const ROOT = join(PACKAGE, '..', '..')
const BUILDER = join(ROOT, 'node_modules', 'electron-builder', 'cli.js')

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILDER, ...args], {
      cwd: PACKAGE,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, // it would ask the npm registry
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('close', (code) => resolve({ code, output }))
  })
}

test('electron-builder --mac --dir makes LocalLLM.app: agent app, bundle id, name, contents', async (t) => {
  const dir = await tempDir(t, 'localllm-package-')
  const electronDist = await electronSkeleton(join(dir, 'electron'))
  await writeAppIcon(join(dir, 'resources', 'icon.icns'))
  const output = join(dir, 'release')

  const result = await run([
    '--mac',
    '--dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${output}`,
    `-c.directories.buildResources=${join(dir, 'resources')}`
  ])
  if (result.code !== 0) t.comment(result.output)
  t.is(result.code, 0, 'electron-builder succeeded offline')

  const [macDir] = (await readdir(output)).filter((d) => d.startsWith('mac'))
  const app = join(output, macDir ?? 'mac', 'LocalLLM.app', 'Contents')
  const info = parsePlist(await readFile(join(app, 'Info.plist'), 'utf8')) as Record<
    string,
    unknown
  >
  t.is(info.LSUIElement, true, 'LSUIElement: no Dock icon')
  t.is(info.CFBundleIdentifier, 'app.localllm.host')
  t.is(info.CFBundleName, 'LocalLLM')
  t.is(info.CFBundleDisplayName, 'LocalLLM')
  t.is(info.LSApplicationCategoryType, 'public.app-category.developer-tools')
  t.is(info.CFBundleIconFile, 'icon.icns')
  t.is(info.CFBundleExecutable, 'LocalLLM')
  await access(join(app, 'MacOS', 'LocalLLM'))
  await access(join(app, 'Resources', 'icon.icns'))

  const files = asarFiles(await readFile(join(app, 'Resources', 'app.asar')))
  for (const file of [
    'package.json',
    'dist/src/electron-entry.js',
    'dist/src/preload.cjs',
    'static/qr.html',
    'static/qr.js',
    'node_modules/@localllm/host/dist/src/index.js',
    'node_modules/qrcode/package.json'
  ]) {
    t.ok(files.includes(file), `app.asar has ${file}`)
  }
  t.absent(
    files.some((f) => /(^|\/)dist\/test\//.test(f)),
    'no compiled tests inside'
  )
  t.absent(
    files.some((f) => f.startsWith('node_modules/electron/')),
    'Electron itself is not bundled'
  )

  // Native addons cannot load from inside the archive: they are unpacked beside it.
  const unpacked = join(app, 'Resources', 'app.asar.unpacked', 'node_modules')
  for (const addon of ['sodium-native', 'udx-native']) {
    const platforms = await readdir(join(unpacked, addon, 'prebuilds'))
    t.alike(platforms.sort(), ['darwin-arm64', 'darwin-x64'], `${addon}: macOS builds only`)
  }
  const pkg = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8')) as { main: string }
  t.is(pkg.main, 'dist/src/electron-entry.js')
})
