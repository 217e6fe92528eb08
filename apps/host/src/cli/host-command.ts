// `localllm host`: runs the host engine in a terminal. Prints the Server ID, a QR code fitted
// to the terminal (pairing-screen.ts) and a live status line (status, connected devices,
// model); with --json, one JSON object per line instead (the first carries `server_id`). When
// a device is removed the Server ID changes and is printed again. Ctrl-C tells every client
// the host stopped, then exits within 2 s.

import { Command, Option } from 'commander'
import envPaths from 'env-paths'
import { join } from 'node:path'
import { LocalLLMHost, type HostState } from '../host.js'
import { createLogger, currentLogFile, type LogLevel } from '../logger.js'
import { resolveOllamaUrl } from '../ollama-url.js'
import type { Bootstrap } from '@localllm/core'
import {
  bootstrapOption,
  logLevelOption,
  ollamaOption,
  positiveIntOption,
  relayKeyOption
} from './options.js'
import { DEFAULT_REPLY_CAPS } from '../chat-service.js'
import { pairingScreen } from './pairing-screen.js'

interface HostFlags {
  model?: string
  name?: string
  ollama?: string
  bootstrap: Bootstrap
  relay?: Uint8Array | null
  maxReplyTokens?: number
  maxReplySeconds?: number
  json?: boolean
  logLevel: LogLevel
  configDir?: string
}

export function createHostCommand(): Command {
  return new Command('host')
    .description('Share your Ollama model: prints a Server ID and QR code for the LocalLLM app')
    .option(
      '-m, --model <name>',
      'model to serve (default: the saved one, else the first installed)'
    )
    .option('-n, --name <name>', "display name clients see (default: this computer's name)")
    .addOption(
      new Option(
        '--ollama <url>',
        'Ollama API address (default: $OLLAMA_HOST, else http://127.0.0.1:11434)'
      ).argParser(ollamaOption)
    )
    .addOption(
      new Option('--bootstrap <host:port,...>', 'DHT bootstrap nodes, e.g. from `localllm testnet`')
        .argParser(bootstrapOption)
        .default('public', 'the public DHT')
    )
    .addOption(
      new Option(
        '--relay <key>',
        'a blind relay (`localllm relay` prints its key) for phones that cannot reach this host directly; saved for later runs, "none" stops using it'
      ).argParser((value) => (value === 'none' ? null : relayKeyOption(value)))
    )
    .addOption(
      new Option('--max-reply-tokens <n>', 'cut one reply after this many tokens')
        .argParser(positiveIntOption)
        .default(DEFAULT_REPLY_CAPS.maxTokens)
    )
    .addOption(
      new Option('--max-reply-seconds <n>', 'cut one reply after this long')
        .argParser(positiveIntOption)
        .default(DEFAULT_REPLY_CAPS.maxMs / 1000)
    )
    .option('--json', 'print one JSON object per line instead of the QR code and status line')
    .addOption(
      new Option('--log-level <level>', 'log file level: error, warn, info, debug')
        .argParser(logLevelOption)
        .default('info')
    )
    .option(
      '--config-dir <dir>',
      'where the Server ID and settings are kept (default: the platform config folder)'
    )
    .action((flags: HostFlags) => runHost(flags))
}

async function runHost(flags: HostFlags): Promise<void> {
  const paths = envPaths('localllm', { suffix: '' })
  const configDir = flags.configDir ?? paths.config
  const logFile = join(flags.configDir ? join(configDir, 'logs') : paths.log, 'host.log')
  const log = createLogger({ level: flags.logLevel, file: logFile })
  const ollamaUrl =
    flags.ollama ?? resolveOllamaUrl(process.env.OLLAMA_HOST) ?? 'http://127.0.0.1:11434'
  const host = new LocalLLMHost({
    bootstrap: flags.bootstrap,
    ollamaUrl,
    configDir,
    log,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.name ? { displayName: flags.name } : {}),
    ...(flags.relay !== undefined ? { relay: flags.relay } : {}),
    replyCaps: {
      maxTokens: flags.maxReplyTokens ?? DEFAULT_REPLY_CAPS.maxTokens,
      maxMs: (flags.maxReplySeconds ?? DEFAULT_REPLY_CAPS.maxMs / 1000) * 1000
    }
  })
  const view = flags.json ? new JsonView() : new TerminalView(process.stdout.isTTY === true)

  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    view.stopping()
    const force = setTimeout(() => process.exit(0), 2000)
    force.unref()
    void host.stop().finally(() => {
      view.stopped()
      log.flush?.()
      process.exit(0)
    })
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)

  host.on('state', (state) => view.state(state))
  try {
    await host.start()
  } catch (err) {
    // E.g. a config file that is not ours: say so in one sentence, not a stack trace.
    const message = err instanceof Error ? err.message : String(err)
    log.error({ err }, 'could not start')
    process.stderr.write(`localllm host: could not start: ${message}\n`)
    log.flush?.()
    process.exit(1)
  }
  await view.started(host.state, currentLogFile(logFile))
}

