// `localllm relay`: runs a blind relay for LocalLLM hosts and phones whose NATs defeat hole
// punching. Prints its public key (give it to a host: `localllm host --relay <key>`), then
// the relay's counters as they change; with --json, one JSON object per line instead (the
// first carries `public_key`). Ctrl-C stops it. Run it on a machine with a public address.
//
// The key is printed in z-base32, as Holepunch tools print keys (`pear blind-relay`), and
// as hex in --json; `--relay` takes either.

import { Command, Option } from 'commander'
import envPaths from 'env-paths'
import b4a from 'b4a'
import { encode as encodeKey } from 'hypercore-id-encoding'
import type { RelayStats } from 'blind-relay'
import type { Bootstrap } from '@localllm/core'
import { LocalLLMRelay } from '../relay.js'
import { RelayConfigStore } from '../relay-config.js'
import { bootstrapOption, portOption } from './options.js'

interface RelayFlags {
  bootstrap: Bootstrap
  json?: boolean
  configDir?: string
  port?: number
}

const STATS_EVERY_MS = 1000

export function createRelayCommand(): Command {
  return new Command('relay')
    .description(
      'Run a blind relay for hosts and phones that cannot reach each other directly (it forwards encrypted streams it cannot read)'
    )
    .addOption(
      new Option('--bootstrap <host:port,...>', 'DHT bootstrap nodes, e.g. from `localllm testnet`')
        .argParser(bootstrapOption)
        .default('public', 'the public DHT')
    )
    .addOption(
      new Option('--port <port>', "UDP port to listen on (default: hyperdht's, 49737)").argParser(
        portOption
      )
    )
    .option('--json', 'print one JSON object per line instead of text')
    .option(
      '--config-dir <dir>',
      "where the relay's key pair is kept (default: the platform config folder)"
    )
    .action((flags: RelayFlags) => runRelay(flags))
}

async function runRelay(flags: RelayFlags): Promise<void> {
  const configDir = flags.configDir ?? envPaths('localllm', { suffix: '' }).config
  const print = (value: Record<string, unknown>) =>
    process.stdout.write(JSON.stringify(value) + '\n')
  const store = new RelayConfigStore(configDir)
  let relay: LocalLLMRelay | undefined
  let listening = false
  let last = ''
  // The counters, printed when they change (from the key on).
  const timer = setInterval(() => {
    const stats = relay?.stats
    if (!listening || !stats) return
    const summary = summarize(stats)
    const line = JSON.stringify(summary)
    if (line === last) return
    last = line
    if (flags.json) print({ event: 'stats', ...summary })
    else
      process.stdout.write(
        `${summary.sessions_active} connected · ${summary.pairings_active} relayed streams · ${summary.pairings_matched} paired since start\n`
      )
  }, STATS_EVERY_MS)

  // Installed before anything is printed, so a Ctrl-C right after the key still stops cleanly.
  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    clearInterval(timer)
    if (flags.json) print({ event: 'stopping' })
    const force = setTimeout(() => process.exit(0), 2000)
    force.unref()
    void (relay?.stop() ?? Promise.resolve()).finally(() => {
      if (flags.json) print({ event: 'stopped' })
      else process.stdout.write('Stopped.\n')
      process.exit(0)
    })
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)

  try {
    relay = new LocalLLMRelay({
      bootstrap: flags.bootstrap,
      seed: (await store.load()).seed,
      ...(flags.port !== undefined ? { port: flags.port } : {})
    })
    await relay.start()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`localllm relay: could not start: ${message}\n`)
    process.exit(1)
  }
  if (stopping) return

  const key = encodeKey(relay.publicKey)
  if (flags.json) {
    print({
      event: 'listening',
      public_key: key,
      public_key_hex: b4a.toString(relay.publicKey, 'hex'),
      port: relay.port,
      config_file: store.file
    })
  } else {
    process.stdout.write(
      `\nLocalLLM relay\n\nPublic key  ${key}\nUDP port    ${relay.port}\n\n` +
        `Give the key to a host: localllm host --relay ${key}\n` +
        'It forwards encrypted streams between hosts and phones; it cannot read them.\n\n'
    )
  }

  listening = true
}

function summarize(stats: RelayStats): Record<string, number> {
  return {
    sessions_active: stats.sessions.active,
    pairings_active: stats.pairings.active,
    pairings_matched: stats.pairings.matched,
    pairings_pending: stats.pairings.pending,
    streams_errors: stats.streams.errors
  }
}
