// `localllm relay` and `localllm host --relay` as a user runs them. Whether connections
// really go through the relay needs NATs, so that is the NAT lab's test
// (reliability/test/natlab.test.ts); here: the relay's identity and the flags.
import test from 'brittle'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import createTestnet from 'hyperdht/testnet.js'
import { decode as decodeKey } from 'hypercore-id-encoding'
import b4a from 'b4a'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { OllamaStandin } from '@localllm/ollama-standin'
import { runCli, spawnCli, tempDir } from '@localllm/testing'

test('the relay keeps its public key across restarts, in an owner-only file, and prints it in both encodings', async (t) => {
  const bootstrap = await localTestnet(t)
  const configDir = await tempDir(t)
  const keys: string[] = []
  for (let run = 0; run < 2; run++) {
    const relay = spawnCli(t, [
      'relay',
      '--bootstrap',
      bootstrap,
      '--json',
      '--config-dir',
      configDir
    ])
    const listening = await relay.waitForJson((e) => e.event === 'listening')
    t.alike(relay.json()[0], listening, 'the first JSON line carries the key')
    const key = String(listening.public_key)
    t.is(b4a.toString(decodeKey(key), 'hex'), listening.public_key_hex, 'z-base32 and hex agree')
    keys.push(key)
    relay.signal('SIGINT')
    t.is((await relay.exited()).code, 0, `run ${run + 1} exits 0 on Ctrl-C`)
  }
  t.is(keys[0]?.length, 52, 'z-base32, 52 characters')
  t.is(keys[1], keys[0], 'the same key after a restart')
  t.is((await stat(join(configDir, 'relay.json'))).mode & 0o777, 0o600, 'relay.json is 0600')
})

test('the relay refuses a relay.json that is not its own, says why, and leaves it alone', async (t) => {
  const bootstrap = await localTestnet(t)
  const configDir = await tempDir(t)
  const file = join(configDir, 'relay.json')
  await writeFile(file, '{"seed": "not a seed"}')
  const run = await runCli(['relay', '--bootstrap', bootstrap, '--config-dir', configDir])
  t.is(run.code, 1)
  t.ok(run.stderr.includes(`${file} is not a LocalLLM relay config`), run.stderr.trim())
  t.is(await readFile(file, 'utf8'), '{"seed": "not a seed"}', 'the file is untouched')
})

test('the terminal relay says what to do with its key', async (t) => {
  const bootstrap = await localTestnet(t)
  const relay = spawnCli(t, ['relay', '--bootstrap', bootstrap, '--config-dir', await tempDir(t)])
  const line = await relay.waitForLine((l) => l.startsWith('Give the key to a host'))
  const key = (await relay.waitForLine((l) => l.startsWith('Public key'))).split(/\s+/)[2]
  t.ok(line.includes(`localllm host --relay ${key}`), line)
  t.ok(relay.output.includes('cannot read them'), 'and that it cannot read what it forwards')
})

test('a host given a relay key (z-base32 or hex) still serves; a malformed key is refused with a sentence', async (t) => {
  const bootstrap = await localTestnet(t)
  const ollama = new OllamaStandin({ reply: 'Hi there.' })
  await ollama.ready()
  t.teardown(() => ollama.close(), { order: 100 })
  const relay = spawnCli(t, [
    'relay',
    '--bootstrap',
    bootstrap,
    '--json',
    '--config-dir',
    await tempDir(t)
  ])
  const listening = await relay.waitForJson((e) => e.event === 'listening')
  for (const key of [String(listening.public_key), String(listening.public_key_hex)]) {
    const host = spawnCli(t, [
      'host',
      '--bootstrap',
      bootstrap,
      '--ollama',
      ollama.url,
      '--json',
      '--config-dir',
      await tempDir(t),
      '--relay',
      key
    ])
    const started = await host.waitForJson((e) => e.event === 'started')
    const chat = await runCli(
      [
        'chat',
        String(started.server_id),
        '--bootstrap',
        bootstrap,
        '--config-dir',
        await tempDir(t),
        '--prompt',
        'Hello?'
      ],
      { timeoutMs: 30000 }
    )
    t.is(chat.code, 0, `a chat with the host works (--relay ${key.length} characters)`)
    t.ok(chat.stdout.includes('Hi there.'), 'and streams the reply')
    host.signal('SIGINT')
    await host.exited()
  }
  const bad = await runCli(['host', '--bootstrap', bootstrap, '--relay', 'abc123'])
  t.not(bad.code, 0)
  t.ok(bad.stderr.includes("'abc123' is invalid"), bad.stderr.trim())
  t.ok(bad.stderr.includes('localllm relay'), 'says where a key comes from')
})

async function localTestnet(t: TestContext): Promise<string> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: Infinity })
  return formatBootstrap(testnet.bootstrap)
}
