// The `localllm` command as a user runs it: separate processes, real output, real signals.
import test from 'brittle'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import createTestnet from 'hyperdht/testnet.js'
import { OllamaStandin, type StandinOptions } from '@localllm/ollama-standin'
import { TESTNET_SIZE, formatBootstrap, parseBootstrap } from '@localllm/core'
import type { BootstrapNode } from 'hyperdht'
import { STANDIN_BIN, WirePeer, runCli, spawnCli, tempDir } from '@localllm/testing'

const HOST_FLAGS = [
  '--model',
  '--name',
  '--ollama',
  '--bootstrap',
  '--relay',
  '--max-reply-tokens',
  '--max-reply-seconds',
  '--json',
  '--log-level',
  '--config-dir',
  '--relay'
]

test('the README flow: testnet, stand-in and host in their own processes serve a client, and Ctrl-C stops the host cleanly', async (t) => {
  const testnet = spawnCli(t, ['testnet', '--json'])
  const standin = spawnCli(t, ['--port', '0', '--json', '--reply', 'Hello from the README flow.'], {
    bin: STANDIN_BIN
  })
  const ready = await testnet.waitForJson((e) => e.event === 'ready')
  t.alike(testnet.json()[0], ready, 'the testnet prints its bootstrap address first')
  t.ok(/^127\.0\.0\.1:\d+$/.test(String(ready.bootstrap)), `bootstrap ${String(ready.bootstrap)}`)
  const listening = await standin.waitForJson((e) => e.event === 'listening')
  t.alike(standin.json()[0], listening, 'the stand-in prints where it listens first')
  t.ok(/^http:\/\/127\.0\.0\.1:\d+$/.test(String(listening.url)), `url ${String(listening.url)}`)

  const host = spawnCli(t, [
    'host',
    '--bootstrap',
    String(ready.bootstrap),
    '--ollama',
    String(listening.url),
    '--json',
    '--config-dir',
    await tempDir(t),
    '--name',
    'CLI Host'
  ])
  const started = await host.waitForJson((e) => e.event === 'started')
  t.alike(host.json()[0], started, 'the first JSON line carries the Server ID')

  const client = await connectTo(t, String(ready.bootstrap), String(started.server_id))
  t.is(client.serverInfos, 1, 'the client found the host and was paired')
  t.is(client.info?.host_name, 'CLI Host')
  const reply = await client.chat('Hello?')
  t.is(reply.terminal.type, 'chat_end')
  t.is(reply.text, 'Hello from the README flow.')
  t.ok(reply.chunks.length > 1, `${reply.chunks.length} chunks streamed`)

  const interruptedAt = Date.now()
  host.signal('SIGINT')
  const stopped = await client.waitFor(
    (m) => m.type === 'server_info' && m.payload.status === 'stopped'
  )
  t.ok(stopped, 'the client is told the host stopped')
  const exit = await host.exited(2000)
  t.comment(`Ctrl-C → exit: ${Date.now() - interruptedAt} ms`)
  t.is(exit.code, 0, 'exit code 0 within 2 s')
  t.ok(
    host.json().some((e) => e.event === 'stopped'),
    'a clean stop, not the 2 s watchdog'
  )
})

test('`localllm --help` exits 0 and lists the host, chat, devices, relay and testnet commands, and no stand-in', async (t) => {
  const help = await runCli(['--help'])
  t.is(help.code, 0)
  for (const command of ['host', 'chat', 'devices', 'relay', 'testnet']) {
    t.ok(new RegExp(`^\\s+${command}\\b`, 'm').test(help.stdout), `lists ${command}`)
  }
  t.absent(/^\s+standin\b/m.test(help.stdout), 'the stand-in is its own program')
})

test('`localllm host --help` exits 0 and explains every host flag', async (t) => {
  const help = await runCli(['host', '--help'])
  t.is(help.code, 0)
  for (const flag of HOST_FLAGS) t.ok(help.stdout.includes(flag), `mentions ${flag}`)
})

test('a malformed --bootstrap is refused with a sentence saying what it should look like', async (t) => {
  const run = await runCli(['host', '--bootstrap', 'nonsense'])
  t.not(run.code, 0, `exit code ${run.code}`)
  t.ok(run.stderr.includes("'nonsense' is invalid"), run.stderr.trim())
  t.ok(run.stderr.includes('host:port'), 'and shows the expected shape')
  t.absent(/\n\s+at /.test(run.stderr), 'no stack trace')
})

