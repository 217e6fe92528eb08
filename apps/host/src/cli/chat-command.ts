// `localllm chat [code]`: a terminal client. Interactive by default: one conversation (the
// host sees the earlier turns), replies streaming, `/new` starts over. When stdin is not a
// terminal, each line is one prompt of one conversation and the replies go to stdout in
// order. With --prompt it sends one prompt, streams the reply and exits. The code comes
// from the argument, --code-file or $LOCALLLM_SERVER_ID, so it need not sit in shell history.
//
// Exit codes: 0 done · 2 invalid code or usage · 3 could not connect within --wait (the
// last reason: HOST_OFFLINE, HOST_UNREACHABLE, CONNECT_FAILED, HOST_FULL), or at once for
// DEVICE_REMOVED and UNSUPPORTED_VERSION · 4 a request failed (MODEL_BUSY, …) · 130 interrupted.

import { Command, Option } from 'commander'
import envPaths from 'env-paths'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import b4a from 'b4a'
import { ClientSession, type Bootstrap, type ChatRequest, type ChatResult } from '@localllm/core'
import {
  parsePairingCode,
  protocolError,
  type ProtocolError,
  type ServerInfoPayload,
  type Turn
} from '@localllm/protocol'
import { bootstrapOption, positiveIntOption, relayKeyOption } from './options.js'
import { ClientStore } from './client-store.js'

export const EXIT = { ok: 0, usage: 2, connect: 3, request: 4, interrupted: 130 } as const

export const CODE_ENV = 'LOCALLLM_SERVER_ID'

const CONNECT_FAILURES = new Set([
  'HOST_OFFLINE',
  'HOST_UNREACHABLE',
  'CONNECT_FAILED',
  'HOST_FULL',
  'DEVICE_REMOVED',
  'UNSUPPORTED_VERSION',
  'INVALID_SERVER_ID'
])

const UNAVAILABLE: Record<string, string> = {
  ollama_unreachable: "Ollama isn't running on the host computer",
  model_missing: "the host's model isn't installed in Ollama",
  no_model: 'the host has no model to serve'
}

export interface ChatOptions {
  code: string
  bootstrap: Bootstrap
  prompt?: string
  json?: boolean
  /** Where the device key is kept (default: the platform's config folder). */
  configDir?: string
  /** Where to write (tests and the demo pass their own). */
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  stdin?: NodeJS.ReadableStream
  /** Whether stdin is a person at a terminal (default: stdin.isTTY). */
  interactive?: boolean
  /** Dim reasoning with ANSI codes (default: stdout is a terminal). */
  color?: boolean
  /** A relay to fall back to, besides the one the host announces. */
  relay?: Uint8Array
  /** How long to keep trying to reach the host before giving up (default 30 s). */
  waitMs?: number
}

interface ChatFlags {
  bootstrap: Bootstrap
  prompt?: string
  json?: boolean
  codeFile?: string
  configDir?: string
  relay?: Uint8Array
  wait: number
}

export function createChatCommand(): Command {
  return new Command('chat')
    .description('Chat with a LocalLLM host from the terminal')
    .argument(
      '[server-id]',
      `the Server ID the host shows (or its localllm://connect/… link); else --code-file or $${CODE_ENV}`
    )
    .addOption(
      new Option('--bootstrap <host:port,...>', 'DHT bootstrap nodes, e.g. from `localllm testnet`')
        .argParser(bootstrapOption)
        .default('public', 'the public DHT')
    )
    .option('--code-file <path>', 'read the Server ID from this file')
    .option(
      '-p, --prompt <text>',
      'send one prompt, print the reply and exit (exit codes: 0 done, 2 usage, 3 no connection, 4 request failed, 130 interrupted)'
    )
    .option('--json', 'print events as JSON lines')
    .addOption(
      new Option(
        '--relay <key>',
        'a blind relay to fall back to (the host announces its own; this one is used too)'
      ).argParser(relayKeyOption)
    )
    .addOption(
      new Option('--wait <seconds>', 'how long to keep trying to reach the host before giving up')
        .argParser(positiveIntOption)
        .default(30)
    )
    .option(
      '--config-dir <dir>',
      "where this terminal's device key is kept (default: the platform config folder)"
    )
    .action(async (argument: string | undefined, flags: ChatFlags) => {
      const code = await resolveCode(argument, flags.codeFile)
      if (code === undefined) {
        process.stderr.write(
          `localllm chat: give the host's Server ID as an argument, with --code-file, or in $${CODE_ENV}\n`
        )
        process.exit(EXIT.usage)
      }
      const exitCode = await runChat({
        code,
        bootstrap: flags.bootstrap,
        ...(flags.prompt !== undefined ? { prompt: flags.prompt } : {}),
        ...(flags.json ? { json: true } : {}),
        ...(flags.configDir ? { configDir: flags.configDir } : {}),
        ...(flags.relay ? { relay: flags.relay } : {}),
        waitMs: flags.wait * 1000
      })
      process.exit(exitCode)
    })
}

