// The app over the real engine: a local DHT testnet, the Ollama stand-in and a client on
// loopback. Start from the menu, a client shows up in the menu, and Quit tells it first.
import test from 'brittle'
import createTestnet from 'hyperdht/testnet.js'
import { ClientSession, TESTNET_SIZE } from '@localllm/core'
import { LocalLLMHost } from '@localllm/host'
import { OllamaStandin } from '@localllm/ollama-standin'
import type { ServerInfoPayload } from '@localllm/protocol'
import { Wakeup, untilHostState } from '@localllm/testing'
import { startApp } from './helpers/app.js'

async function localNetwork(t: TestContext) {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: 30 })
  const standin = new OllamaStandin({ models: ['llama3.2:latest', 'qwen3:8b'] })
  await standin.ready()
  t.teardown(() => standin.close(), { order: 20 })
  return { bootstrap: testnet.bootstrap, ollamaUrl: standin.url }
}

test('Start Server from the menu, a client connects, Quit tells it the host stopped', async (t) => {
  const net = await localNetwork(t)
  let engine: LocalLLMHost | undefined
  const { electron, menubar, userData } = await startApp(t, {
    menuRefreshMs: 5000,
    createHost: ({ configDir, log }) =>
      (engine = new LocalLLMHost({
        bootstrap: net.bootstrap,
        ollamaUrl: net.ollamaUrl,
        configDir,
        log
      }))
  })
  if (!engine) return t.fail('no engine')
  const host = engine

  const menu = await electron.tray.click()
  t.ok(menu.has('qwen3:8b'), "Ollama's models are in the menu")
  menu.item('Start Server').click()
  await menubar.idle()
  t.is(host.state.status, 'ready')
  t.ok(host.state.serverId, 'a Server ID')
  t.ok(electron.tray.tooltip.startsWith('LocalLLM: Ready · llama3.2:latest'))

  const infos: ServerInfoPayload[] = []
  const heard = new Wakeup()
  const session = new ClientSession({
    code: host.state.serverId as string,
    bootstrap: net.bootstrap
  })
  t.teardown(() => session.close(), { order: 0 })
  session.on('info', (info) => {
    infos.push(info)
    heard.wake()
  })
  await session.open()
  await heard.until(
    () => infos.find((i) => i.status === 'ready'),
    15_000,
    () => new Error('the client never heard ready')
  )
  await untilHostState(host, (s) => s.clients === 1, 'one client')
  t.ok((await electron.tray.click()).has('Clients Connected: 1'), 'the client is counted')

  ;(await electron.tray.click()).item('Quit LocalLLM').click()
  await electron.until(() => electron.ended, 'the app ended', 10_000)
  t.is(infos.at(-1)?.status, 'stopped', 'the client heard server_info stopped before the app ended')
  t.is(host.state.status, 'stopped')
  t.ok(userData, 'identity and settings live in the app-data folder')
})
