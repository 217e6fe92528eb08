// A protocol-level client with full control over the bytes (right, wrong or replayed proof,
// raw lines, no hello), for the host tests and the reliability harnesses. It dials the host's
// key like the app does (a DHT node of its own) or through a shared DHT node (a fuzz run
// needs tens of thousands of connections; a DHT node each costs seconds). It is a device:
// pass the same `keyPair` again to come back as one the host has paired. A per-request
// ledger counts violations; `keepMessages: false` keeps only counts.
//
//   const c = await WirePeer.join({ bootstrap, code })              // hello sent, server_info awaited
//   const reply = await c.chat('Hi')                                // chunks and the terminal message
//   const p = await WirePeer.connect(dht, hostKey, { secret, keepMessages: false })
//   const id = p.startChat('Hi', 'r1'); await p.terminal(id)        // exactly one, or a violation

import DHT, { type BootstrapNode, type KeyPair, type NoiseStream } from 'hyperdht'
import b4a from 'b4a'
import {
  MessageDecoder,
  PROTOCOL_VERSION,
  encodeLine,
  parsePairingCode,
  type ClientBoundMessage,
  type HostBoundMessage
} from '@localllm/protocol'
import { pairingProof } from '@localllm/protocol/capability'
import { createDht, waitForBootstrap } from '@localllm/core'
import { Wakeup } from './wakeup.js'

/** The hello to send: a proof made with the right secret, another one, none, or a given one. */
export type Hello = 'right' | 'wrong' | 'none' | { proof: string }

export interface WirePeerOptions {
  /** The pairing code's access secret; without it the peer knows only the host's key. */
  secret?: Uint8Array
  /** This peer's device key pair (default: a new one, i.e. a device the host never saw). */
  keyPair?: KeyPair
  /** `hello.client.name` (default 'wire-peer'). */
  name?: string
  /** Default 'right' with a secret, 'none' without. */
  hello?: Hello
  /** Wait for server_info, and reject if an error comes first (default: when hello is 'right'). */
  waitForInfo?: boolean
  timeoutMs?: number
  /** Keep every message in `messages` (default true); false keeps counts and the ledger only. */
  keepMessages?: boolean
  onMessage?: (message: ClientBoundMessage) => void
}

export interface JoinOptions extends Omit<WirePeerOptions, 'secret'> {
  bootstrap: BootstrapNode[]
  /** The pairing code: the host's key and the secret for the proof. */
  code?: string
  /** Or just the host's key (a peer that knows only what the DHT can learn). */
  hostKey?: Uint8Array
}

export interface ChatReply {
  text: string
  chunks: string[]
  statuses: number
  terminal: ClientBoundMessage
  /** Messages for this request that came after the terminal one (must stay empty). */
  after: ClientBoundMessage[]
}

interface Ledger {
  sentAt: number
  terminal: ClientBoundMessage | undefined
  chunks: number
}

let nextRequest = 1

export class WirePeer {
  readonly stream: NoiseStream
  readonly secret: Uint8Array | undefined
  /** Every message received, in order (empty with `keepMessages: false`). */
  readonly messages: ClientBoundMessage[] = []
  /** Messages received, by type (`error:CODE` for errors). */
  readonly received: Record<string, number> = {}
  /** Messages that carried a request id whose terminal message had already arrived. */
  afterTerminal = 0
  /** Terminal messages for ids this peer never started. */
  strayTerminals = 0
  /** Lines that did not decode as a host → client message. */
  undecodable = 0
  serverInfos = 0
  /** The proof this peer's hello carried. */
  sentProof: string | undefined
  /** This peer's device key pair. */
  readonly keyPair: KeyPair
  readonly #dht: DHT | undefined
  readonly #keepMessages: boolean
  readonly #ledger = new Map<string, Ledger>()
  readonly #done = new Set<string>()
  readonly #onMessage: ((message: ClientBoundMessage) => void) | undefined
  #closed = false
  #closedAt: number | undefined
  #full = false
  /** The error code the host answered with before any server_info (HOST_FULL, …). */
  #refusal: string | undefined
  readonly #news = new Wakeup()

  private constructor(
    stream: NoiseStream,
    dht: DHT | undefined,
    keyPair: KeyPair,
    secret: Uint8Array | undefined,
    options: WirePeerOptions
  ) {
    this.stream = stream
    this.#dht = dht
    this.keyPair = keyPair
    this.secret = secret
    this.#keepMessages = options.keepMessages ?? true
    this.#onMessage = options.onMessage
    const decoder = MessageDecoder.forClient()
    stream.on('data', (data) => {
      for (const result of decoder.push(data)) {
        if (result.ok) this.#record(result.message)
        else this.undecodable++
      }
      this.#news.wake()
    })
    stream.on('error', () => {})
    stream.on('end', () => stream.end())
    stream.on('close', () => {
      this.#closed = true
      this.#closedAt = Date.now()
      this.#news.wake()
    })
  }