async function resolveCode(
  argument: string | undefined,
  file: string | undefined
): Promise<string | undefined> {
  if (argument !== undefined) return argument
  if (file !== undefined) {
    try {
      return (await readFile(file, 'utf8')).trim()
    } catch (err) {
      process.stderr.write(`localllm chat: cannot read ${file}: ${(err as Error).message}\n`)
      process.exit(EXIT.usage)
    }
  }
  const env = process.env[CODE_ENV]
  return env && env.trim() !== '' ? env : undefined
}

/** Runs a chat until it is over; resolves with the exit code. */
export async function runChat(options: ChatOptions): Promise<number> {
  const out = options.stdout ?? process.stdout
  const err = options.stderr ?? process.stderr
  const json = options.json === true
  const color = options.color ?? (out as { isTTY?: boolean }).isTTY === true
  const print = (text: string) => out.write(text)
  const event = (value: Record<string, unknown>) => out.write(JSON.stringify(value) + '\n')
  const fail = (e: ProtocolError) => {
    if (json) {
      event({
        event: 'error',
        code: e.code,
        message: e.message,
        retryable: e.retryable,
        ...(e.detail ? { detail: e.detail } : {})
      })
    } else {
      err.write(`${e.message}\n`)
    }
  }

  const parsed = parsePairingCode(options.code)
  if (!parsed.ok) {
    fail(parsed.error)
    return EXIT.usage
  }
  const hostKey = b4a.toString(parsed.hostKey, 'hex')
  const store = new ClientStore(options.configDir ?? envPaths('localllm', { suffix: '' }).config)
  let identity: Awaited<ReturnType<ClientStore['load']>>
  try {
    identity = await store.load()
  } catch (e) {
    err.write(`localllm chat: ${(e as Error).message}\n`)
    return EXIT.usage
  }
  const knownRelay = identity.relays[hostKey]
  const relay = options.relay ?? (knownRelay ? b4a.from(knownRelay, 'hex') : undefined)

  const session = new ClientSession({
    code: parsed.code,
    bootstrap: options.bootstrap,
    keyPair: identity.keyPair,
    client: { name: 'localllm chat', platform: 'terminal', version: '0.1.0' },
    ...(relay ? { relayThrough: relay } : {})
  })
  // Until connected, each failed attempt is said once per kind of failure, and attempts go
  // on until --wait runs out; what cannot change without someone acting ends it at once.
  const FINAL = new Set(['DEVICE_REMOVED', 'UNSUPPORTED_VERSION', 'INVALID_SERVER_ID'])
  let connectedOnce = false
  let lastProblem: ProtocolError | undefined
  const said = new Set<string>()
  const connected = new Promise<ProtocolError | undefined>((resolve) => {
    const giveUp = setTimeout(
      () => resolve(lastProblem ?? protocolError('HOST_OFFLINE')),
      options.waitMs ?? 30_000
    )
    session.on('status', (status) => {
      if (json) event({ event: 'status', status })
      if (status === 'connected' && !connectedOnce) {
        connectedOnce = true
        clearTimeout(giveUp)
        resolve(undefined)
      }
    })
    session.on('connect-error', (error) => {
      if (!connectedOnce) {
        lastProblem = error
        if (FINAL.has(error.code)) {
          clearTimeout(giveUp)
          resolve(error)
        } else if (json) {
          fail(error)
        } else if (!said.has(error.code)) {
          said.add(error.code)
          // HOST_DISCONNECTED's own sentence already says it is reconnecting.
          err.write(
            error.code === 'HOST_DISCONNECTED'
              ? `${error.message}\n`
              : `${error.message} Still trying…\n`
          )
        }
      } else if (json) fail(error)
      else if (error.code === 'HOST_DISCONNECTED') err.write('\nConnection lost; reconnecting…\n')
      else err.write(`\n${error.message}\n`)
    })
  })
  session.on('path', (p) => {
    if (json) event({ event: 'path', path: p.path, remote: p.remote, connect_ms: p.connectMs })
    else if (p.path === 'relayed') err.write('(connected through a relay)\n')
  })
  // The status as last told to the person. While our own reply streams the host is busy
  // answering us: that is not news, and neither is the `ready` that follows it.
  let shown: string | undefined
  let asking = 0
  session.on('info', (info) => {
    void store.rememberRelay(hostKey, info.relay).catch(() => {})
    if (json) event({ event: 'server_info', ...info })
    else if (info.status === 'busy' && asking > 0) return
    else if (connectedOnce && info.status !== shown) err.write(`(${describeStatus(info)})\n`)
    shown = info.status
  })

  if (!json) err.write('Looking for the host…\n')
  await session.open()
  const problem = await connected
  if (problem) {
    fail(problem)
    await session.close()
    return EXIT.connect
  }
  const info = session.info
  if (!json && info) {
    print(`Connected to ${info.host_name || 'the host'} · model ${info.model || '(none)'}\n`)
    if (info.status !== 'ready') err.write(`(${describeStatus(info)})\n`)
  }

  try {
    if (options.prompt !== undefined) return await oneShot(session, options.prompt)
    return await conversation(session, options)
  } finally {
    await session.close()
  }

  async function oneShot(s: ClientSession, prompt: string): Promise<number> {
    const request = s.send(prompt)
    let interrupted = false
    const onSigint = () => {
      interrupted = true
      request.abort()
    }
    process.once('SIGINT', onSigint)
    const result = await stream(request)
    process.off('SIGINT', onSigint)
    if (interrupted) return EXIT.interrupted
    if (!result.ok) return CONNECT_FAILURES.has(result.error.code) ? EXIT.connect : EXIT.request
    return EXIT.ok
  }

  async function conversation(s: ClientSession, opts: ChatOptions): Promise<number> {
    const input = opts.stdin ?? process.stdin
    const person = opts.interactive ?? (input as { isTTY?: boolean }).isTTY === true
    const rl = createInterface({ input, output: out, terminal: person })
    let history: Turn[] = []
    let current: ChatRequest | undefined
    let closed = false
    let failed = false
    rl.on('SIGINT', () => {
      if (current && !current.done) {
        current.abort()
        return
      }
      closed = true
      rl.close()
    })
    rl.on('close', () => {
      closed = true
    })
    if (person && !json) {
      print(
        'Type a prompt and press Enter; /new starts a new conversation. Ctrl-C stops a reply; Ctrl-C again (or Ctrl-D) quits.\n'
      )
    }
    // Lines are read as they come, but answered one at a time, in order.
    const lines: string[] = []
    let wake: (() => void) | undefined
    let ended = false
    rl.on('line', (line) => {
      lines.push(line)
      wake?.()
    })
    rl.on('close', () => {
      ended = true
      wake?.()
    })
    const prompt = () => {
      if (person && !json) rl.setPrompt('\n› ')
      if (person && !json) rl.prompt()
    }
    prompt()
    for (;;) {
      if (lines.length === 0) {
        if (ended || closed) return failed && !person ? EXIT.request : EXIT.ok
        await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        continue
      }
      const line = (lines.shift() as string).trim()
      if (line === '') {
        prompt()
        continue
      }
      if (line === '/new') {
        history = []
        if (json) event({ event: 'new_conversation' })
        else print('(new conversation)\n')
        prompt()
        continue
      }
      current = s.send(line, { history })
      if (current.droppedTurns > 0) {
        if (json) event({ event: 'history_trimmed', dropped_turns: current.droppedTurns })
        else err.write("(earlier messages weren't sent: the conversation is too long)\n")
      }
      const result = await stream(current)
      current = undefined
      if (result.text !== '') {
        history = [
          ...history,
          { role: 'user', content: line },
          { role: 'assistant', content: result.text }
        ]
      }
      if (!result.ok && result.error.code !== 'GENERATION_ABORTED') failed = true
      prompt()
    }
  }

  async function stream(request: ChatRequest): Promise<ChatResult> {
    asking++
    try {
      return await streamReply(request)
    } finally {
      asking--
    }
  }

  async function streamReply(request: ChatRequest): Promise<ChatResult> {
    let thinking = false
    request.on('status', (state) => {
      if (json) event({ event: 'chat_status', request_id: request.id, state })
      else if (state === 'loading_model') err.write('(the host is loading the model…)\n')
    })
    request.on('thinking', (text) => {
      if (json) event({ event: 'thinking', request_id: request.id, text })
      else if (color) {
        if (!thinking) print('\x1b[2m')
        thinking = true
        print(text)
      }
    })
    for await (const text of request) {
      if (thinking) {
        print('\x1b[22m\n\n')
        thinking = false
      }
      if (json) event({ event: 'chunk', request_id: request.id, text })
      else print(text)
    }
    if (thinking) print('\x1b[22m\n')
    const result = await request.result
    if (json) {
      if (result.ok) {
        event({
          event: 'end',
          request_id: result.requestId,
          finish_reason: result.finishReason,
          stats: result.stats
        })
      } else {
        fail(result.error)
      }
    } else if (result.ok) {
      const { first_token_ms, tokens_per_second, completion_tokens } = result.stats
      const cut = result.finishReason === 'length' ? ' · cut off at the host’s limit' : ''
      print(
        `\n(${completion_tokens} tokens · first token ${Math.round(first_token_ms)} ms · ${tokens_per_second} tokens/s${cut})\n`
      )
    } else if (result.error.code === 'GENERATION_ABORTED') {
      print('\n(stopped)\n')
    } else {
      if (result.text !== '') print('\n')
      fail(result.error)
    }
    return result
  }
}

/** The host's status in words, for a person. */
export function describeStatus(info: ServerInfoPayload): string {
  switch (info.status) {
    case 'ready':
      return 'the host is ready'
    case 'busy':
      return 'the host is answering someone else right now'
    case 'unavailable':
      return `the host can't answer right now: ${UNAVAILABLE[info.reason ?? ''] ?? 'it is not ready'}`
    case 'stopped':
      return 'the host stopped'
  }
}