test('stopping and restarting the host with the same --config-dir keeps the Server ID', async (t) => {
  const net = await localNetwork(t)
  const configDir = await tempDir(t)
  const ids: unknown[] = []
  for (let run = 0; run < 2; run++) {
    const host = spawnCli(t, hostArgs(net, configDir, '--json'))
    ids.push((await host.waitForJson((e) => e.event === 'started')).server_id)
    host.signal('SIGINT')
    t.is((await host.exited()).code, 0, `run ${run + 1} exited 0`)
  }
  t.ok(typeof ids[0] === 'string' && ids[0].length > 40, 'a Server ID was printed')
  t.is(ids[1], ids[0], 'the same Server ID both times')
})

test('without --model, --json reports the first installed model as the one served', async (t) => {
  const net = await localNetwork(t, { models: ['qwen3:8b', 'llama3.2:latest'] })
  const host = spawnCli(t, hostArgs(net, await tempDir(t), '--json'))
  const started = await host.waitForJson((e) => e.event === 'started')
  t.is(started.model, 'qwen3:8b')
  t.alike(started.models, ['qwen3:8b', 'llama3.2:latest'])
})

test('without --model, the terminal says which model it chose and how to choose another', async (t) => {
  const net = await localNetwork(t, { models: ['qwen3:8b', 'llama3.2:latest'] })
  const host = spawnCli(t, hostArgs(net, await tempDir(t)))
  const said = await host.waitForLine((line) => line.startsWith('No model chosen:'))
  t.ok(said.includes('serving qwen3:8b'), said)
  t.ok(said.includes('--model'), 'and names the flag')
})

test('with Ollama not running, the terminal says how to start it and the host keeps serving', async (t) => {
  const net = await localNetwork(t)
  const nothingThere = { ...net, ollamaUrl: 'http://127.0.0.1:59999' }
  const host = spawnCli(t, hostArgs(nothingThere, await tempDir(t)))
  const said = await host.waitForLine((line) => line.startsWith("Ollama isn't answering"))
  t.ok(said.includes('http://127.0.0.1:59999'), 'names the address it tried')
  t.ok(said.includes('ollama serve'), said)
  const serverId = (await host.waitForLine((line) => line.startsWith('Server ID'))).split(/\s+/)[2]
  const client = await connectTo(t, net.bootstrap, serverId)
  t.is(client.serverInfos, 1, 'a client still reaches the host')
  t.is(client.info?.status, 'unavailable', 'and is told it cannot answer now')
  t.is(client.info?.reason, 'ollama_unreachable')
  t.ok(host.running, 'the host is still running')
})

test('a config file that is not ours: the host refuses to start, says why, and leaves the file alone', async (t) => {
  const net = await localNetwork(t)
  const configDir = await tempDir(t)
  const file = join(configDir, 'host.json')
  await writeFile(file, '{"secret": "my precious", ')
  const host = spawnCli(t, hostArgs(net, configDir, '--json'))
  const exit = await host.exited()
  t.is(exit.code, 1)
  t.ok(host.stderr.includes(`${file} is not a LocalLLM host config`), host.stderr.trim())
  t.absent(/\n\s+at /.test(host.stderr), 'no stack trace')
  t.is(await readFile(file, 'utf8'), '{"secret": "my precious", ', 'the file is untouched')
})

interface LocalNetwork {
  bootstrap: string
  ollamaUrl: string
}

/** A testnet and a stand-in in this process, for tests about the host process alone. */
async function localNetwork(t: TestContext, standin: StandinOptions = {}): Promise<LocalNetwork> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: Infinity })
  const ollama = new OllamaStandin(standin)
  await ollama.ready()
  t.teardown(() => ollama.close(), { order: 100 })
  return { bootstrap: formatBootstrap(testnet.bootstrap), ollamaUrl: ollama.url }
}

function hostArgs(net: LocalNetwork, configDir: string, ...extra: string[]): string[] {
  return [
    'host',
    '--bootstrap',
    net.bootstrap,
    '--ollama',
    net.ollamaUrl,
    '--config-dir',
    configDir,
    ...extra
  ]
}

/** A WirePeer for the host process, closed at teardown before the processes are killed. */
async function connectTo(t: TestContext, bootstrap: string, serverId?: string): Promise<WirePeer> {
  const client = await WirePeer.join({
    bootstrap: nodes(bootstrap),
    ...(serverId ? { code: serverId } : {})
  })
  t.teardown(() => client.close(), { order: -200 })
  return client
}

function nodes(bootstrap: string): BootstrapNode[] {
  const parsed = parseBootstrap(bootstrap)
  if (!parsed || parsed === 'public') throw new Error(`not a local bootstrap: ${bootstrap}`)
  return parsed
}
