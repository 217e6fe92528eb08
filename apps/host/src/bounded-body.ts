// Reads a whole HTTP response body, but never more than a limit: what the host does with
// every reply from Ollama that is not a stream (/api/version, /api/tags, /api/show, /api/ps,
// an error body, a model load), so a broken or hostile Ollama cannot make it buffer without end.
//
//   const body = await readBoundedJson(res, 4 * 1024 * 1024)   // throws BodyTooLongError past it
//
// A body over the limit is cancelled at once (the connection closes); Content-Length is not
// trusted, only counted bytes are.

export class BodyTooLongError extends Error {
  constructor(maxBytes: number) {
    super(`Ollama sent a reply longer than ${maxBytes} bytes`)
    this.name = 'BodyTooLongError'
  }
}

/** The body's bytes, up to `maxBytes`; throws BodyTooLongError past that. */
export async function readBounded(res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0)
  const reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>
  const chunks: Uint8Array[] = []
  let length = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      length += value.byteLength
      if (length > maxBytes) throw new BodyTooLongError(maxBytes)
      chunks.push(value)
    }
  } catch (err) {
    await reader.cancel().catch(() => {})
    throw err
  }
  return Buffer.concat(chunks, length)
}

/** The body parsed as JSON, or undefined when it is not JSON. Throws BodyTooLongError. */
export async function readBoundedJson(res: Response, maxBytes: number): Promise<unknown> {
  const text = (await readBounded(res, maxBytes)).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
