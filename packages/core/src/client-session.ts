// The client's connection to one host, as the iPhone worklet and `localllm chat` use it:
// dials the host's key from the pairing code, pairs or is recognised, keeps the connection
// up (reconnecting on its own), and runs prompts.
//
//   const session = new ClientSession({ code, bootstrap: 'public', keyPair, client: { name: 'iPhone' } })
//   session.on('status', (s) => …)            // connecting / connected / reconnecting / offline …
//   session.on('info', (info) => …)           // server_info: host name, model, ready/busy/unavailable
//   session.on('connect-error', (err) => …)   // HOST_OFFLINE, HOST_UNREACHABLE, DEVICE_REMOVED …
//   await session.open()                      // INVALID_SERVER_ID rejects here, before any network
//   const reply = session.send('Hello', { history })   // a ChatRequest
//
// Three parts do the work: HostDialer (finding the host and retrying), handshake (hello and
// server_info) and RequestTable (requests by id). Nothing but the host, proven by the Noise
// handshake on its key, ever reaches this class, so no other peer can change what it reports.

import EventEmitter from 'bare-events'
import b4a from 'b4a'
import DHT, { type KeyPair } from 'hyperdht'
import {
  LIMITS,
  errorMessage,
  fitHistory,
  parsePairingCode,
  protocolError,
  utf8ByteLength,
  type ClientBoundMessage,
  type ProtocolError,
  type ServerInfoPayload,
  type Turn
} from '@localllm/protocol'
import type { FramedConnection } from './framed-connection.js'
import type { Bootstrap } from './swarm.js'
import { ChatRequest } from './chat-request.js'
import { HostDialer } from './host-dialer.js'
import { handshake } from './handshake.js'
import { RequestTable } from './request-table.js'
import type { RetryTimerOptions } from './retry-timer.js'
import { addressKind, type AddressKind, type ConnectionPath } from './connection-path.js'

export type SessionStatus =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'suspended' | 'closed'

export interface SessionLog {
  level: 'debug' | 'info' | 'warn'
  msg: string
  [key: string]: unknown
}

/** How the session reaches the host, for the app's "relayed" mark and the debug screen. */
export interface SessionPath {
  path: ConnectionPath
  /** What kind of address the host (or the relay) is at, as this side sees it. */
  remote: AddressKind
  /** From the start of connecting (or reconnecting) to `connected`. */
  connectMs: number
}

interface SessionEvents {
  status: [status: SessionStatus]
  path: [path: SessionPath]
  info: [info: ServerInfoPayload]
  'connect-error': [error: ProtocolError]
  log: [entry: SessionLog]
}

export interface ClientSessionOptions extends RetryTimerOptions {
  /** The pairing code (the "Server ID"), or its `localllm://connect/…` link. */
  code: string
  bootstrap: Bootstrap
  /**
   * This device's key pair: the host knows a paired device by its public key, so keep it
   * (from a stored seed: `DHT.keyPair(seed)`). Without one, every session is a new device.
   */
  keyPair?: KeyPair
  /** What the host shows for this device: `hello.client`. */
  client?: { name?: string; platform?: string; version?: string }
  /** A blind relay's public key to fall back to (e.g. the one a host announced before). */
  relayThrough?: Uint8Array
  responseTimeoutMs?: number
  bootstrapWaitMs?: number
  /** How long the host gets to answer `hello`. */
  handshakeTimeoutMs?: number
}

export interface SendOptions {
  /** The conversation so far, oldest first; the oldest turns are left out to fit. */
  history?: readonly Turn[]
}

export class ClientSession extends EventEmitter<SessionEvents> {
  readonly #options: ClientSessionOptions
  readonly #keyPair: KeyPair
  readonly #requests: RequestTable
  readonly #tag: string
  #status: SessionStatus = 'idle'
  #secret: Uint8Array | undefined
  #dialer: HostDialer | undefined
  #conn: FramedConnection<ClientBoundMessage> | undefined
  #info: ServerInfoPayload | undefined
  #everConnected = false
  #fatal: ProtocolError | undefined
  #lastError: ProtocolError | undefined
  #nextRequest = 1
  #connectingSince = 0
  #path: SessionPath | undefined

