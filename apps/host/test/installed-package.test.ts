// `npm i -g localllm` as a user gets it: the tarballs `scripts/pack-cli.mjs` makes, served by
// a registry on 127.0.0.1 that knows only them, installed into an empty prefix outside the
// repository with npm's cache (filled by `npm ci`) as the only other source: the namespace
// has no network. Then the installed `localllm`, and nothing from the workspace, runs a host
// and a chat on a local testnet (the testnet and the Ollama stand-in come from the workspace).
import test from 'brittle'
import { execFile } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import createTestnet from 'hyperdht/testnet.js'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { OllamaStandin } from '@localllm/ollama-standin'
import { runCli, spawnCli, startLocalRegistry } from '@localllm/testing'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../../', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'localllm-install-'))
process.once('exit', () => rmSync(work, { recursive: true, force: true }))
const prefix = join(work, 'prefix')
const installed = join(prefix, 'lib/node_modules/localllm')
const bin = join(prefix, 'bin/localllm')
const hostVersion = (
  JSON.parse(readFileSync(join(root, 'apps/host/package.json'), 'utf8')) as { version: string }
).version

function installedVersion(dir: string): string | undefined {
  const file = join(dir, 'package.json')
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

/** A child npm sees none of `npm test`'s own settings (workspace, prefix…), only its cache. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|userconfig)$/i.test(key)
    )
  )
}

test('the packed package installs into an empty prefix with its runtime dependencies only', async (t) => {
  t.timeout(300_000)
  const packed = await run(
    process.execPath,
    [join(root, 'scripts/pack-cli.mjs'), join(work, 'tarballs')],
    {
      env: npmEnv()
    }
  )
  const tarballs = packed.stdout.trim().split('\n')
  t.alike(
    tarballs.map((file) => file.slice(file.lastIndexOf('/') + 1)),
    [
      `localllm-protocol-${hostVersion}.tgz`,
      `localllm-core-${hostVersion}.tgz`,
      `localllm-${hostVersion}.tgz`
    ],
    'the libraries first, then localllm'
  )
  const registry = await startLocalRegistry(tarballs)
  t.teardown(() => registry.close())
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--registry',
      registry.url,
      '--prefer-offline'
    ].concat(['--no-audit', '--no-fund', '--no-update-notifier', 'localllm']),
    { cwd: work, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 }
  )
  t.ok(existsSync(bin), "the localllm command is on the prefix's bin")
  const modules = readdirSync(join(installed, 'node_modules'))
  for (const devOnly of ['brittle', 'typescript', 'tap-parser', 'eslint']) {
    t.absent(modules.includes(devOnly), `no ${devOnly}`)
  }
  const scoped = readdirSync(join(installed, 'node_modules/@localllm')).sort()
  t.alike(scoped, ['core', 'protocol'], 'the two libraries, and not the stand-in or the test code')
  t.absent(
    lstatSync(join(installed, 'node_modules/@localllm/core')).isSymbolicLink(),
    'a real copy, not a link into the repository'
  )
  t.ok(existsSync(join(installed, 'node_modules/sodium-native')), 'native addons from node_modules')
  const shrinkwrap = JSON.parse(readFileSync(join(installed, 'npm-shrinkwrap.json'), 'utf8')) as {
    packages: Record<string, { version: string }>
  }
  const differ = Object.entries(shrinkwrap.packages)
    .filter(([path]) => path !== '')
    .filter(([path, { version }]) => installedVersion(join(installed, path)) !== version)
    .map(([path]) => path)
  t.alike(differ, [], 'every package at the version the shrinkwrap (the tested tree) names')
})

test('the installed localllm answers --version and --help', async (t) => {
  const version = await runCli(['--version'], { bin, cwd: work })
  t.is(version.code, 0, version.stderr)
  t.is(version.stdout.trim(), hostVersion)
  const help = await runCli(['--help'], { bin, cwd: work })
  t.is(help.code, 0, help.stderr)
  for (const command of ['host', 'chat', 'devices', 'testnet']) {
    t.ok(new RegExp(`^\\s+${command}\\b`, 'm').test(help.stdout), `--help lists ${command}`)
  }
})

test('the installed host and chat: a reply over a local testnet', async (t) => {
  t.timeout(120_000)
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: 20 })
  const standin = new OllamaStandin({ reply: 'Hello from the installed host.' })
  await standin.ready()
  t.teardown(() => standin.close(), { order: 10 })
  const bootstrap = formatBootstrap(testnet.bootstrap)

  const host = spawnCli(
    t,
    ['host', '--json', '--bootstrap', bootstrap, '--ollama', standin.url].concat([
      '--config-dir',
      join(work, 'host-config')
    ]),
    { bin, cwd: work }
  )
  const started = await host.waitForJson((e) => e.event === 'started', 30_000)
  const chat = await runCli(
    ['chat', String(started.server_id), '--bootstrap', bootstrap].concat([
      '--config-dir',
      join(work, 'chat-config'),
      '--prompt',
      'Hello'
    ]),
    { bin, cwd: work, timeoutMs: 60_000 }
  )
  t.is(chat.code, 0, chat.stderr)
  t.ok(chat.stdout.includes('Hello from the installed host.'), chat.stdout)
  host.signal('SIGINT')
  t.is((await host.exited(5_000)).code, 0, 'the installed host stops on Ctrl-C')
})
