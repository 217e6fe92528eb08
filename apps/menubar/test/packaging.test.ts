// The macOS app as shipped, checked without a Mac: `electron-builder --mac --dir` over a
// stand-in Electron.app, offline; then the bundle's Info.plist, what app.asar holds and what
// is unpacked beside it, and the app itself run out of its extracted app.asar under Node
// with a stand-in for Electron. (The .dmg, signing and the real Electron need macOS.)
import test from 'brittle'
import { extractAll, extractFile } from '@electron/asar'
import { spawn } from 'node:child_process'
import { access, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse as parsePlist } from 'plist'
import { OllamaStandin } from '@localllm/ollama-standin'
import { parsePairingCode } from '@localllm/protocol'
import { tempDir } from '@localllm/testing'
import type { PackagedRun } from './helpers/packaged-electron.js'
import { PACKAGE_DIR, ROOT, packagedApp, type PackagedApp } from './helpers/packaged-app.js'

/** The app, or a failed test with electron-builder's output. */
async function built(t: TestContext): Promise<PackagedApp> {
  t.timeout(180_000) // the first caller waits for electron-builder: 30 s, more on a busy machine
  const app = await packagedApp()
  if (app.code !== 0) t.comment(app.output)
  t.is(app.code, 0, 'electron-builder --mac --dir succeeded offline')
  return app
}