  constructor(options: ClientSessionOptions) {
    super()
    this.#options = options
    this.#keyPair = options.keyPair ?? DHT.keyPair()
    this.#tag = Math.random().toString(36).slice(2, 8)
    this.#requests = new RequestTable({
      ...(options.responseTimeoutMs ? { responseTimeoutMs: options.responseTimeoutMs } : {}),
      timedOut: (requestId) => {
        this.#log('warn', 'no response from host in time', { request_id: requestId })
        // So the host stops generating for nobody.
        this.#conn?.send({ type: 'abort', request_id: requestId })
      }
    })
  }

  get status(): SessionStatus {
    return this.#status
  }

  /** The host's latest server_info, once connected. */
  get info(): ServerInfoPayload | undefined {
    return this.#info
  }

  get lastError(): ProtocolError | undefined {
    return this.#lastError
  }

  /** How the current connection reaches the host (undefined when not connected). */
  get path(): SessionPath | undefined {
    return this.#path
  }

  /** This device's public key, as the host lists it (hex). */
  get deviceKey(): string {
    return b4a.toString(this.#keyPair.publicKey, 'hex')
  }

  /**
   * Parses the pairing code, then starts dialing the host. Rejects with INVALID_SERVER_ID
   * before touching the network; everything later is reported through events.
   */
  async open(): Promise<void> {
    if (this.#status !== 'idle') return
    const parsed = parsePairingCode(this.#options.code)
    if (!parsed.ok) {
      this.#lastError = parsed.error
      this.#setStatus('closed')
      throw Object.assign(new Error(parsed.error.message), { protocolError: parsed.error })
    }
    this.#secret = parsed.secret
    this.#connectingSince = Date.now()
    this.#setStatus('connecting')
    const { backoffs, jitter } = this.#options
    const dialer = (this.#dialer = new HostDialer({
      bootstrap: this.#options.bootstrap,
      hostKey: parsed.hostKey,
      keyPair: this.#keyPair,
      relayThrough: this.#options.relayThrough,
      ...(backoffs ? { backoffs } : {}),
      ...(jitter !== undefined ? { jitter } : {}),
      ...(this.#options.bootstrapWaitMs ? { bootstrapWaitMs: this.#options.bootstrapWaitMs } : {})
    }))
    dialer.on('log', (level, msg, fields) => this.#log(level, msg, fields))
    dialer.on('failure', (error) => this.#onDialFailure(error))
    dialer.on('stream', (stream) => void this.#onStream(stream))
    await dialer.start()
  }

  /** Sends a prompt. Resolves its result with an error at once if it cannot be sent. */
  send(prompt: string, options: SendOptions = {}): ChatRequest {
    const requestId = `${this.#tag}-${this.#nextRequest++}`
    const abort = (r: ChatRequest) => this.#abortRequest(r)
    const max = this.#info?.limits.max_prompt_bytes ?? LIMITS.maxPromptBytes
    const bytes = utf8ByteLength(prompt)
    if (bytes === 0 || bytes > max) {
      const request = new ChatRequest(requestId, prompt, abort)
      request._end({
        error: protocolError('BAD_MESSAGE', {
          detail:
            bytes === 0
              ? 'the prompt is empty'
              : `the prompt is ${bytes} bytes; the host accepts at most ${max}`
        })
      })
      return request
    }
    const { history, dropped } = fitHistory(prompt, options.history ?? [])
    const request = new ChatRequest(requestId, prompt, abort, { history, droppedTurns: dropped })
    const conn = this.#conn
    if (!conn || this.#status !== 'connected') {
      request._end({ error: this.#notConnectedError() })
      return request
    }
    this.#requests.add(request)
    conn.send({
      type: 'chat_start',
      request_id: requestId,
      payload: history.length > 0 ? { prompt, history } : { prompt }
    })
    return request
  }

  /** Looks for the host again right now, even after a refusal such as DEVICE_REMOVED. */
  retryNow(): void {
    if (this.#isClosed() || this.#status === 'connected' || this.#status === 'suspended') return
    this.#fatal = undefined
    this.#dialer?.retryNow()
  }

  /** The app went to the background: no timer or socket stays referenced until resume(). */
  async suspend(): Promise<void> {
    if (this.#isClosed() || this.#status === 'suspended' || !this.#dialer) return
    this.#requests.pause()
    this.#setStatus('suspended')
    await this.#dialer.suspend()
  }

  async resume(): Promise<void> {
    if (this.#status !== 'suspended' || !this.#dialer) return
    await this.#dialer.resume()
    if (this.#isClosed()) return
    this.#requests.resume()
    if (this.#conn && !this.#conn.closed && this.#info) {
      this.#setStatus('connected')
    } else {
      this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting')
      if (!this.#fatal) this.#dialer.retryNow()
    }
  }

  async close(): Promise<void> {
    if (this.#status === 'closed') return
    this.#setStatus('closed')
    this.#requests.failAll(protocolError('HOST_DISCONNECTED', { detail: 'the session was closed' }))
    const conn = this.#conn
    this.#conn = undefined
    conn?.end()
    await this.#dialer?.close()
  }

  async #onStream(stream: Parameters<typeof handshake>[0]): Promise<void> {
    const dialer = this.#dialer as HostDialer
    let conn: FramedConnection<ClientBoundMessage> | undefined
    const result = await handshake(stream, {
      secret: this.#secret as Uint8Array,
      client: this.#options.client,
      ...(this.#options.handshakeTimeoutMs ? { timeoutMs: this.#options.handshakeTimeoutMs } : {}),
      after: {
        message: (message) => this.#onMessage(message),
        bad: (err) => {
          this.#log('warn', 'bad message from host', { detail: err.detail })
          this.#conn?.send(errorMessage(err))
        },
        close: () => this.#onDisconnected(conn)
      }
    })
    if (this.#isClosed()) {
      if (result.ok) result.conn.destroy()
      return
    }
    if (!result.ok) {
      this.#reportError(result.error)
      if (result.fatal) {
        this.#fatal = result.error
        dialer.halt()
      } else {
        dialer.lost()
      }
      if (this.#status !== 'suspended') this.#setStatus('offline')
      return
    }
    this.#conn = conn = result.conn
    this.#info = result.info
    this.#everConnected = true
    this.#lastError = undefined
    this.#fatal = undefined
    dialer.connected()
    this.#useRelayOf(result.info)
    this.#log('info', 'connected to host', {
      host_name: result.info.host_name,
      model: result.info.model
    })
    this.emit('info', result.info)
    if (this.#status !== 'suspended') this.#setStatus('connected')
    const connectMs = Date.now() - this.#connectingSince
    dialer.paths.follow(stream, (path) => {
      if (this.#conn !== conn) return
      this.#path = { path, remote: addressKind(stream.rawStream.remoteHost), connectMs }
      this.#log('info', `path: ${path}`, { remote: this.#path.remote, connect_ms: connectMs })
      this.emit('path', this.#path)
    })
  }

  #onDialFailure(error: ProtocolError): void {
    if (this.#isClosed()) return
    this.#reportError(error)
    if (this.#status === 'connecting' || this.#status === 'reconnecting') {
      this.#setStatus('offline')
    }
  }

  #onMessage(message: ClientBoundMessage): void {
    if (message.type === 'server_info') {
      this.#info = message.payload
      this.#useRelayOf(message.payload)
      this.emit('info', message.payload)
      return
    }
    if (this.#requests.route(message)) return
    if (message.type === 'error' && message.request_id === undefined) {
      const error = protocolError(message.payload.code, { detail: message.payload.detail })
      if (error.code === 'DEVICE_REMOVED') {
        // The host removed this device while connected; it closes the connection next.
        this.#fatal = error
        this.#dialer?.halt()
        this.#reportError(error)
        return
      }
      this.#log('warn', 'host reported an error', { code: error.code, detail: error.detail })
    }
  }

  #onDisconnected(conn: FramedConnection<ClientBoundMessage> | undefined): void {
    if (!conn || this.#conn !== conn) return
    this.#conn = undefined
    this.#path = undefined
    this.#connectingSince = Date.now()
    const stopped = this.#info?.status === 'stopped'
    const error = protocolError('HOST_DISCONNECTED', {
      detail: stopped ? 'the host stopped' : 'the connection dropped'
    })
    this.#requests.failAll(error)
    if (this.#isClosed()) return
    // Not connected any more; it dials again unless suspended or halted (DEVICE_REMOVED).
    this.#dialer?.lost()
    if (this.#fatal) {
      this.#setStatus('offline')
      return
    }
    this.#reportError(error)
    if (this.#status === 'suspended') return
    this.#setStatus('reconnecting')
  }

  #useRelayOf(info: ServerInfoPayload): void {
    if (info.relay) this.#dialer?.setRelay(b4a.from(info.relay, 'hex'))
  }

  #abortRequest(request: ChatRequest): void {
    if (!this.#requests.has(request.id)) return
    if (!this.#conn?.send({ type: 'abort', request_id: request.id })) {
      this.#requests.fail(request.id, protocolError('HOST_DISCONNECTED'))
    }
  }

  #notConnectedError(): ProtocolError {
    if (this.#fatal) return this.#fatal
    if (this.#status === 'reconnecting' || this.#status === 'suspended') {
      return protocolError('HOST_DISCONNECTED', { detail: `the session is ${this.#status}` })
    }
    return (
      this.#lastError ?? protocolError('HOST_OFFLINE', { detail: 'not connected to the host yet' })
    )
  }

  #reportError(error: ProtocolError): void {
    this.#lastError = error
    this.#log('info', error.code, { detail: error.detail })
    this.emit('connect-error', error)
  }

  #setStatus(status: SessionStatus): void {
    if (this.#status === status) return
    if (this.#status === 'closed') return
    this.#status = status
    this.emit('status', status)
  }

  #isClosed(): boolean {
    return this.#status === 'closed'
  }

  #log(level: SessionLog['level'], msg: string, fields: Record<string, unknown> = {}): void {
    this.emit('log', { level, msg, ...fields })
  }
}
