// The client's connection to one host, as the iPhone worklet and `localllm chat` use it:
// finds the host by its Server ID, proves itself, checks the host's proof, keeps the
// connection up (reconnecting on its own), and runs prompts.
//
//   const session = new ClientSession({ serverId, bootstrap: 'public', client: { name: 'iPhone' } })
//   session.on('status', (s) => …)            // connecting / connected / reconnecting / offline …
//   session.on('info', (info) => …)           // server_info: host name, model, ready/busy
//   session.on('connect-error', (err) => …)   // HOST_OFFLINE, CONNECT_FAILED, HOST_DISCONNECTED …
//   await session.open()                      // INVALID_SERVER_ID rejects here, before any network
//   const reply = session.send('Hello')       // a ChatRequest
//
// No prompt ever goes to a peer that has not proved it holds the secret: a connection stays
// unauthenticated until its `server_info.host_proof` verifies, and a peer whose proof is
// wrong is closed and banned while the session keeps looking on the topic.

import EventEmitter from 'bare-events'
import b4a from 'b4a'
import type Hyperswarm from 'hyperswarm'
import type { PeerDiscovery, PeerInfo, SwarmConnection } from 'hyperswarm'
import {
  LIMITS,
  MessageDecoder,
  PROTOCOL_VERSION,
  errorMessage,
  parseServerId,
  protocolError,
  utf8ByteLength,
  type ClientBoundMessage,
  type ProtocolError,
  type ServerInfoPayload
} from '@localllm/protocol'
import { clientProof, deriveTopic, verifyHostProof } from '@localllm/protocol/capability'
import { FramedConnection } from './framed-connection.js'
import { createSwarm, waitForBootstrap, type Bootstrap } from './swarm.js'
import { ChatRequest } from './chat-request.js'

export type SessionStatus =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'suspended' | 'closed'

export interface SessionLog {
  level: 'debug' | 'info' | 'warn'
  msg: string
  [key: string]: unknown
}

interface SessionEvents {
  status: [status: SessionStatus]
  info: [info: ServerInfoPayload]
  'connect-error': [error: ProtocolError]
  log: [entry: SessionLog]
}

export interface ClientSessionOptions {
  serverId: string
  bootstrap: Bootstrap
  /** What the host sees in `hello.client`. */
  client?: { name?: string; platform?: string; version?: string }
  hostOfflineMs?: number
  responseTimeoutMs?: number
  bootstrapWaitMs?: number
  /** How long a found peer gets to send a valid server_info. */
  handshakeTimeoutMs?: number
  /** Delays between topic look-ups while the host is away; the last one repeats. */
  retryDelaysMs?: number[]
}

const DEFAULT_RETRY_DELAYS = [250, 500, 1000, 2000, 3000]

export class ClientSession extends EventEmitter<SessionEvents> {
  readonly #options: ClientSessionOptions
  readonly #requests = new Map<
    string,
    { request: ChatRequest; timer: ReturnType<typeof setTimeout> | undefined; lastHeard: number }
  >()
  #status: SessionStatus = 'idle'
  #secret: Uint8Array | undefined
  #topic: Uint8Array | undefined
  #swarm: Hyperswarm | undefined
  #discovery: PeerDiscovery | undefined
  #conn: FramedConnection<ClientBoundMessage> | undefined
  #info: ServerInfoPayload | undefined
  #attemptTimer: ReturnType<typeof setTimeout> | undefined
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #retryIndex = 0
  #peersSeen = 0
  #everConnected = false
  #fatal: ProtocolError | undefined
  #lastError: ProtocolError | undefined
  #nextRequest = 1
  readonly #tag: string