interface View {
  started(state: HostState, logFile: string): Promise<void>
  state(state: HostState): void
  stopping(): void
  stopped(): void
}

class JsonView implements View {
  #ready = false
  #last = ''

  started(state: HostState, logFile: string): Promise<void> {
    this.#ready = true
    this.#serverId = state.serverId
    this.#print({
      event: 'started',
      server_id: state.serverId,
      connect_link: state.connectLink,
      log_file: logFile,
      ...summary(state)
    })
    return Promise.resolve()
  }

  state(state: HostState): void {
    if (!this.#ready) return
    if (state.serverId !== this.#serverId) {
      this.#serverId = state.serverId
      this.#print({
        event: 'server_id_changed',
        server_id: state.serverId,
        connect_link: state.connectLink
      })
    }
    this.#print({ event: 'state', ...summary(state) })
  }

  #serverId: string | undefined

  stopping(): void {
    this.#print({ event: 'stopping' })
  }

  stopped(): void {
    this.#print({ event: 'stopped' })
  }

  #print(value: Record<string, unknown>): void {
    const line = JSON.stringify(value)
    if (line === this.#last) return
    this.#last = line
    process.stdout.write(line + '\n')
  }
}

class TerminalView implements View {
  readonly #tty: boolean
  #ready = false
  #lastLine = ''
  #lastOllama: HostState['ollama'] = 'unknown'
  #saidNoModels = false

  constructor(tty: boolean) {
    this.#tty = tty
  }

  started(state: HostState, logFile: string): Promise<void> {
    process.stdout.write(`\nLocalLLM host "${state.displayName}"\nLogs       ${logFile}\n`)
    this.#printPairing(state)
    this.#serverId = state.serverId
    this.#ready = true
    this.#notes(state)
    this.state(state)
    // A terminal made big enough gets the QR code it was too small for.
    if (this.#tty) process.stdout.on('resize', this.#onResize)
    return Promise.resolve()
  }

  /** The QR code and the Server ID, fitted to the terminal (pairing-screen.ts). */
  #printPairing(state: HostState): void {
    const link = state.connectLink ?? ''
    const screen = pairingScreen({
      link,
      code: state.serverId ?? '',
      columns: this.#tty ? process.stdout.columns : undefined,
      rows: this.#tty ? process.stdout.rows : undefined
    })
    this.#showingQr = screen.qr
    // In a terminal the link goes above the QR code, where it may scroll away: the QR is the link.
    const above = this.#tty && screen.qr ? `Link       ${link}\n\n` : '\n'
    process.stdout.write(above + screen.lines.join('\n') + '\n')
  }

  #showingQr = false
  #lastState: HostState | undefined

