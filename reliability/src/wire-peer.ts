// A protocol-level peer for the harnesses: one Noise stream to the host, straight through a
// shared HyperDHT node with a fresh key pair, full control over the bytes, and a per-request
// ledger that counts violations instead of keeping every message (a million frames must fit).
//
//   const dht = new DHT({ bootstrap })
//   const key = await findHost(dht, topic)                      // what any DHT node can learn
//   const peer = await WirePeer.connect(dht, key, { secret })   // hello sent, server_info awaited
//   const id = peer.startChat('Hi'); await peer.terminal(id)    // exactly one, or a violation
//
// Why not apps/host/test/helpers/test-client.ts: it is another package's test helper (src and
// dist sit at different depths, so no relative import works both for tsc and at run time), it
// keeps every message, and it finds the host through a new Hyperswarm per client, which costs
// seconds per connection; a fuzz run needs tens of thousands.

import DHT, { type KeyPair } from 'hyperdht'
import b4a from 'b4a'
import { MessageDecoder, encodeLine, type ClientBoundMessage } from '@localllm/protocol'
import { clientProof, verifyHostProof } from '@localllm/protocol/capability'
import { Wakeup } from '@localllm/host/testing'

/** The parts of a HyperDHT node and its streams the peer uses (the shared types omit them). */
interface NoiseStream {
  readonly handshakeHash: Uint8Array
  readonly destroyed: boolean
  write(data: Uint8Array): boolean
  end(): void
  destroy(): void
  setKeepAlive(ms: number): void
  on(event: 'data', listener: (data: Uint8Array) => void): this
  on(event: 'open' | 'close' | 'end' | 'drain', listener: () => void): this
  off(event: 'drain' | 'close', listener: () => void): this
  on(event: 'error', listener: (err: Error) => void): this
}
interface DhtWithConnect {
  connect(publicKey: Uint8Array, options: { keyPair: KeyPair }): NoiseStream
  lookup(topic: Uint8Array): AsyncIterable<{ peers: Array<{ publicKey: Uint8Array }> }>
}

export type Hello = 'right' | 'wrong' | 'none' | { proof: string }

export interface WirePeerOptions {
  /** The Server ID's secret; without it the peer knows only the topic. */
  secret?: Uint8Array
  /** Default 'right' with a secret, 'none' without. */
  hello?: Hello
  /** Wait for server_info (default: when hello is 'right'). */
  waitForInfo?: boolean
  timeoutMs?: number
  onMessage?: (message: ClientBoundMessage) => void
}

interface Ledger {
  sentAt: number
  terminal: ClientBoundMessage | undefined
  chunks: number
}

/** Looks the topic up on the DHT: the host's public key, as any DHT node could learn it. */
export async function findHost(
  dht: DHT,
  topic: Uint8Array,
  timeoutMs = 10000
): Promise<Uint8Array> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    for await (const reply of (dht as unknown as DhtWithConnect).lookup(topic)) {
      const peer = reply.peers[0]
      if (peer) return peer.publicKey
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('no host announced on the topic')
}

export class WirePeer {
  readonly stream: NoiseStream
  readonly secret: Uint8Array | undefined
  /** Messages received, by type (`error:CODE` for errors). */
  readonly received: Record<string, number> = {}
  /** Messages that carried a request id whose terminal message had already arrived. */
  afterTerminal = 0
  /** Terminal messages for ids this peer never started. */
  strayTerminals = 0
  /** Lines that did not decode as a host → client message. */
  undecodable = 0
  serverInfos = 0
  proofValid = false
  readonly #ledger = new Map<string, Ledger>()
  readonly #onMessage: ((message: ClientBoundMessage) => void) | undefined
  #closed = false
  #closedAt: number | undefined
  readonly #news = new Wakeup()

  private constructor(
    stream: NoiseStream,
    secret: Uint8Array | undefined,
    options: WirePeerOptions
  ) {
    this.stream = stream
    this.secret = secret
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

  static async connect(
    dht: DHT,
    hostKey: Uint8Array,
    options: WirePeerOptions = {}
  ): Promise<WirePeer> {
    const timeoutMs = options.timeoutMs ?? 10000
    const stream = (dht as unknown as DhtWithConnect).connect(hostKey, { keyPair: DHT.keyPair() })
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
    const peer = new WirePeer(stream, options.secret, options)
    const hello = options.hello ?? (options.secret ? 'right' : 'none')
    if (hello !== 'none') {
      const proof =
        typeof hello === 'object'
          ? hello.proof
          : clientProof(
              hello === 'right' && options.secret ? options.secret : b4a.alloc(32, 7),
              stream.handshakeHash
            )
      peer.send({
        type: 'hello',
        payload: { protocol_version: 1, proof, client: { name: 'reliability', platform: 'node' } }
      })
    }
    if (options.waitForInfo ?? hello === 'right') {
      try {
        await peer.until(() => peer.serverInfos > 0, timeoutMs, 'no server_info')
      } catch (err) {
        peer.destroy()
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

  /** The proof this connection's hello carries (for replaying it elsewhere). */
  proofFor(secret: Uint8Array): string {
    return clientProof(secret, this.stream.handshakeHash)
  }

  send(message: Record<string, unknown>): boolean {
    return this.write(encodeLine(message))
  }

  write(bytes: Uint8Array | string): boolean {
    if (this.#closed || this.stream.destroyed) return false
    if (!this.stream.write(typeof bytes === 'string' ? b4a.from(bytes) : bytes)) this.#full = true
    return true
  }

  #full = false

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

  /** Sends chat_start and opens a ledger entry for its id. */
  startChat(prompt: string, requestId: string): string {
    this.#ledger.set(requestId, { sentAt: Date.now(), terminal: undefined, chunks: 0 })
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

  readonly #done = new Set<string>()

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
        if (this.#closed) throw new Error(`${what}: connection closed`)
        return undefined
      },
      timeoutMs,
      () => new Error(`${what}: timed out`)
    )
  }

  /** Resolves once the host closed the connection; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<void> {
    await this.#news.until(
      () => (this.#closed ? true : undefined),
      timeoutMs,
      () => new Error('connection still open')
    )
  }

  destroy(): void {
    this.stream.destroy()
  }

  #record(message: ClientBoundMessage): void {
    const key = message.type === 'error' ? `error:${message.payload.code}` : message.type
    this.received[key] = (this.received[key] ?? 0) + 1
    if (message.type === 'server_info') {
      this.serverInfos++
      this.proofValid =
        !!this.secret &&
        verifyHostProof(this.secret, this.stream.handshakeHash, message.payload.host_proof)
    }
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
}