  constructor(options: ClientSessionOptions) {
    super()
    this.#options = options
    this.#tag = Math.random().toString(36).slice(2, 8)
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

  /**
   * Parses the Server ID, then starts looking for the host. Rejects with INVALID_SERVER_ID
   * before touching the network; everything later is reported through events.
   */
  async open(): Promise<void> {
    if (this.#status !== 'idle') return
    const parsed = parseServerId(this.#options.serverId)
    if (!parsed.ok) {
      this.#lastError = parsed.error
      this.#setStatus('closed')
      throw Object.assign(new Error(parsed.error.message), { protocolError: parsed.error })
    }
    this.#secret = parsed.secret
    this.#topic = deriveTopic(parsed.secret)
    this.#setStatus('connecting')
    const swarm = (this.#swarm = createSwarm({ bootstrap: this.#options.bootstrap }))
    swarm.on('connection', (stream, info) => this.#onConnection(stream, info))
    this.#startAttemptTimer()
    const bootstrapped = await waitForBootstrap(
      swarm,
      this.#options.bootstrapWaitMs ?? LIMITS.bootstrapWaitMs
    )
    if (this.#isClosed()) return
    this.#log(
      'debug',
      bootstrapped ? 'dht bootstrapped' : 'dht not bootstrapped in time; looking anyway'
    )
    this.#discovery = swarm.join(this.#topic, { server: false, client: true })
    void swarm.flush().catch(() => {})
  }

  /** Sends a prompt. Resolves its result with an error at once if it cannot be sent. */
  send(prompt: string): ChatRequest {
    const requestId = `${this.#tag}-${this.#nextRequest++}`
    const request = new ChatRequest(requestId, prompt, (r) => this.#abortRequest(r))
    const max = this.#info?.limits.max_prompt_bytes ?? LIMITS.maxPromptBytes
    const bytes = utf8ByteLength(prompt)
    if (bytes === 0 || bytes > max) {
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
    const conn = this.#conn
    if (!conn || this.#status !== 'connected') {
      request._end({ error: this.#notConnectedError() })
      return request
    }
    this.#requests.set(requestId, { request, timer: undefined, lastHeard: Date.now() })
    this.#armTimeout(requestId)
    conn.send({ type: 'chat_start', request_id: requestId, payload: { prompt } })
    return request
  }

  /** Looks for the host again right now instead of waiting for the next retry. */
  retryNow(): void {
    if (this.#isClosed() || this.#status === 'connected' || this.#status === 'suspended') return
    if (this.#fatal) return
    clearTimeout(this.#retryTimer)
    this.#retryIndex = 0
    this.#lookup()
  }

  /** The app went to the background: no timer or socket stays referenced until resume(). */
  async suspend(): Promise<void> {
    if (this.#isClosed() || this.#status === 'suspended') return
    this.#clearTimers()
    for (const entry of this.#requests.values()) clearTimeout(entry.timer)
    this.#setStatus('suspended')
    await this.#swarm?.suspend()
  }

  async resume(): Promise<void> {
    if (this.#status !== 'suspended') return
    await this.#swarm?.resume()
    if (this.#isClosed()) return
    for (const id of this.#requests.keys()) this.#armTimeout(id)
    if (this.#conn && !this.#conn.closed && this.#info) {
      this.#setStatus('connected')
    } else {
      this.#setStatus(this.#everConnected ? 'reconnecting' : 'connecting')
      this.#startAttemptTimer()
      this.retryNow()
    }
  }

  async close(): Promise<void> {
    if (this.#status === 'closed') return
    this.#setStatus('closed')
    this.#clearTimers()
    this.#failRequests(protocolError('HOST_DISCONNECTED', { detail: 'the session was closed' }))
    this.#conn?.destroy()
    await this.#swarm?.destroy()
  }

  #onConnection(stream: SwarmConnection, peer: PeerInfo): void {
    this.#peersSeen++
    const peerKey = b4a.toString(stream.remotePublicKey, 'hex').slice(0, 8)
    this.#log('debug', 'peer connected; exchanging proofs', { peer: peerKey })
    if (this.#isClosed() || (this.#conn && !this.#conn.closed)) {
      this.#log('debug', 'extra connection closed', { peer: peerKey })
      stream.destroy()
      return
    }
    // The host keeps the stream alive; silence this long means it is gone.
    stream.setTimeout(LIMITS.deadConnectionMs)
    const secret = this.#secret as Uint8Array
    let authenticated = false
    const handshakeTimer = setTimeout(() => {
      if (authenticated) return
      this.#log('info', 'peer sent no valid server_info in time', { peer: peerKey })
      conn.destroy()
    }, this.#options.handshakeTimeoutMs ?? LIMITS.handshakeTimeoutMs)

    const conn: FramedConnection<ClientBoundMessage> = new FramedConnection(
      stream,
      MessageDecoder.forClient(),
      {
        message: (message) => {
          if (!authenticated) {
            if (
              message.type === 'server_info' &&
              verifyHostProof(secret, conn.handshakeHash, message.payload.host_proof)
            ) {
              authenticated = true
              clearTimeout(handshakeTimer)
              this.#onAuthenticated(conn, message.payload, peerKey)
            } else if (
              message.type === 'error' &&
              (message.payload.code === 'HOST_FULL' ||
                message.payload.code === 'UNSUPPORTED_VERSION')
            ) {
              // Only trustworthy as far as it goes: an impostor could send it too, so it never
              // stops the search for good except UNSUPPORTED_VERSION, which needs an update anyway.
              clearTimeout(handshakeTimer)
              const error = protocolError(message.payload.code, { detail: message.payload.detail })
              this.#reportError(error)
              if (message.payload.code === 'UNSUPPORTED_VERSION') this.#fatal = error
              conn.destroy()
            } else {
              this.#log('warn', 'peer failed the host proof: closed and banned', {
                peer: peerKey,
                type: message.type
              })
              peer.ban(true)
              conn.destroy()
            }
            return
          }
          this.#onMessage(message)
        },
        bad: (err) => {
          if (!authenticated) {
            if (err.code === 'UNSUPPORTED_VERSION') {
              this.#fatal = err
              this.#reportError(err)
            }
            conn.destroy()
            return
          }
          this.#log('warn', 'bad message from host', { detail: err.detail })
          conn.send(errorMessage(err))
        },
        close: () => {
          clearTimeout(handshakeTimer)
          if (authenticated) this.#onDisconnected(conn)
        }
      }
    )
    conn.send({
      type: 'hello',
      payload: {
        protocol_version: PROTOCOL_VERSION,
        proof: clientProof(secret, stream.handshakeHash),
        ...(this.#options.client ? { client: this.#options.client } : {})
      }
    })
  }

  #onAuthenticated(
    conn: FramedConnection<ClientBoundMessage>,
    info: ServerInfoPayload,
    peerKey: string
  ): void {
    if (this.#isClosed() || (this.#conn && !this.#conn.closed)) {
      conn.destroy()
      return
    }
    this.#conn = conn
    this.#info = info
    this.#everConnected = true
    this.#lastError = undefined
    this.#retryIndex = 0
    this.#clearTimers()
    this.#log('info', 'connected to host', {
      peer: peerKey,
      host_name: info.host_name,
      model: info.model
    })
    this.emit('info', info)
    if (this.#status !== 'suspended') this.#setStatus('connected')
  }

  #onMessage(message: ClientBoundMessage): void {
    switch (message.type) {
      case 'server_info':
        if (
          !this.#conn ||
          !verifyHostProof(
            this.#secret as Uint8Array,
            this.#conn.handshakeHash,
            message.payload.host_proof
          )
        ) {
          this.#log(
            'warn',
            'server_info with a wrong proof on an authenticated connection: closing'
          )
          this.#conn?.destroy()
          return
        }
        this.#info = message.payload
        this.emit('info', message.payload)
        return
      case 'chat_status': {
        const entry = this.#requests.get(message.request_id)
        if (!entry) return
        entry.lastHeard = Date.now()
        entry.request._status(message.payload.state)
        return
      }
      case 'chat_chunk': {
        const entry = this.#requests.get(message.request_id)
        if (!entry) return
        entry.lastHeard = Date.now()
        entry.request._chunk(message.payload.text)
        return
      }
      case 'chat_end':
        this.#finish(message.request_id, {
          finishReason: message.payload.finish_reason,
          stats: message.payload.stats
        })
        return
      case 'error': {
        const error = protocolError(message.payload.code, {
          request_id: message.request_id,
          detail: message.payload.detail
        })
        if (message.request_id && this.#requests.has(message.request_id)) {
          this.#finish(message.request_id, { error })
        } else {
          this.#log('warn', 'host reported an error', { code: error.code, detail: error.detail })
        }
        return
      }
    }
  }

  #onDisconnected(conn: FramedConnection<ClientBoundMessage>): void {
    if (this.#conn !== conn) return
    this.#conn = undefined
    const stopped = this.#info?.status === 'stopped'
    const error = protocolError('HOST_DISCONNECTED', {
      detail: stopped ? 'the host stopped' : 'the connection dropped'
    })
    this.#failRequests(error)
    if (this.#isClosed()) return
    this.#reportError(error)
    if (this.#status === 'suspended') return
    this.#setStatus('reconnecting')
    this.#startAttemptTimer()
    this.#scheduleLookup()
  }

  #finish(requestId: string, outcome: Parameters<ChatRequest['_end']>[0]): void {
    const entry = this.#requests.get(requestId)
    if (!entry) return
    clearTimeout(entry.timer)
    this.#requests.delete(requestId)
    entry.request._end(outcome)
  }

  #abortRequest(request: ChatRequest): void {
    if (!this.#requests.has(request.id)) return
    if (!this.#conn?.send({ type: 'abort', request_id: request.id })) {
      this.#finish(request.id, { error: protocolError('HOST_DISCONNECTED') })
    }
  }

  /**
   * TIMEOUT_NO_RESPONSE once the request has heard nothing for the response timeout. Chunks
   * only stamp `lastHeard`; the one timer re-arms itself for the time left when it fires,
   * instead of being replaced on every chunk (a fast stream is many thousand a second).
   */
  #armTimeout(requestId: string): void {
    const entry = this.#requests.get(requestId)
    if (!entry || this.#status === 'suspended') return
    const timeoutMs = this.#options.responseTimeoutMs ?? LIMITS.responseTimeoutMs
    entry.lastHeard = Date.now()
    clearTimeout(entry.timer)
    const check = () => {
      const quietFor = Date.now() - entry.lastHeard
      if (quietFor < timeoutMs) {
        entry.timer = setTimeout(check, timeoutMs - quietFor)
        return
      }
      this.#log('warn', 'no response from host in time', { request_id: requestId })
      this.#conn?.send({ type: 'abort', request_id: requestId })
      this.#finish(requestId, { error: protocolError('TIMEOUT_NO_RESPONSE') })
    }
    entry.timer = setTimeout(check, timeoutMs)
  }

  #failRequests(error: ProtocolError): void {
    for (const id of [...this.#requests.keys()]) this.#finish(id, { error })
  }

  /** HOST_OFFLINE or CONNECT_FAILED when this attempt finds no authenticated host in time. */
  #startAttemptTimer(): void {
    clearTimeout(this.#attemptTimer)
    this.#peersSeen = 0
    this.#attemptTimer = setTimeout(() => {
      if (this.#isClosed() || this.#status === 'connected' || this.#status === 'suspended') return
      const error =
        this.#fatal ??
        (this.#peersSeen > 0
          ? protocolError('CONNECT_FAILED', {
              detail: `${this.#peersSeen} peer(s) found; none proved to be the host`
            })
          : protocolError('HOST_OFFLINE'))
      this.#reportError(error)
      this.#setStatus('offline')
      if (!this.#fatal) this.#scheduleLookup()
    }, this.#options.hostOfflineMs ?? LIMITS.hostOfflineMs)
    if (this.#status !== 'reconnecting') this.#scheduleLookup()
  }

  #scheduleLookup(): void {
    if (this.#fatal) return
    clearTimeout(this.#retryTimer)
    const delays = this.#options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS
    const delay = delays[Math.min(this.#retryIndex++, delays.length - 1)] as number
    this.#retryTimer = setTimeout(() => this.#lookup(), delay)
  }

  #lookup(): void {
    if (
      this.#isClosed() ||
      this.#status === 'connected' ||
      this.#status === 'suspended' ||
      this.#fatal
    )
      return
    this.#log('debug', 'looking up the host', { attempt: this.#retryIndex })
    void this.#discovery?.refresh({ client: true, server: false }).catch(() => {})
    this.#scheduleLookup()
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

  #clearTimers(): void {
    clearTimeout(this.#attemptTimer)
    clearTimeout(this.#retryTimer)
    this.#attemptTimer = undefined
    this.#retryTimer = undefined
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
