// A LocalLLM connection: NDJSON messages over one Hyperswarm stream, validated for this
// side, with the bad-message budget enforced.
//
//   const conn = new FramedConnection(stream, MessageDecoder.forHost(), {
//     message: (m) => handle(m), bad: (err) => conn.send(errorMessage(err)), close: () => cleanup()
//   })
//
// The stream's errors (a peer vanishing is ECONNRESET, or a timeout) are swallowed here and
// surface as `close`, which fires exactly once. `maxBadMessages` bad messages within
// `badMessageWindowMs` destroy the connection (BadMessageBudget). Messages sent in one
// turn of the event loop leave as one stream write (a streamed reply is many small chunks,
// and every write costs an encryption and a packet of its own; see docs/benchmarks.md).

import {
  encodeLine,
  type Message,
  type MessageDecoder,
  type ProtocolError
} from '@localllm/protocol'
import type { SwarmConnection } from 'hyperswarm'
import b4a from 'b4a'
import { BadMessageBudget } from './bad-message-budget.js'

export interface ConnectionHandlers<M> {
  message(message: M): void
  /** A line that failed framing or validation (BAD_MESSAGE or UNSUPPORTED_VERSION). */
  bad(error: ProtocolError): void
  close(): void
}

export interface FramedConnectionOptions {
  maxBadMessages?: number
  badMessageWindowMs?: number
}

export class FramedConnection<M> {
  readonly stream: SwarmConnection
  readonly #decoder: MessageDecoder<M>
  readonly #handlers: ConnectionHandlers<M>
  readonly #budget: BadMessageBudget
  #closed = false
  #outbox: Uint8Array[] = []

  constructor(
    stream: SwarmConnection,
    decoder: MessageDecoder<M>,
    handlers: ConnectionHandlers<M>,
    options: FramedConnectionOptions = {}
  ) {
    this.stream = stream
    this.#decoder = decoder
    this.#handlers = handlers
    this.#budget = new BadMessageBudget({
      max: options.maxBadMessages,
      windowMs: options.badMessageWindowMs
    })
    stream.on('data', this.#ondata)
    stream.on('error', noop)
    stream.on('close', this.#onclose)
    // The peer ended its side: end ours, so the stream closes for both.
    stream.on('end', () => stream.end())
    if (stream.destroyed) queueMicrotask(this.#onclose)
  }

  get closed(): boolean {
    return this.#closed
  }

  get handshakeHash(): Uint8Array {
    return this.stream.handshakeHash
  }

  get remotePublicKey(): Uint8Array {
    return this.stream.remotePublicKey
  }

  /** Sends one message; false when the connection is already closed. */
  send(message: Message): boolean {
    if (this.#closed || this.stream.destroyed) return false
    if (this.#outbox.push(encodeLine(message)) === 1) setImmediate(this.#flush)
    return true
  }

  /**
   * Ends our side after what was sent, and closes once the peer ends too. A peer that does
   * not end its side within `graceMs` is cut off. (Destroying right after our end can drop
   * the last bytes still in flight, so the peer's end is the signal that they arrived.)
   */
  end(graceMs = 1000): void {
    if (this.#closed) return
    const timer = setTimeout(() => this.destroy(), graceMs)
    this.stream.on('close', () => clearTimeout(timer))
    this.#flush()
    this.stream.end()
  }

  /**
   * Counts something the peer did wrong that was not a bad line (e.g. an `error` it keeps
   * sending) against the bad-message budget; destroys the connection when it is spent.
   */
  penalize(): boolean {
    if (this.#closed) return true
    if (!this.#budget.spend()) return false
    this.destroy()
    return true
  }

  destroy(): void {
    this.#flush()
    if (!this.stream.destroyed) this.stream.destroy()
    this.#onclose()
  }

  #flush = (): void => {
    const lines = this.#outbox
    if (lines.length === 0) return
    this.#outbox = []
    if (this.stream.destroyed) return
    this.stream.write(lines.length === 1 ? (lines[0] as Uint8Array) : b4a.concat(lines))
  }

  #ondata = (data: Uint8Array): void => {
    if (this.#closed) return
    for (const result of this.#decoder.push(data)) {
      if (this.#closed) return
      if (result.ok) {
        this.#handlers.message(result.message)
      } else {
        this.#handlers.bad(result.error)
        if (this.#budget.spend()) {
          this.destroy()
          return
        }
      }
    }
  }

  #onclose = (): void => {
    if (this.#closed) return
    this.#closed = true
    this.stream.off('data', this.#ondata)
    this.#handlers.close()
  }
}

function noop(): void {}
