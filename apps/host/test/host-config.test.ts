// The host's identity file: what survives, who may read it, and what happens when it is broken.
import test from 'brittle'
import b4a from 'b4a'
import { execFile, spawnSync } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { HostConfigStore } from '../src/host-config.js'
import { LocalLLMHost } from '../src/host.js'
import { createLogger } from '../src/logger.js'
import { tempDir } from '@localllm/testing'

test('the identity survives a restart: a new store on the same folder reads the same one', async (t) => {
  const dir = await tempDir(t)
  const first = await new HostConfigStore(dir).load()
  await new HostConfigStore(dir).update({ displayName: 'Kitchen iMac', model: 'qwen3:8b' })
  const again = await new HostConfigStore(dir).load()
  t.ok(b4a.equals(again.accessSecret, first.accessSecret), 'same secret, so the same Server ID')
  t.ok(b4a.equals(again.noiseSeed, first.noiseSeed), 'same Noise key pair')
  t.is(again.displayName, 'Kitchen iMac')
  t.is(again.model, 'qwen3:8b')
})

test('the config file is readable by its owner only, in a folder only the owner can open', async (t) => {
  const dir = join(await tempDir(t), 'nested', 'localllm')
  const store = new HostConfigStore(dir)
  await store.load()
  t.is((await stat(dir)).mode & 0o777, 0o700, 'folder 0700')
  t.is((await stat(store.file)).mode & 0o777, 0o600, 'file 0600')
  await store.update({ displayName: 'Dan' })
  await store.regenerate()
  t.is((await stat(store.file)).mode & 0o777, 0o600, 'still 0600 after it is rewritten')
})

test('regenerating gives a new Server ID and key pair but keeps the name and model', async (t) => {
  const dir = await tempDir(t)
  const store = new HostConfigStore(dir)
  await store.load()
  const before = await store.update({ displayName: 'Dan’s MacBook', model: 'llama3.2' })
  const after = await store.regenerate()
  t.absent(b4a.equals(after.accessSecret, before.accessSecret), 'new secret')
  t.absent(b4a.equals(after.noiseSeed, before.noiseSeed), 'new Noise seed')
  t.is(after.displayName, 'Dan’s MacBook')
  t.is(after.model, 'llama3.2')
  const reread = await new HostConfigStore(dir).load()
  t.ok(b4a.equals(reread.accessSecret, after.accessSecret), 'the new identity is the saved one')
})

test('rotating the secret (a device was removed) keeps the host key', async (t) => {
  const dir = await tempDir(t)
  const store = new HostConfigStore(dir)
  const before = await store.load()
  const after = await store.rotateSecret()
  t.absent(b4a.equals(after.accessSecret, before.accessSecret), 'a new secret')
  t.ok(b4a.equals(after.noiseSeed, before.noiseSeed), 'the same host key')
})

test('a version-1 config is upgraded in place: same host key, a new access secret', async (t) => {
  const dir = await tempDir(t)
  const store = new HostConfigStore(dir)
  const seed = 'c'.repeat(64)
  await writeFile(
    store.file,
    JSON.stringify({
      version: 1,
      secret: 'a'.repeat(64),
      noise_seed: seed,
      display_name: 'Old Mac'
    })
  )
  const upgraded = await store.load()
  t.is(b4a.toString(upgraded.noiseSeed, 'hex'), seed)
  t.is(upgraded.accessSecret.length, 16)
  t.is(upgraded.displayName, 'Old Mac')
  const written = JSON.parse(await readFile(store.file, 'utf8')) as { version: number }
  t.is(written.version, 2, 'written back as version 2')
  t.is((await stat(store.file)).mode & 0o777, 0o600)
})

test('a broken config file is reported in one sentence and never replaced', async (t) => {
  const dir = await tempDir(t)
  const store = new HostConfigStore(dir)
  const broken = [
    '{"version": 1, "secret": "ab',
    'null',
    '[]',
    '{"version": 1, "secret": "not hex", "noise_seed": "also not"}',
    JSON.stringify({ version: 2, noise_seed: 'b'.repeat(64), access_secret: 'short' }),
    JSON.stringify({ version: 3, noise_seed: 'b'.repeat(64), access_secret: 'a'.repeat(32) })
  ]
  for (const text of broken) {
    await writeFile(store.file, text)
    for (const [name, attempt] of [
      ['load', () => store.load()],
      ['update', () => store.update({ model: 'x' })],
      ['regenerate', () => store.regenerate()]
    ] as const) {
      await t.exception(
        attempt(),
        new RegExp(`${escape(store.file)} is not a LocalLLM host config; move it away`),
        `${name} refuses ${JSON.stringify(text.slice(0, 20))}`
      )
    }
    t.is(await readFile(store.file, 'utf8'), text, 'the file is untouched')
  }
})

test('a host whose config file is broken refuses to start and leaves the file alone', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'host.json')
  await writeFile(file, 'my precious')
  const host = new LocalLLMHost({
    bootstrap: [{ host: '127.0.0.1', port: 1 }],
    ollamaUrl: 'http://127.0.0.1:59999',
    configDir: dir,
    log: createLogger()
  })
  await t.exception(host.start(), /is not a LocalLLM host config/)
  t.is(host.state.status, 'stopped', 'back to stopped, not stuck in starting')
  t.is(await readFile(file, 'utf8'), 'my precious', 'the identity file is untouched')
})

test('the default display name is this machine’s name', async (t) => {
  const config = await new HostConfigStore(await tempDir(t)).load()
  t.is(config.displayName, hostname().replace(/\.local$/, ''))
  t.absent(config.displayName.endsWith('.local'))
})

// A Mac's hostname ends in `.local`. A UTS namespace gives the child such a name here.
const canRenameHost = spawnSync('unshare', ['-u', 'true']).status === 0

test('the default display name drops a Mac’s .local', { skip: !canRenameHost }, async (t) => {
  const dir = await tempDir(t)
  const script = [
    `const { HostConfigStore } = await import(process.env.MODULE)`,
    `const config = await new HostConfigStore(process.env.DIR).load()`,
    `process.stdout.write(config.displayName)`
  ].join('\n')
  const { stdout } = await promisify(execFile)(
    'unshare',
    [
      '-u',
      'sh',
      '-c',
      'hostname Dans-MacBook-Pro.local && exec "$0" --input-type=module -e "$1"',
      process.execPath,
      script
    ],
    {
      env: {
        ...process.env,
        MODULE: new URL('../src/host-config.js', import.meta.url).href,
        DIR: dir
      }
    }
  )
  t.is(stdout, 'Dans-MacBook-Pro')
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
