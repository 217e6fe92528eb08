// What the worklet does with each IPC command: one ClientSession at a time, its events and
// every request's chunks and end forwarded as IPC events. Separate from the entry file so
// it can run anywhere the session runs.
//
//   const controller = new WorkletController((bytes) => ipc.write(bytes))
//   ipc.on('data', (chunk) => controller.push(chunk))
//
// Commands run one at a time, in order: a `connect` closes the previous session before it
// makes the next, so however many arrive in one write, one session (one host slot) remains.

import b4a from 'b4a'
import DHT from 'hyperdht'
import { ClientSession, parseBootstrap, type ChatRequest } from '@localllm/core'
import { protocolError } from '@localllm/protocol'
import { generateKeySeed } from '@localllm/protocol/capability'
import { CommandDecoder, encodeIpc, errorEvent, type Command, type WorkletEvent } from './ipc.js'

export const WORKLET_VERSION = '0.2.0'

export class WorkletController {
  readonly #write: (bytes: Uint8Array) => void
  readonly #decoder = new CommandDecoder()
  readonly #requests = new Map<string, ChatRequest>()
  #session: ClientSession | undefined
  #queue: Promise<void> = Promise.resolve()
  #closed = false

  constructor(write: (bytes: Uint8Array) => void) {
    this.#write = write
    this.#emit({ event: 'ready', version: WORKLET_VERSION })
  }

  push(chunk: Uint8Array): void {
    for (const result of this.#decoder.push(chunk)) {
      if (!result.ok) {
        this.#emit(errorEvent(result.error))
        continue
      }
      const command = result.command
      this.#queue = this.#queue.then(() => this.#handle(command)).catch(() => {})
    }
  }

  /** The app or the runtime is going away: close the session (after the commands queued). */
  async close(): Promise<void> {
    this.#closed = true
    await this.#queue
    const session = this.#session
    this.#session = undefined
    await session?.close()
  }

  /** Bare's suspend/resume (the app went to the background or came back). */
  suspend(): Promise<void> {
    return this.#session?.suspend() ?? Promise.resolve()
  }

  resume(): Promise<void> {
    return this.#session?.resume() ?? Promise.resolve()
  }

  async #handle(command: Command): Promise<void> {
    if (this.#closed) return
    switch (command.cmd) {
      case 'connect':
        return this.#connect(command)
      case 'send':
        return this.#send(command)
      case 'abort':
        this.#requests.get(command.ref)?.abort()
        return
      case 'disconnect': {
        const session = this.#session
        this.#session = undefined
        await session?.close()
        this.#emit({ event: 'status', status: 'idle' })
        return
      }
      case 'retry':
        this.#session?.retryNow()
        return
      case 'suspend':
        return this.suspend()
      case 'resume':
        return this.resume()
    }
  }

  async #connect(command: Extract<Command, { cmd: 'connect' }>): Promise<void> {
    const bootstrap = command.bootstrap === undefined ? 'public' : parseBootstrap(command.bootstrap)
    if (!bootstrap) {
      this.#emit(
        errorEvent(
          protocolError('BAD_MESSAGE', { detail: 'bootstrap: expected host:port[,host:port…]' })
        )
      )
      return
    }
    const previous = this.#session
    this.#session = undefined
    await previous?.close()
    if (this.#closed) return
    let seed = command.device_seed
    if (seed === undefined) {
      const fresh = generateKeySeed()
      seed = b4a.toString(fresh, 'hex')
      const publicKey = b4a.toString(DHT.keyPair(fresh).publicKey, 'hex')
      this.#emit({ event: 'device', seed, public_key: publicKey })
    }
    const session = new ClientSession({
      code: command.server_id,
      bootstrap,
      keyPair: DHT.keyPair(b4a.from(seed, 'hex')),
      ...(command.client ? { client: command.client } : {}),
      ...(command.relay ? { relayThrough: b4a.from(command.relay, 'hex') } : {})
    })
    this.#session = session
    session.on('status', (status) => {
      if (this.#session === session) this.#emit({ event: 'status', status })
    })
    session.on('info', (info) => {
      if (this.#session === session) this.#emit({ event: 'server_info', info })
    })
    session.on('path', (p) => {
      if (this.#session === session) {
        this.#emit({ event: 'path', path: p.path, remote: p.remote, connect_ms: p.connectMs })
      }
    })
    session.on('connect-error', (error) => {
      if (this.#session === session) this.#emit(errorEvent(error))
    })
    session.on('log', ({ level, msg, ...fields }) =>
      this.#emit({ event: 'log', level, msg, fields })
    )
    try {
      await session.open()
    } catch {
      // INVALID_SERVER_ID: the session says so in lastError; nothing touched the network.
      if (session.lastError) this.#emit(errorEvent(session.lastError))
      if (this.#session === session) this.#session = undefined
    }
  }

  #send(command: Extract<Command, { cmd: 'send' }>): void {
    const refId = command.ref
    if (this.#requests.has(refId)) {
      this.#emit(
        errorEvent(
          protocolError('BAD_MESSAGE', { detail: `ref "${refId}" is already in use` }),
          refId
        )
      )
      return
    }
    const session = this.#session
    if (!session) {
      this.#emit(
        errorEvent(
          protocolError('HOST_OFFLINE', { detail: 'not connected: send connect first' }),
          refId
        )
      )
      return
    }
    const request = session.send(command.prompt, { history: command.history ?? [] })
    this.#requests.set(refId, request)
    if (!request.done) {
      this.#emit({
        event: 'request',
        ref: refId,
        request_id: request.id,
        dropped_turns: request.droppedTurns
      })
    }
    request.on('chunk', (text) => this.#emit({ event: 'chunk', ref: refId, text }))
    request.on('thinking', (thinking) => this.#emit({ event: 'chunk', ref: refId, thinking }))
    request.on('status', (state) => this.#emit({ event: 'chat_status', ref: refId, state }))
    void request.result.then((result) => {
      this.#requests.delete(refId)
      if (result.ok) {
        this.#emit({
          event: 'end',
          ref: refId,
          request_id: result.requestId,
          finish_reason: result.finishReason,
          stats: result.stats
        })
      } else {
        this.#emit(errorEvent(result.error, refId))
      }
    })
  }

  #emit(event: WorkletEvent): void {
    this.#write(encodeIpc(event))
  }
}
