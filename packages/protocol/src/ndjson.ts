// NDJSON framing: one JSON value per `\n`-terminated UTF-8 line, as both ends of a
// LocalLLM connection (and the worklet's IPC) speak it.
//
//   const decoder = new NdjsonDecoder()
//   socket.on('data', (chunk) => { for (const frame of decoder.push(chunk)) ... })
//   socket.write(encodeLine({ type: 'abort', request_id: 'r1' }))
//
// The decoder splits on the `\n` byte before decoding text, so a multi-byte character cut
// across chunks is never mangled (0x0A never occurs inside a UTF-8 sequence). It holds at
// most `maxLineBytes` of one line: past that it drops bytes until the next newline and
// reports the line as BAD_MESSAGE, so memory stays bounded whatever a peer sends.

import b4a from 'b4a'
import { LIMITS } from './limits.js'
import { protocolError, type ProtocolError } from './errors.js'

export type Frame = { ok: true; value: unknown } | { ok: false; error: ProtocolError }

const NEWLINE = 0x0a
const CR = 0x0d
const REPLACEMENT_CHAR = '\uFFFD'
const REQUEST_ID_PATTERN = /"request_id"\s*:\s*"([^"\\]{1,128})"/

export interface NdjsonDecoderOptions {
  /** Longest line kept, in bytes, not counting the newline. Default: LIMITS.maxLineBytes. */
  maxLineBytes?: number
}

export class NdjsonDecoder {
  #maxLineBytes: number
  #pieces: Uint8Array[] = []
  #length = 0
  #discarding = false

  constructor(options: NdjsonDecoderOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? LIMITS.maxLineBytes
  }

  /** Bytes of the current unfinished line held in memory. */
  get buffered(): number {
    return this.#length
  }

  get maxLineBytes(): number {
    return this.#maxLineBytes
  }

  /** Changes the limit from the next byte on (e.g. a host allows a small `hello` only). */
  set maxLineBytes(bytes: number) {
    this.#maxLineBytes = bytes
  }

  /** Feeds bytes in; returns every line they complete, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = []
    let start = 0
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start)
      const end = newline === -1 ? chunk.length : newline
      this.#append(chunk, start, end)
      if (newline === -1) break
      this.#finishLine(frames)
      start = newline + 1
    }
    return frames
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): Frame[] {
    const frames: Frame[] = []
    if (this.#length > 0 || this.#discarding) this.#finishLine(frames)
    return frames
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    if (this.#discarding || end === start) return
    if (this.#length + (end - start) > this.#maxLineBytes) {
      this.#pieces = []
      this.#length = 0
      this.#discarding = true
      return
    }
    this.#pieces.push(chunk.subarray(start, end))
    this.#length += end - start
  }

  #finishLine(frames: Frame[]): void {
    if (this.#discarding) {
      this.#discarding = false
      frames.push(badLine(undefined, `line longer than ${this.#maxLineBytes} bytes`))
      return
    }
    const line = this.#pieces.length === 1 ? this.#pieces[0]! : b4a.concat(this.#pieces)
    this.#pieces = []
    this.#length = 0
    const frame = decodeLine(line)
    if (frame) frames.push(frame)
  }
}

/** One line's bytes (newline stripped) to a frame; undefined for a blank keepalive line. */
function decodeLine(line: Uint8Array): Frame | undefined {
  const bytes = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line
  if (bytes.length === 0) return undefined
  const text = b4a.toString(bytes, 'utf8')
  if (text.includes(REPLACEMENT_CHAR) && !b4a.equals(b4a.from(text, 'utf8'), bytes)) {
    return badLine(undefined, 'line is not valid UTF-8')
  }
  if (text.trim() === '') return undefined
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return badLine(REQUEST_ID_PATTERN.exec(text)?.[1], 'line is not valid JSON')
  }
}

function badLine(requestId: string | undefined, detail: string): Frame {
  return { ok: false, error: protocolError('BAD_MESSAGE', { request_id: requestId, detail }) }
}

/**
 * One value as an NDJSON line. Throws RangeError when the line would exceed the peer's
 * limit: the sender must split or shorten (a programmer error, not a wire error).
 */
export function encodeLine(value: unknown, maxLineBytes: number = LIMITS.maxLineBytes): Uint8Array {
  const line = b4a.from(JSON.stringify(value) + '\n', 'utf8')
  if (line.length - 1 > maxLineBytes) {
    throw new RangeError(`NDJSON line of ${line.length - 1} bytes exceeds ${maxLineBytes}`)
  }
  return line
}
