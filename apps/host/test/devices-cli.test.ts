// `localllm devices` as the host's owner uses it: against a running host (through its
// owner-only control socket) and against a stopped one (its files), and what the phone and
// the host's own output see.
import test from 'brittle'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import createTestnet from 'hyperdht/testnet.js'
import { OllamaStandin } from '@localllm/ollama-standin'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { WirePeer, runCli, spawnCli, tempDir } from '@localllm/testing'
import type { BootstrapNode } from 'hyperdht'

interface Net {
  bootstrap: BootstrapNode[]
  ollamaUrl: string
}

async function localNetwork(t: TestContext): Promise<Net> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: Infinity })
  const ollama = new OllamaStandin({})
  await ollama.ready()
  t.teardown(() => ollama.close(), { order: 100 })
  return { bootstrap: testnet.bootstrap, ollamaUrl: ollama.url }
}

function startHost(t: TestContext, net: Net, configDir: string) {
  return spawnCli(t, [
    'host',
    '--bootstrap',
    formatBootstrap(net.bootstrap),
    '--ollama',
    net.ollamaUrl,
    '--config-dir',
    configDir,
    '--json'
  ])
}

async function phone(
  t: TestContext,
  net: Net,
  code: string,
  name: string,
  keyPair?: WirePeer['keyPair']
) {
  const peer = await WirePeer.join({
    bootstrap: net.bootstrap,
    code,
    name,
    ...(keyPair ? { keyPair, waitForInfo: false } : {})
  })
  t.teardown(() => peer.close(), { order: -200 })
  return peer
}

/** A host on its own testnet with one phone paired and connected. */
async function hostWithPhone(t: TestContext, name: string) {
  const net = await localNetwork(t)
  const configDir = await tempDir(t)
  const host = startHost(t, net, configDir)
  const started = await host.waitForJson((e) => e.event === 'started')
  const device = await phone(t, net, String(started.server_id), name)
  await host.waitForJson((e) => e.event === 'state' && e.clients === 1)
  return { net, configDir, host, started, device }
}

test('devices: listed and removed while the host runs; the phone is told, the host prints the new code', async (t) => {
  const { configDir, host, started, device: ana } = await hostWithPhone(t, 'Ana’s iPhone')

  const list = await runCli(['devices', '--json', '--config-dir', configDir])
  t.is(list.code, 0)
  const listed = JSON.parse(list.stdout) as {
    running: boolean
    devices: Array<{ id: string; name: string; connected: boolean }>
  }
  t.is(listed.running, true, 'asked the running host')
  t.alike(
    listed.devices.map((d) => [d.name, d.connected]),
    [['Ana’s iPhone', true]]
  )
  const human = await runCli(['devices', '--config-dir', configDir])
  t.ok(
    human.stdout.includes('Ana’s iPhone') && human.stdout.includes('connected now'),
    human.stdout
  )

  const removed = await runCli(['devices', 'remove', 'ana’s iphone', '--config-dir', configDir])
  t.is(removed.code, 0, removed.stderr)
  t.ok(removed.stdout.includes('Server ID changed'), removed.stdout)
  const told = await ana.waitFor((m) => m.type === 'error')
  t.is(told.type === 'error' && told.payload.code, 'DEVICE_REMOVED', 'the phone is told at once')
  const changed = await host.waitForJson((e) => e.event === 'server_id_changed')
  t.not(changed.server_id, started.server_id, 'the host printed its new Server ID')

  const none = await runCli(['devices', 'remove', 'nobody', '--config-dir', configDir])
  t.is(none.code, 1)
  t.ok(none.stderr.includes('no paired device matches "nobody"'), none.stderr)

  const sock = await stat(join(configDir, 'control.sock'))
  t.is(sock.mode & 0o777, 0o600, 'the control socket is the owner’s only')
  t.is((await stat(configDir)).mode & 0o777, 0o700, 'in a folder only the owner can open')
})

test('devices: with the host stopped, listed and removed from its files; refused once it runs', async (t) => {
  const { net, configDir, host, started, device: ben } = await hostWithPhone(t, 'Ben')
  host.signal('SIGINT')
  await host.exited()

  const list = await runCli(['devices', '--json', '--config-dir', configDir])
  const listed = JSON.parse(list.stdout) as { running: boolean; devices: Array<{ name: string }> }
  t.is(listed.running, false, 'read from the files')
  t.alike(
    listed.devices.map((d) => d.name),
    ['Ben']
  )
  const removed = await runCli(['devices', 'remove', 'Ben', '--config-dir', configDir])
  t.is(removed.code, 0, removed.stderr)

  const again = startHost(t, net, configDir)
  const restarted = await again.waitForJson((e) => e.event === 'started')
  t.not(restarted.server_id, started.server_id, 'the code changed with the removal')
  const back = await phone(t, net, String(started.server_id), 'Ben', ben.keyPair)
  await back.waitClosed(10000)
  t.is(back.refusal, 'DEVICE_REMOVED')
})

test('a second host on the same config folder refuses to start', async (t) => {
  const net = await localNetwork(t)
  const configDir = await tempDir(t)
  const first = startHost(t, net, configDir)
  await first.waitForJson((e) => e.event === 'started')
  const second = startHost(t, net, configDir)
  const exit = await second.exited()
  t.is(exit.code, 1)
  t.ok(second.stderr.includes('another LocalLLM host is already running'), second.stderr)
  t.ok(first.running, 'the first keeps running')
})

test('the terminal status line names the connected devices, and "Stopped." gets its own line', async (t) => {
  const net = await localNetwork(t)
  const configDir = await tempDir(t)
  const host = spawnCli(t, [
    'host',
    '--bootstrap',
    formatBootstrap(net.bootstrap),
    '--ollama',
    net.ollamaUrl,
    '--config-dir',
    configDir
  ])
  const code = (await host.waitForLine((line) => line.startsWith('Server ID'))).split(/\s+/)[2]
  await phone(t, net, String(code), 'Cara')
  const line = await host.waitForLine((l) => l.includes('1 connected'))
  t.ok(line.includes('(Cara)'), line)
  host.signal('SIGINT')
  await host.exited()
  const lines = host.output.split('\n')
  t.ok(lines.includes('Stopped.'), 'on a line of its own')
})
