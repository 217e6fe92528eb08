// `localllm chat <server-id>`: a terminal client. Interactive by default (a prompt line,
// replies streaming token by token, stats after each); with --prompt it sends one prompt,
// streams the reply to stdout and exits. Ctrl-C stops the current reply; a second Ctrl-C
// (or Ctrl-C at the prompt) exits.
//
// Exit codes (--prompt): 0 reply complete · 2 invalid Server ID or usage · 3 could not
// connect (HOST_OFFLINE, CONNECT_FAILED, HOST_FULL, UNSUPPORTED_VERSION) · 4 the request
// failed (MODEL_BUSY, GENERATION_FAILED, …; the code and its sentence go to stderr) ·
// 130 interrupted.

import { Command, Option } from 'commander'
import { createInterface } from 'node:readline'
import { ClientSession, type Bootstrap, type ChatRequest, type ChatResult } from '@localllm/core'
import { parseServerId, type ProtocolError } from '@localllm/protocol'
import { bootstrapOption } from './options.js'

export const EXIT = { ok: 0, usage: 2, connect: 3, request: 4, interrupted: 130 } as const

const CONNECT_FAILURES = new Set([
  'HOST_OFFLINE',
  'CONNECT_FAILED',
  'HOST_FULL',
  'UNSUPPORTED_VERSION',
  'INVALID_SERVER_ID'
])

export interface ChatOptions {
  serverId: string
  bootstrap: Bootstrap
  prompt?: string
  json?: boolean
  /** Where to write (tests and the demo pass their own). */
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  stdin?: NodeJS.ReadableStream
  interactive?: boolean
}

export function createChatCommand(): Command {
  return new Command('chat')
    .description('Chat with a LocalLLM host from the terminal')
    .argument('<server-id>', 'the Server ID the host shows (or a localllm://connect/… link)')
    .addOption(
      new Option(
        '--bootstrap <host:port,...>',
        'DHT bootstrap nodes, e.g. from `localllm testnet` (default: the public DHT)'
      )
        .argParser(bootstrapOption)
        .default('public', 'the public DHT')
    )
    .option(
      '-p, --prompt <text>',
      'send one prompt, print the reply and exit (exit codes: 0 done, 2 usage, 3 no connection, 4 request failed, 130 interrupted)'
    )
    .option('--json', 'print events as JSON lines')
    .action(
      async (
        serverId: string,
        flags: { bootstrap: Bootstrap; prompt?: string; json?: boolean }
      ) => {
        const code = await runChat({
          serverId,
          bootstrap: flags.bootstrap,
          ...(flags.prompt !== undefined ? { prompt: flags.prompt } : {}),
          ...(flags.json ? { json: true } : {})
        })
        process.exit(code)
      }
    )
}

/** Runs a chat until it is over; resolves with the exit code. */
export async function runChat(options: ChatOptions): Promise<number> {
  const out = options.stdout ?? process.stdout
  const err = options.stderr ?? process.stderr
  const json = options.json === true
  const print = (text: string) => out.write(text)
  const event = (value: Record<string, unknown>) => out.write(JSON.stringify(value) + '\n')
  const fail = (e: ProtocolError) => {
    if (json)
      event({
        event: 'error',
        code: e.code,
        message: e.message,
        retryable: e.retryable,
        ...(e.detail ? { detail: e.detail } : {})
      })
    else err.write(`${e.code}: ${e.message}\n`)
  }

  const parsed = parseServerId(options.serverId)
  if (!parsed.ok) {
    fail(parsed.error)
    return EXIT.usage
  }

  const session = new ClientSession({
    serverId: parsed.serverId,
    bootstrap: options.bootstrap,
    client: { name: 'localllm chat', platform: 'terminal', version: '0.1.0' }
  })
  let connectedOnce = false
  const connected = new Promise<ProtocolError | undefined>((resolve) => {
    session.on('status', (status) => {
      if (json) event({ event: 'status', status })
      if (status === 'connected' && !connectedOnce) {
        connectedOnce = true
        resolve(undefined)
      }
    })
    session.on('connect-error', (error) => {
      if (!connectedOnce && CONNECT_FAILURES.has(error.code)) resolve(error)
      else if (connectedOnce) {
        if (json) fail(error)
        else
          err.write(
            `\n${error.code === 'HOST_DISCONNECTED' ? 'Connection lost; reconnecting…' : `${error.code}: ${error.message}`}\n`
          )
      }
    })
  })
  session.on('info', (info) => {
    if (json) event({ event: 'server_info', ...info })
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
  if (!json)
    print(`Connected to ${info?.host_name ?? 'the host'} · model ${info?.model || '(none)'}\n`)

  try {
    if (options.prompt !== undefined) return await oneShot(session, options.prompt)
    return await interactive(session, options)
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

  async function interactive(s: ClientSession, opts: ChatOptions): Promise<number> {
    const rl = createInterface({
      input: opts.stdin ?? process.stdin,
      output: out,
      terminal: opts.interactive ?? process.stdin.isTTY === true
    })
    let current: ChatRequest | undefined
    let closed = false
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
    if (!json)
      print(
        'Type a prompt and press Enter. Ctrl-C stops a reply; Ctrl-C again (or Ctrl-D) quits.\n'
      )
    for (;;) {
      if (closed) return EXIT.ok
      const line = await question(rl, json ? '' : '\n› ')
      if (line === undefined) return EXIT.ok
      if (line.trim() === '') continue
      current = s.send(line)
      await stream(current)
      current = undefined
    }
  }

  async function stream(request: ChatRequest): Promise<ChatResult> {
    request.on('status', (state) => {
      if (json) event({ event: 'chat_status', request_id: request.id, state })
      else if (state === 'loading_model') err.write('(loading the model…)\n')
    })
    for await (const text of request) {
      if (json) event({ event: 'chunk', request_id: request.id, text })
      else print(text)
    }
    const result = await request.result
    if (json) {
      if (result.ok)
        event({
          event: 'end',
          request_id: result.requestId,
          finish_reason: result.finishReason,
          stats: result.stats
        })
      else fail(result.error)
    } else if (result.ok) {
      const { first_token_ms, tokens_per_second, completion_tokens } = result.stats
      print(
        `\n(${completion_tokens} tokens · first token ${Math.round(first_token_ms)} ms · ${tokens_per_second} tokens/s)\n`
      )
    } else if (result.error.code === 'GENERATION_ABORTED') {
      print('\n(stopped)\n')
    } else {
      print('\n')
      fail(result.error)
    }
    return result
  }
}

function question(
  rl: ReturnType<typeof createInterface>,
  prompt: string
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onClose = () => resolve(undefined)
    rl.once('close', onClose)
    rl.question(prompt, (answer) => {
      rl.off('close', onClose)
      resolve(answer)
    })
  })
}
