// Framing and validation together: bytes in, typed messages or protocol errors out.
//
//   const decoder = MessageDecoder.forHost()      // the host reads what clients send
//   for (const r of decoder.push(chunk)) r.ok ? handle(r.message) : reply(r.error)

import { NdjsonDecoder, type NdjsonDecoderOptions } from './ndjson.js'
import { parseClientBound, parseHostBound, type ParseResult } from './validate.js'
import type { ClientBoundMessage, HostBoundMessage } from './messages.js'

export class MessageDecoder<M> {
  readonly #lines: NdjsonDecoder
  readonly #parse: (value: unknown) => ParseResult<M>

  constructor(parse: (value: unknown) => ParseResult<M>, options: NdjsonDecoderOptions = {}) {
    this.#lines = new NdjsonDecoder(options)
    this.#parse = parse
  }

  /** Decodes what clients send (the host's side of a connection). */
  static forHost(options?: NdjsonDecoderOptions): MessageDecoder<HostBoundMessage> {
    return new MessageDecoder(parseHostBound, options)
  }

  /** Decodes what a host sends (the client's side of a connection). */
  static forClient(options?: NdjsonDecoderOptions): MessageDecoder<ClientBoundMessage> {
    return new MessageDecoder(parseClientBound, options)
  }

  get buffered(): number {
    return this.#lines.buffered
  }

  /** The longest line accepted; settable, e.g. a small limit until `hello` is accepted. */
  get maxLineBytes(): number {
    return this.#lines.maxLineBytes
  }

  set maxLineBytes(bytes: number) {
    this.#lines.maxLineBytes = bytes
  }

  push(chunk: Uint8Array): ParseResult<M>[] {
    return this.#lines.push(chunk).map((frame) => (frame.ok ? this.#parse(frame.value) : frame))
  }

  end(): ParseResult<M>[] {
    return this.#lines.end().map((frame) => (frame.ok ? this.#parse(frame.value) : frame))
  }
}