  #onResize = (): void => {
    const state = this.#lastState
    if (this.#showingQr || !this.#ready || this.#stopping || !state) return
    const fits = pairingScreen({
      link: state.connectLink ?? '',
      code: state.serverId ?? '',
      columns: process.stdout.columns,
      rows: process.stdout.rows
    }).qr
    if (!fits) return
    process.stdout.write(this.#lastLine ? '\r\x1b[K' : '')
    this.#printPairing(state)
    this.#lastLine = ''
    this.state(state)
  }

  #serverId: string | undefined
  #stopping = false

  state(state: HostState): void {
    if (!this.#ready || this.#stopping) return
    if (state.serverId !== this.#serverId) {
      // A device was removed: the code shown so far pairs nothing new.
      this.#serverId = state.serverId
      this.#ready = false
      this.#lastLine = ''
      process.stdout.write(
        `${this.#tty ? '\r\x1b[K' : ''}\nThe Server ID changed (a device was removed). New devices need this one; paired devices keep working.\n`
      )
      this.#printPairing(state)
      this.#ready = true
      this.state(state)
      return
    }
    this.#lastState = state
    this.#notes(state)
    const line = statusLine(state)
    if (line === this.#lastLine) return
    this.#lastLine = line
    if (this.#tty) process.stdout.write(`\r\x1b[K${oneRow(line, process.stdout.columns)}`)
    else process.stdout.write(line + '\n')
  }

  stopping(): void {
    // No status line after this one: it would run into "Stopped." on a terminal.
    this.#stopping = true
    process.stdout.off('resize', this.#onResize)
    process.stdout.write(
      `${this.#tty && this.#lastLine ? '\n' : ''}Stopping: telling clients the host is going away…\n`
    )
  }

  stopped(): void {
    process.stdout.write('Stopped.\n')
  }

  #notes(state: HostState): void {
    const say = (text: string) =>
      process.stdout.write(`${this.#tty && this.#lastLine ? '\r\x1b[K' : ''}${text}\n`)
    if (state.ollama !== this.#lastOllama) {
      if (state.ollama === 'unreachable') {
        say(
          `Ollama isn't answering at ${state.ollamaUrl}. Start it (open the Ollama app, or run \`ollama serve\`); retrying every 5 s.`
        )
      } else if (state.ollama === 'ok' && this.#lastOllama === 'unreachable') {
        say(`Ollama is answering again (version ${state.ollamaVersion}).`)
      }
      this.#lastOllama = state.ollama
      if (this.#tty) this.#lastLine = ''
    }
    if (state.ollama === 'ok' && state.models.length === 0 && !this.#saidNoModels) {
      this.#saidNoModels = true
      say('Ollama has no models installed. Pull one, e.g. `ollama pull llama3.2`.')
    }
    if (state.modelAutoPicked && state.model && !this.#pickedSaid) {
      this.#pickedSaid = true
      say(`No model chosen: serving ${state.model} (the first installed; see --model).`)
    }
  }

  #pickedSaid = false
}

function summary(state: HostState): Record<string, unknown> {
  return {
    status: state.status,
    ...(state.reason ? { reason: state.reason } : {}),
    clients: state.clients,
    connected: state.connected.map((d) => ({ id: d.id, name: d.name, path: d.path })),
    paired: state.devices.map((d) => ({
      id: d.id,
      name: d.name,
      connected: d.connected,
      last_seen: d.lastSeen
    })),
    model: state.model ?? null,
    models: state.models,
    ollama: state.ollama,
    display_name: state.displayName,
    relay: state.relay ?? null
  }
}

const REASONS: Record<string, string> = {
  ollama_unreachable: 'Ollama not running',
  model_missing: 'model not installed',
  no_model: 'no model'
}

/**
 * The status line cut to one terminal row: a wrapped one could not be rewritten in place,
 * and would push the QR code's top off an 80×24 screen.
 */
function oneRow(line: string, columns: number | undefined): string {
  const chars = [...line]
  if (!columns || chars.length < columns) return line
  return chars.slice(0, columns - 2).join('') + '…'
}

function statusLine(state: HostState): string {
  const dot =
    state.status === 'busy'
      ? '◐ Busy'
      : state.status === 'ready'
        ? '● Ready'
        : state.status === 'unavailable'
          ? `⊘ Can't answer: ${REASONS[state.reason ?? ''] ?? 'not ready'}`
          : `○ ${state.status[0]?.toUpperCase()}${state.status.slice(1)}`
  const names = state.connected.map(
    (d) => `${d.name || d.id}${d.path === 'relayed' ? ' · relayed' : ''}`
  )
  const shown = names.length > 3 ? [...names.slice(0, 3), `+${names.length - 3}`] : names
  const clients =
    state.clients === 0
      ? 'no devices connected'
      : `${state.clients} connected (${shown.join(', ')})`
  const model = state.model ?? 'no model'
  return `${dot} · ${clients} · ${model}`
}
