// `localllm relay` as a user runs it. Whether connections
// really go through the relay needs NATs, so that is the NAT lab's test
// (reliability/test/natlab.test.ts); here: the relay's identity and the flags.
import test from 'brittle'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import createTestnet from 'hyperdht/testnet.js'
import { decode as decodeKey } from 'hypercore-id-encoding'
import b4a from 'b4a'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { runCli, spawnCli } from './helpers/processes.js'
import { tempDir } from './helpers/temp-dir.js'
import type { TestContext } from './helpers/brittle.js'

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

async function localTestnet(t: TestContext): Promise<string> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: Infinity })
  return formatBootstrap(testnet.bootstrap)
}
