// The `localllm-standin` command: runs an OllamaStandin from the command line until
// SIGINT/SIGTERM. cli.ts runs it; it is no subcommand of `localllm`, so the host never
// depends on the stand-in.
//
//   $ npx localllm-standin --port 0 --reply 'Hi there' --tokens-per-second 20 --load-delay 3000
//
// The first line printed is the URL it listens on (with --json, the first line is an object
// with `url`), so a script can start it on port 0 and read where it went.

import { Command, InvalidArgumentError } from 'commander'
import { isValidModelName } from './models.js'
import { OLLAMA_VERSION } from './ollama-routes.js'
import type { RequestRecord } from './request-log.js'
import { DEFAULT_SETTINGS } from './script.js'
import { OllamaStandin } from './standin.js'

interface CommandOptions {
  port: number
  host: string
  models: string[]
  reply: string
  tokens?: number
  tokensPerSecond: number
  loadDelay: number
  firstTokenDelay: number
  json?: boolean
}

const CONTROL_HELP = `
Control API (JSON, same port), for scripting a running stand-in:
  GET    /_standin/state          models, settings, queued scripts, active requests
  PATCH  /_standin/settings       change what every request gets, e.g. {"reply":"Hi","tokensPerSecond":20}
  POST   /_standin/script         script the next request only, e.g. {"failure":{"kind":"stall","afterTokens":3}}
  DELETE /_standin/script         drop queued one-shot scripts
  POST   /_standin/models         install a model: {"name":"qwen3:8b","thinking":true}
  DELETE /_standin/models?name=X  uninstall a model
  POST   /_standin/unload         unload {"model":"X"} (or all): the next request loads cold
  GET    /_standin/requests       the request log (and loads); DELETE clears finished entries
  GET    /_standin/idle?timeout_ms=N   waits until no request is active
  POST   /_standin/reset          back to the command-line settings
Failure kinds: status {status,error} | error-line {afterTokens,error} | stall | drop | truncate | endless-line {afterTokens}.`

export function createStandinCommand(): Command {
  return new Command('localllm-standin')
    .description(
      `Run an Ollama-compatible server (API ${OLLAMA_VERSION}) with scripted models, replies, timing and failures, in place of real Ollama.`
    )
    .option('--port <port>', 'port to listen on; 0 picks a free one', parsePort, 11434)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--models <names>',
      'installed models, comma-separated, newest first ("" for none)',
      parseModels,
      ['llama3.2:latest']
    )
    .option('--reply <text>', 'the reply text every request streams', DEFAULT_SETTINGS.reply)
    .option('--tokens <n>', 'send exactly N tokens, repeating the reply as needed', parseCount)
    .option(
      '--tokens-per-second <n>',
      'pace of the tokens after the first; 0 sends them as fast as the client reads',
      parseNumber,
      0
    )
    .option(
      '--load-delay <ms>',
      'cold load: the first request for a model that is not loaded waits this long',
      parseNumber,
      0
    )
    .option(
      '--first-token-delay <ms>',
      'every request waits this long before its first token',
      parseNumber,
      0
    )
    .option(
      '--json',
      'print one JSON line per event (listening, request, first-token, end, cancel, closed)'
    )
    .addHelpText('after', CONTROL_HELP)
    .action((options: CommandOptions) => run(options))
}

async function run(options: CommandOptions): Promise<void> {
  const standin = new OllamaStandin({
    host: options.host,
    port: options.port,
    models: options.models,
    reply: options.reply,
    tokens: options.tokens ?? null,
    tokensPerSecond: options.tokensPerSecond,
    loadDelayMs: options.loadDelay,
    firstTokenDelayMs: options.firstTokenDelay
  })
  const print = options.json ? printJson : printText
  try {
    await standin.ready()
  } catch (err) {
    process.stderr.write(
      `Could not listen on ${options.host}:${options.port}: ${(err as Error).message}\n`
    )
    process.exitCode = 1
    return
  }
  print('listening', {
    url: standin.url,
    models: standin.models.map((m) => m.name),
    settings: standin.settings
  })
  for (const event of ['request', 'first-token', 'end', 'cancel'] as const) {
    standin.on(event, (record) => print(event, { request: record }))
  }
  const stop = () => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    void standin.close().then(() => print('closed', {}))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function printJson(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n')
}

function printText(event: string, fields: Record<string, unknown>): void {
  const record = fields.request as RequestRecord | undefined
  let line: string
  switch (event) {
    case 'listening': {
      const models = (fields.models as string[]).join(', ') || 'no models'
      // The URL alone on the first line, for scripts; then a sentence for people.
      line = `${fields.url as string}\nOllama stand-in serving ${models}. Control API under /_standin/. Ctrl-C stops it.`
      break
    }
    case 'request':
      line = `#${record?.id} ${record?.model ?? '(no model)'} ← ${JSON.stringify(clip(record?.prompt ?? ''))}`
      break
    case 'first-token':
      line = `#${record?.id} first token after ${ms((record?.firstTokenAt ?? 0) - (record?.receivedAt ?? 0))}`
      break
    case 'cancel':
      line = `#${record?.id} client went away`
      break
    case 'end': {
      const took = ms((record?.endedAt ?? 0) - (record?.receivedAt ?? 0))
      const error = record?.error ? ` (${record.error})` : ''
      line = `#${record?.id} ${record?.outcome}${error}: ${record?.tokensSent} tokens in ${took}`
      break
    }
    default:
      line = 'stopped'
  }
  process.stdout.write(line + '\n')
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 59) + '…' : text
}

function ms(value: number): string {
  return `${Math.round(value)} ms`
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number (0-65535)')
  }
  return port
}

function parseCount(value: string): number {
  const count = Number(value)
  if (!Number.isSafeInteger(count) || count < 0)
    throw new InvalidArgumentError('expected a whole number >= 0')
  return count
}

function parseNumber(value: string): number {
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('expected a number >= 0')
  }
  return number
}

function parseModels(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const bad = names.find((name) => !isValidModelName(name))
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a valid model name`)
  return names
}
