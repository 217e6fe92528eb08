// The app over the real engine: a local DHT testnet, the Ollama stand-in and phones
// (ClientSession) on loopback. Start from the menu, a phone shows up in the menu and in
// Devices, Remove… drops it and the QR window follows, the relay is saved, Quit tells first.
import test from 'brittle'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import createTestnet from 'hyperdht/testnet.js'
import type { BootstrapNode } from 'hyperdht'
import { ClientSession, TESTNET_SIZE } from '@localllm/core'
import { LocalLLMHost } from '@localllm/host'
import { OllamaStandin } from '@localllm/ollama-standin'
import type { ProtocolError, ServerInfoPayload } from '@localllm/protocol'
import { Wakeup, untilHostState } from '@localllm/testing'
import { startApp, type StartedApp } from './helpers/app.js'

interface AppOnNetwork extends StartedApp {
  engine: LocalLLMHost
  bootstrap: BootstrapNode[]
}

/** The app over a real engine, a testnet and the stand-in; not started yet. */
async function appOnNetwork(t: TestContext): Promise<AppOnNetwork> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: 30 })
  const standin = new OllamaStandin({ models: ['llama3.2:latest', 'qwen3:8b'] })
  await standin.ready()
  t.teardown(() => standin.close(), { order: 20 })
  let engine: LocalLLMHost | undefined
  const app = await startApp(t, {
    menuRefreshMs: 5000,
    createHost: ({ configDir, log }) =>
      (engine = new LocalLLMHost({
        bootstrap: testnet.bootstrap,
        ollamaUrl: standin.url,
        configDir,
        log
      }))
  })
  if (!engine) throw new Error('no engine')
  return { ...app, engine, bootstrap: testnet.bootstrap }
}

async function startFromMenu(app: AppOnNetwork): Promise<void> {
  ;(await app.electron.tray.click()).item('Start Server').click()
  await untilHostState(app.engine, (s) => s.status === 'ready', 'ready', 15_000)
}

/**
 * A phone that connects with the code the host shows now, named `name`; `until()` waits on
 * what its session hears (server_info, errors).
 */
async function phone(t: TestContext, app: AppOnNetwork, name: string) {
  const infos: ServerInfoPayload[] = []
  const errors: ProtocolError[] = []
  const heard = new Wakeup()
  const until = (check: () => boolean, what: string, timeoutMs = 15_000) =>
    heard.until(
      () => check() || undefined,
      timeoutMs,
      () => new Error(`${name} never heard ${what}`)
    )
  const session = new ClientSession({
    code: app.engine.state.serverId as string,
    bootstrap: app.bootstrap,
    client: { name }
  })
  t.teardown(() => session.close(), { order: 0 })
  session.on('info', (info) => {
    infos.push(info)
    heard.wake()
  })
  session.on('connect-error', (error) => {
    errors.push(error)
    heard.wake()
  })
  await session.open()
  await until(() => infos.some((i) => i.status === 'ready'), 'ready')
  return { session, infos, errors, until }
}

test('Start Server from the menu, a client connects, Quit tells it the host stopped', async (t) => {
  const app = await appOnNetwork(t)
  const { electron, engine: host } = app
  const menu = await electron.tray.click()
  t.ok(menu.has('qwen3:8b'), "Ollama's models are in the menu")
  await startFromMenu(app)
  t.ok(host.state.serverId, 'a Server ID')
  t.ok(electron.tray.tooltip.startsWith('LocalLLM: Ready · llama3.2:latest'))

  const { infos } = await phone(t, app, 'Ana’s iPhone')
  await untilHostState(host, (s) => s.clients === 1, 'one client')
  t.ok((await electron.tray.click()).has('Clients Connected: 1'), 'the client is counted')

  ;(await electron.tray.click()).item('Quit LocalLLM').click()
  await electron.until(() => electron.ended, 'the app ended', 10_000)
  t.is(infos.at(-1)?.status, 'stopped', 'the client heard server_info stopped before the app ended')
  t.is(host.state.status, 'stopped')
})

test('a phone shows up in Devices; Remove… drops it and the QR window shows the new code', async (t) => {
  const app = await appOnNetwork(t)
  const { electron, engine: host } = app
  await startFromMenu(app)
  const ana = await phone(t, app, 'Ana’s iPhone')
  const ben = await phone(t, app, 'Ben’s iPad')
  await untilHostState(host, (s) => s.clients === 2, 'two clients')
  const menu = await electron.tray.click()
  t.ok(menu.has('Ana’s iPhone — connected'), 'Ana is in Devices, connected')
  t.ok(menu.has('Ben’s iPad — connected'), 'and Ben')

  ;(await electron.tray.click()).item('Show QR Code…').click()
  await electron.until(
    () => (electron.window('qr.html')?.webContents.views.length ?? 0) > 0,
    'the QR page got its view'
  )
  const qr = electron.window('qr.html')
  if (!qr) return t.fail('no QR window')
  const oldCode = host.state.serverId

  electron.dialogResponse = 0 // Remove
  const row = (await electron.tray.click()).item('Ana’s iPhone — connected')
  row.submenu?.find((i) => i.label === 'Remove…')?.click?.()
  await ana.until(() => ana.errors.some((e) => e.code === 'DEVICE_REMOVED'), 'DEVICE_REMOVED')
  t.pass('Ana’s phone was told DEVICE_REMOVED')
  t.not(host.state.serverId, oldCode, 'the Server ID changed')
  await electron.until(
    () => (qr.webContents.views.at(-1) as { serverId?: string }).serverId === host.state.serverId,
    'the new code in the open QR window'
  )
  t.pass('the open QR window shows the new code')
  await untilHostState(host, (s) => s.clients === 1, 'one client')
  const after = await electron.tray.click()
  t.absent(after.has(/^Ana’s iPhone/), 'Ana is gone from Devices')
  t.ok(after.has('Ben’s iPad — connected'), 'Ben is still connected')
  t.is(ben.session.status, 'connected', 'and his session never dropped')
})

test('Relay… on the real engine: saved in host.json, the server restarts, phones hear it', async (t) => {
  const app = await appOnNetwork(t)
  const { electron, engine: host, userData } = app
  await startFromMenu(app)
  const ana = await phone(t, app, 'Ana’s iPhone')

  ;(await electron.tray.click()).item('Relay…').click()
  await electron.until(
    () => (electron.window('relay.html')?.webContents.views.length ?? 0) > 0,
    'the relay page got its view'
  )
  const win = electron.window('relay.html')
  if (!win) return t.fail('no relay window')
  electron.pageAction(win, 'save', 'ikikikikikikikikikikikikikikikikikikikikikikikikikiy')
  await untilHostState(host, (s) => s.relay === 'aa'.repeat(32), 'the relay set')
  const stored = JSON.parse(await readFile(join(userData, 'host.json'), 'utf8')) as {
    relay?: string
  }
  t.is(stored.relay, 'aa'.repeat(32), 'saved in host.json, in the app-data folder')
  await ana.until(() => ana.infos.some((i) => i.relay === 'aa'.repeat(32)), 'the relay')
  t.pass('the phone reconnected and heard the relay in server_info')
  t.ok(
    ana.infos.some((i) => i.status === 'stopped'),
    'the server restarted on it'
  )
  t.is((await electron.tray.click()).item('Relay…').checked, true)
})