/** Every file under `dir`, relative to it, with forward slashes. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
}

test('LocalLLM.app: an agent app (no Dock icon) with its bundle id, name and icon', async (t) => {
  const { contents } = await built(t)
  const info = parsePlist(await readFile(join(contents, 'Info.plist'), 'utf8')) as Record<
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
  await access(join(contents, 'MacOS', 'LocalLLM'))
  await access(join(contents, 'Resources', 'icon.icns'))
})

test('the ESM entry: package.json names it, says "type": "module", and both are in app.asar', async (t) => {
  const { asar, entries } = await built(t)
  const pkg = JSON.parse(extractText(asar, 'package.json')) as { main: string; type: string }
  t.is(pkg.main, 'dist/src/electron-entry.js')
  t.is(pkg.type, 'module', 'Electron loads the entry with its ESM loader')
  for (const file of ['package.json', pkg.main, 'dist/src/main.js', 'dist/src/preload.cjs']) {
    const entry = entries.find((e) => e.path === file)
    t.ok(entry && !entry.unpacked, `${file} is inside app.asar`)
  }
  t.absent(
    entries.some((e) => e.path.startsWith('node_modules/electron/')),
    'Electron itself is not bundled'
  )
  const leftovers = entries.filter(
    (e) =>
      /(^|\/)dist\/test\//.test(e.path) ||
      /\.(map|tsbuildinfo)$/.test(e.path) ||
      /^node_modules\/@localllm\/[^/]+\/tsconfig\.json$/.test(e.path)
  )
  t.alike(
    leftovers.map((e) => e.path),
    [],
    'no compiled tests, source maps or build files'
  )
})

test('every file the engine, protocol and core compile to is inside (device registry, control socket, CLI…)', async (t) => {
  const { entries } = await built(t)
  const inside = new Set(entries.map((e) => e.path))
  const workspaces: Array<[string, string]> = [
    ['@localllm/host', 'apps/host'],
    ['@localllm/protocol', 'packages/protocol'],
    ['@localllm/core', 'packages/core']
  ]
  for (const [name, dir] of workspaces) {
    const compiled = (await filesUnder(join(ROOT, dir, 'dist', 'src'))).filter((f) =>
      f.endsWith('.js')
    )
    const missing = compiled.filter((f) => !inside.has(`node_modules/${name}/dist/src/${f}`))
    t.alike(missing, [], `${name}: all ${compiled.length} compiled files are in app.asar`)
  }
  for (const file of ['device-registry.js', 'control-socket.js', 'cli/devices-command.js']) {
    t.ok(inside.has(`node_modules/@localllm/host/dist/src/${file}`), `the engine's ${file}`)
  }
})

test('native addons are unpacked beside app.asar, macOS builds only; nothing native stays inside', async (t) => {
  const { entries, unpackedDir } = await built(t)
  const natives = entries.filter((e) => e.path.endsWith('.node'))
  t.alike(
    natives.filter((e) => !e.unpacked).map((e) => e.path),
    [],
    'no .node file inside the archive (it cannot be loaded from there)'
  )
  const addons = [...new Set(natives.map((e) => e.path.split('/prebuilds/')[0]))].sort()
  t.alike(addons, ['node_modules/sodium-native', 'node_modules/udx-native'], 'the two addons')
  for (const addon of addons) {
    const platforms = await readdir(join(unpackedDir, addon as string, 'prebuilds'))
    t.alike(platforms.sort(), ['darwin-arm64', 'darwin-x64'], `${addon}: macOS builds only`)
  }
})

test('the pages are inside, with every script and style they load: QR, relay, name, logs', async (t) => {
  const { asar, entries } = await built(t)
  const inside = new Set(entries.map((e) => e.path))
  for (const page of ['qr.html', 'relay.html', 'name.html', 'logs.html']) {
    t.ok(inside.has(`static/${page}`), `static/${page}`)
    const html = extractText(asar, `static/${page}`)
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => `static/${m[1]}`)
    t.alike(
      loaded.filter((f) => !inside.has(f)),
      [],
      `${page} loads ${loaded.length} files, all there`
    )
  }
})

test('the packaged app runs from its extracted app.asar: Devices, Remove…, the QR window and Relay…', async (t) => {
  const { asar } = await built(t)
  const dir = await tempDir(t, 'localllm-packaged-run-')
  const app = join(dir, 'app')
  extractAll(asar, app) // unpacked files come from app.asar.unpacked, as Electron reads them
  // This machine's builds of the addons, which the Mac bundle leaves out; nothing else added.
  const host = `${process.platform}-${process.arch}`
  for (const addon of ['sodium-native', 'udx-native']) {
    await cp(
      join(ROOT, 'node_modules', addon, 'prebuilds', host),
      join(app, 'node_modules', addon, 'prebuilds', host),
      { recursive: true }
    )
  }
  // Electron's built-in `electron` module, played by the fake.
  const fake = pathToFileURL(join(PACKAGE_DIR, 'dist/test/helpers/packaged-electron.js')).href
  await mkdir(join(app, 'node_modules', 'electron'))
  await writeFile(
    join(app, 'node_modules', 'electron', 'package.json'),
    '{ "name": "electron", "type": "module", "main": "index.js" }\n'
  )
  await writeFile(
    join(app, 'node_modules', 'electron', 'index.js'),
    `export { default } from '${fake}'\n`
  )
  const userData = join(dir, 'LocalLLM')
  await mkdir(userData)
  const ana = 'a1'.repeat(32)
  await writeFile(
    join(userData, 'devices.json'),
    JSON.stringify({
      version: 1,
      devices: [{ key: ana, name: 'Ana’s iPhone', first_seen: 1, last_seen: Date.now() }],
      removed: []
    })
  )
  const standin = new OllamaStandin({ models: ['llama3.2:latest'] })
  await standin.ready()
  t.teardown(() => standin.close())

  const { code, stdout } = await runNode([join(app, 'dist/src/electron-entry.js')], {
    LOCALLLM_FAKE_USER_DATA: userData,
    LOCALLLM_FAKE_LOGS: join(dir, 'Logs'),
    OLLAMA_HOST: standin.url
  })
  const line = stdout.split('\n').find((l) => l.startsWith('PACKAGED-APP'))
  if (code !== 0 || !line?.startsWith('PACKAGED-APP {')) t.comment(stdout)
  t.is(code, 0, 'the entry and everything it imports loaded from the extracted bundle')
  const run = JSON.parse(line?.slice('PACKAGED-APP '.length) ?? '{}') as PackagedRun

  t.ok(run.menu.includes('Relay…'), 'the menu has Relay…')
  const devices = run.menu.find((m) => typeof m === 'object' && m !== null && 'Devices' in m) as
    { Devices: unknown[] } | undefined
  t.alike(
    devices?.Devices.map((d) => Object.keys(d as object)[0]),
    ['Ana’s iPhone — last seen just now'],
    'Devices lists the paired device while the server is stopped'
  )
  t.alike(run.dialogs, ['Remove “Ana’s iPhone”?'], 'Remove… asked first')
  const stored = JSON.parse(await readFile(join(userData, 'devices.json'), 'utf8')) as {
    devices: unknown[]
    removed: Array<{ key: string }>
  }
  t.is(stored.devices.length, 0, 'and removed it')
  t.is(stored.removed[0]?.key, ana)

  t.ok(run.qr?.svg.startsWith('<svg'), 'the QR window got its code')
  t.ok(parsePairingCode(run.qr?.serverId ?? '').ok, 'of a valid Server ID')
  t.ok(run.relayChecked, 'Relay… is checked once a relay is saved')
  const hostJson = JSON.parse(await readFile(join(userData, 'host.json'), 'utf8')) as {
    relay?: string
  }
  t.is(hostJson.relay, 'aa'.repeat(32), 'the relay is saved in host.json')
  t.alike(
    run.pages.map((p) => relative(app, p)).sort(),
    ['static/logs.html', 'static/name.html', 'static/qr.html', 'static/relay.html'],
    'every window loaded its page from the bundle'
  )
})

/** A text file from inside app.asar. */
function extractText(asar: string, file: string): string {
  return extractFile(asar, file).toString('utf8')
}

function runNode(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout })
    })
  })
}
