// Ollama's streamed reply (one JSON object per `\n`-terminated line) to parsed values, in
// linear time and bounded memory: the host's own reader, not the `ollama` client's, whose
// line splitting re-scans a growing string (quadratic) and never stops growing.
//
//   const reader = new NdjsonLineReader(OLLAMA_MAX_LINE_BYTES)
//   for await (const chunk of body) reader.push(chunk, (value) => handle(value))  // throws LineTooLongError
//   reader.end((value) => handle(value))    // a last line without its newline
//
// Each byte is looked at once by `indexOf` and copied at most once (only the unfinished tail
// of a chunk is kept, as a copy, so a held line never pins a larger buffer); each line is
// decoded and JSON-parsed once. Past `maxLineBytes` of one line it throws at once.

/** Thrown by push() when one line grows past the limit; the caller closes the stream. */
export class LineTooLongError extends Error {
  readonly maxLineBytes: number
  constructor(maxLineBytes: number) {
    super(`Ollama sent a line longer than ${maxLineBytes} bytes`)
    this.name = 'LineTooLongError'
    this.maxLineBytes = maxLineBytes
  }
}

/** Thrown for a line that is not JSON. */
export class BadLineError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'BadLineError'
  }
}

const NEWLINE = 0x0a

export class NdjsonLineReader {
  readonly maxLineBytes: number
  #pieces: Buffer[] = []
  #length = 0

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes
  }

  /** Bytes of the unfinished line held now (never more than maxLineBytes). */
  get buffered(): number {
    return this.#length
  }

  /** Feeds a chunk; calls `onValue` for every line it completes, in order. */
  push(chunk: Uint8Array, onValue: (value: unknown) => void): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start)
      const end = newline === -1 ? bytes.length : newline
      if (this.#length + (end - start) > this.maxLineBytes) {
        this.#pieces = []
        this.#length = 0
        throw new LineTooLongError(this.maxLineBytes)
      }
      if (newline === -1) {
        this.#pieces.push(Buffer.from(bytes.subarray(start, end)))
        this.#length += end - start
        return
      }
      if (this.#length === 0) {
        this.#parse(bytes.toString('utf8', start, end), onValue)
      } else {
        this.#pieces.push(bytes.subarray(start, end))
        const line = Buffer.concat(this.#pieces, this.#length + (end - start))
        this.#pieces = []
        this.#length = 0
        this.#parse(line.toString('utf8'), onValue)
      }
      start = newline + 1
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  end(onValue: (value: unknown) => void): void {
    if (this.#length === 0) return
    const line = Buffer.concat(this.#pieces, this.#length)
    this.#pieces = []
    this.#length = 0
    this.#parse(line.toString('utf8'), onValue)
  }

  #parse(text: string, onValue: (value: unknown) => void): void {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      if (text.trim() === '') return // a blank line (or a lone \r)
      throw new BadLineError(`Ollama sent a line that is not JSON (${text.length} characters)`)
    }
    onValue(value)
  }
}
