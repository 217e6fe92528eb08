// A protocol-level client for host tests: a real swarm on the testnet, a real Noise stream,
// and full control over what goes on the wire (right or wrong proof, raw bytes, no hello).
//
//   const c = await TestClient.connect({ bootstrap, serverId })        // hello sent, server_info awaited
//   const reply = await c.chat('Hi')                                   // chunks and the terminal message
//   const spy = await TestClient.connect({ bootstrap, topic, hello: false })  // knows the topic only

import b4a from 'b4a'
import {
  MessageDecoder,
  encodeLine,
  parseServerId,
  type ClientBoundMessage,
  type HostBoundMessage,
  type ProtocolError
} from '@localllm/protocol'
import { clientProof, deriveTopic, verifyHostProof } from '@localllm/protocol/capability'
import { createSwarm, waitForBootstrap } from '@localllm/core'
import type { BootstrapNode } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import type { SwarmConnection } from 'hyperswarm'
import { Wakeup } from '../../src/testing-wakeup.js'

export interface TestClientOptions {
  bootstrap: BootstrapNode[]
  /** Server ID to derive topic and proof from. */
  serverId?: string
  /** Or just a topic (a peer that knows only what the DHT knows). */
  topic?: Uint8Array
  /** false: send no hello; 'wrong': a proof made with another secret; default: the right one. */
  hello?: boolean | 'wrong' | 'replay'
  /** A proof captured from another connection, for hello: 'replay'. */
  replayProof?: string
  /** Wait for server_info before resolving (default: when hello is right). */
  waitForInfo?: boolean
  timeoutMs?: number
}

export interface ChatReply {
  text: string
  chunks: string[]
  statuses: number
  terminal: ClientBoundMessage
  /** Messages for this request that came after the terminal one (must stay empty). */
  after: ClientBoundMessage[]
}

let nextRequest = 1

export class TestClient {
  readonly swarm: Hyperswarm
  readonly stream: SwarmConnection
  readonly messages: ClientBoundMessage[] = []
  readonly bad: ProtocolError[] = []
  readonly secret: Uint8Array | undefined
  sentProof: string | undefined
  #closed = false
  #closedAt: number | undefined
  readonly #news = new Wakeup()

  private constructor(swarm: Hyperswarm, stream: SwarmConnection, secret: Uint8Array | undefined) {
    this.swarm = swarm
    this.stream = stream
    this.secret = secret
    const decoder = MessageDecoder.forClient()
    stream.on('data', (data) => {
      for (const r of decoder.push(data)) {
        if (r.ok) this.messages.push(r.message)
        else this.bad.push(r.error)
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

  static async connect(options: TestClientOptions): Promise<TestClient> {
    const parsed = options.serverId ? parseServerId(options.serverId) : undefined
    const secret = parsed?.ok ? parsed.secret : undefined
    const topic = options.topic ?? (secret ? deriveTopic(secret) : undefined)
    if (!topic) throw new Error('TestClient needs a serverId or a topic')
    const swarm = createSwarm({ bootstrap: options.bootstrap })
    await waitForBootstrap(swarm, 5000)
    const stream = await new Promise<SwarmConnection>((resolve, reject) => {
      const timer = setTimeout(() => {
        void swarm.destroy()
        reject(new Error('no connection to the host'))
      }, options.timeoutMs ?? 15000)
      swarm.on('connection', (conn) => {
        clearTimeout(timer)
        resolve(conn)
      })
      swarm.join(topic, { server: false, client: true })
      void swarm.flush()
    })
    const client = new TestClient(swarm, stream, secret)
    const hello = options.hello ?? true
    if (hello !== false) {
      const wrongSecret = b4a.alloc(32, 7)
      const proof =
        hello === 'replay'
          ? (options.replayProof ?? '00'.repeat(32))
          : clientProof(hello === 'wrong' || !secret ? wrongSecret : secret, stream.handshakeHash)
      client.sentProof = proof
      client.send({
        type: 'hello',
        payload: { protocol_version: 1, proof, client: { name: 'test', platform: 'node' } }
      })
    }
    if (options.waitForInfo ?? (hello === true && secret !== undefined)) {
      try {
        await client.waitFor((m) => m.type === 'server_info' || m.type === 'error', {
          timeoutMs: options.timeoutMs ?? 15000
        })
      } catch (err) {
        await swarm.destroy()
        throw err
      }
    }
    return client
  }

  get closed(): boolean {
    return this.#closed
  }

  get closedAt(): number | undefined {
    return this.#closedAt
  }

  /** The latest server_info, checked against the host proof. */
  get info(): Extract<ClientBoundMessage, { type: 'server_info' }>['payload'] | undefined {
    const infos = this.messages.filter((m) => m.type === 'server_info')
    const last = infos[infos.length - 1]
    return last?.type === 'server_info' ? last.payload : undefined
  }

  hostProofValid(): boolean {
    const info = this.info
    return (
      !!info &&
      !!this.secret &&
      verifyHostProof(this.secret, this.stream.handshakeHash, info.host_proof)
    )
  }

  send(message: HostBoundMessage | Record<string, unknown>): void {
    this.stream.write(encodeLine(message))
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.stream.write(typeof bytes === 'string' ? b4a.from(bytes) : bytes)
  }

  /** Resolves with the first message (from index `from`) matching; rejects on close/timeout. */
  async waitFor(
    match: (m: ClientBoundMessage) => boolean,
    options: { timeoutMs?: number; from?: number } = {}
  ): Promise<ClientBoundMessage> {
    return this.#news.until(
      () => {
        const found = this.messages.slice(options.from ?? 0).find(match)
        if (found) return found
        if (this.#closed) throw new Error(`connection closed; got ${this.#summary()}`)
        return undefined
      },
      options.timeoutMs ?? 15000,
      () => new Error(`timed out; got ${this.#summary()}`)
    )
  }

  /** Resolves when the host closes the connection; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 15000): Promise<void> {
    await this.#news.until(
      () => (this.#closed ? true : undefined),
      timeoutMs,
      () => new Error('connection still open')
    )
  }

  startChat(prompt: string, requestId = `req-${nextRequest++}`): string {
    this.send({ type: 'chat_start', request_id: requestId, payload: { prompt } })
    return requestId
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
    await new Promise((r) => setTimeout(r, options.graceMs ?? 50))
    const mine = this.messages.filter((m) => 'request_id' in m && m.request_id === requestId)
    const end = mine.indexOf(terminal)
    const chunks = mine
      .slice(0, end)
      .flatMap((m) => (m.type === 'chat_chunk' ? [m.payload.text] : []))
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

  async close(): Promise<void> {
    await this.swarm.destroy()
  }

  #summary(): string {
    const counts: Record<string, number> = {}
    for (const m of this.messages) {
      const key = m.type === 'error' ? `error:${m.payload.code}` : m.type
      counts[key] = (counts[key] ?? 0) + 1
    }
    return JSON.stringify(counts)
  }
}