  /** Dials the host the way the app does: a DHT node of its own, the host's key. */
  static async join(options: JoinOptions): Promise<WirePeer> {
    const parsed = options.code ? parsePairingCode(options.code) : undefined
    if (parsed && !parsed.ok) throw new Error(`not a pairing code: ${parsed.error.detail ?? ''}`)
    const hostKey = parsed?.hostKey ?? options.hostKey
    if (!hostKey) throw new Error('WirePeer.join needs a code or a host key')
    const dht = createDht({ bootstrap: options.bootstrap })
    try {
      await waitForBootstrap(dht, 5000)
      return await WirePeer.#dial(dht, true, hostKey, {
        ...options,
        timeoutMs: options.timeoutMs ?? 15000,
        ...(parsed?.ok ? { secret: parsed.secret } : {})
      })
    } catch (err) {
      await dht.destroy()
      throw err
    }
  }

  /** Dials a host's public key through a shared DHT node. */
  static connect(dht: DHT, hostKey: Uint8Array, options: WirePeerOptions = {}): Promise<WirePeer> {
    return WirePeer.#dial(dht, false, hostKey, {
      ...options,
      timeoutMs: options.timeoutMs ?? 10000
    })
  }

  static async #dial(
    dht: DHT,
    ownsDht: boolean,
    hostKey: Uint8Array,
    options: WirePeerOptions & { timeoutMs: number }
  ): Promise<WirePeer> {
    const timeoutMs = options.timeoutMs
    const keyPair = options.keyPair ?? DHT.keyPair()
    const stream = dht.connect(hostKey, { keyPair })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.destroy()
        reject(new Error('no connection to the host'))
      }, timeoutMs)
      stream.on('error', () => {})
      stream.on('open', () => {
        clearTimeout(timer)
        resolve()
      })
      stream.on('close', () => {
        clearTimeout(timer)
        reject(new Error('the connection closed before it opened'))
      })
    })
    return WirePeer.#open(stream, ownsDht ? dht : undefined, keyPair, options)
  }

  /** Sends the hello the options ask for and waits for server_info when they say so. */
  static async #open(
    stream: NoiseStream,
    dht: DHT | undefined,
    keyPair: KeyPair,
    options: WirePeerOptions & { timeoutMs: number }
  ): Promise<WirePeer> {
    const peer = new WirePeer(stream, dht, keyPair, options.secret, options)
    const hello = options.hello ?? (options.secret ? 'right' : 'none')
    if (hello !== 'none') {
      const proof =
        typeof hello === 'object'
          ? hello.proof
          : pairingProof(
              hello === 'right' && options.secret ? options.secret : b4a.alloc(16, 7),
              stream.handshakeHash
            )
      peer.sentProof = proof
      peer.send({
        type: 'hello',
        payload: {
          protocol_version: PROTOCOL_VERSION,
          proof,
          client: { name: options.name ?? 'wire-peer', platform: 'node' }
        }
      })
    }
    if (options.waitForInfo ?? hello === 'right') {
      try {
        await peer.until(
          () => peer.serverInfos > 0 || peer.#refusal !== undefined,
          options.timeoutMs,
          'no server_info'
        )
        if (peer.serverInfos === 0) throw new Error(`the host answered ${peer.#refusal}`)
      } catch (err) {
        await peer.close()
        throw err
      }
    }
    return peer
  }

  get closed(): boolean {
    return this.#closed
  }

  get closedAt(): number | undefined {
    return this.#closedAt
  }

  /** The latest server_info's payload (needs kept messages). */
  get info(): Extract<ClientBoundMessage, { type: 'server_info' }>['payload'] | undefined {
    const infos = this.#kept('info').filter((m) => m.type === 'server_info')
    const last = infos[infos.length - 1]
    return last?.type === 'server_info' ? last.payload : undefined
  }

  /** The proof this connection's hello carries (for replaying it elsewhere). */
  proofFor(secret: Uint8Array): string {
    return pairingProof(secret, this.stream.handshakeHash)
  }

  /** The refusal the host answered before any server_info (HOST_FULL, DEVICE_REMOVED, …). */
  get refusal(): string | undefined {
    return this.#refusal
  }

  send(message: HostBoundMessage | Record<string, unknown>): boolean {
    return this.write(encodeLine(message))
  }

  /** Raw bytes or text, as they are: half lines, bad JSON, floods. */
  write(bytes: Uint8Array | string): boolean {
    if (this.#closed || this.stream.destroyed) return false
    if (!this.stream.write(typeof bytes === 'string' ? b4a.from(bytes) : bytes)) this.#full = true
    return true
  }

  /** Resolves once the stream has room again (or closed): backpressure for floods. */
  async drained(): Promise<void> {
    if (!this.#full || this.#closed) return
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done)
        this.stream.off('close', done)
        resolve()
      }
      this.stream.on('drain', done)
      this.stream.on('close', done)
    })
    this.#full = false
  }

  /** Sends chat_start and opens a ledger entry for its id (a new one unless given). */
  startChat(prompt: string, requestId = `req-${nextRequest++}`): string {
    if (!this.#ledger.has(requestId)) {
      this.#ledger.set(requestId, { sentAt: Date.now(), terminal: undefined, chunks: 0 })
    }
    this.send({ type: 'chat_start', request_id: requestId, payload: { prompt } })
    return requestId
  }

  abort(requestId: string): void {
    this.send({ type: 'abort', request_id: requestId })
  }

  /** The terminal message of a started request, once it has one. */
  terminalOf(requestId: string): ClientBoundMessage | undefined {
    return this.#ledger.get(requestId)?.terminal
  }

  chunksOf(requestId: string): number {
    return this.#ledger.get(requestId)?.chunks ?? 0
  }

  /** Forgets a finished request (keeps memory flat in long runs; late messages still count). */
  forget(requestId: string): void {
    const entry = this.#ledger.get(requestId)
    if (entry?.terminal) this.#done.add(requestId)
    this.#ledger.delete(requestId)
  }

  /** Resolves with the request's terminal message; rejects on close or timeout. */
  async terminal(requestId: string, timeoutMs = 10000): Promise<ClientBoundMessage> {
    await this.until(() => this.terminalOf(requestId) !== undefined, timeoutMs, 'no terminal')
    return this.terminalOf(requestId) as ClientBoundMessage
  }

  /** Resolves once `condition()` holds; rejects when the connection closes first or on timeout. */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await this.#news.until(
      () => {
        if (condition()) return true
        if (this.#closed) throw new Error(`${what}: connection closed; got ${this.#summary()}`)
        return undefined
      },
      timeoutMs,
      () => new Error(`${what}: timed out; got ${this.#summary()}`)
    )
  }

  /** The first kept message (from index `from`) matching; rejects on close or timeout. */
  async waitFor(
    match: (m: ClientBoundMessage) => boolean,
    options: { timeoutMs?: number; from?: number } = {}
  ): Promise<ClientBoundMessage> {
    const messages = this.#kept('waitFor')
    let found: ClientBoundMessage | undefined
    await this.until(
      () => (found = messages.slice(options.from ?? 0).find(match)) !== undefined,
      options.timeoutMs ?? 15000,
      'no such message'
    )
    return found as ClientBoundMessage
  }

  /** Resolves once the host closed the connection; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 15000): Promise<void> {
    await this.#news.until(
      () => (this.#closed ? true : undefined),
      timeoutMs,
      () => new Error('connection still open')
    )
  }

  /** Collects one request's chunks up to its terminal message, plus a short grace period. */
  async reply(
    requestId: string,
    options: { timeoutMs?: number; graceMs?: number } = {}
  ): Promise<ChatReply> {
    const terminal = await this.waitFor(
      (m) =>
        'request_id' in m &&
        m.request_id === requestId &&
        (m.type === 'chat_end' || m.type === 'error'),
      { timeoutMs: options.timeoutMs ?? 20000 }
    )
    await new Promise<void>((resolve) => setTimeout(() => resolve(), options.graceMs ?? 50))
    const mine = this.messages.filter((m) => 'request_id' in m && m.request_id === requestId)
    const end = mine.indexOf(terminal)
    const chunks = mine
      .slice(0, end)
      .flatMap((m) => (m.type === 'chat_chunk' && m.payload.text ? [m.payload.text] : []))
    return {
      text: chunks.join(''),
      chunks,
      statuses: mine.slice(0, end).filter((m) => m.type === 'chat_status').length,
      terminal,
      after: mine.slice(end + 1)
    }
  }

  async chat(prompt: string, options?: { timeoutMs?: number }): Promise<ChatReply> {
    return this.reply(this.startChat(prompt), options)
  }

  /** Drops the connection at once, no goodbye. */
  destroy(): void {
    this.stream.destroy()
  }

  /** Drops the connection and the DHT node this peer dialed with, if it has its own. */
  async close(): Promise<void> {
    this.stream.destroy()
    await this.#dht?.destroy()
  }

  #kept(what: string): ClientBoundMessage[] {
    if (!this.#keepMessages) throw new Error(`${what} needs keepMessages`)
    return this.messages
  }

  #record(message: ClientBoundMessage): void {
    if (this.#keepMessages) this.messages.push(message)
    if (message.type === 'error' && this.serverInfos === 0) this.#refusal ??= message.payload.code
    const key = message.type === 'error' ? `error:${message.payload.code}` : message.type
    this.received[key] = (this.received[key] ?? 0) + 1
    if (message.type === 'server_info') this.serverInfos++
    const requestId = 'request_id' in message ? message.request_id : undefined
    if (requestId !== undefined) {
      const entry = this.#ledger.get(requestId)
      const terminal = message.type === 'chat_end' || message.type === 'error'
      if (this.#done.has(requestId) || entry?.terminal) this.afterTerminal++
      else if (entry && terminal) entry.terminal = message
      else if (entry && message.type === 'chat_chunk') entry.chunks++
      else if (!entry && terminal) this.strayTerminals++
    }
    this.#onMessage?.(message)
  }

  #summary(): string {
    return JSON.stringify(this.received)
  }
}
