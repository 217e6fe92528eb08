// What the host sends is valid, whatever Ollama or a bug produced: names are clamped to the
// schema's limits, and each message is checked against its schema (and, for a chunk, the
// line limit) before it goes out. A message that fails is not sent; the caller ends the
// request with GENERATION_FAILED instead (docs/spec.md, Decisions).
//
//   const checked = checkOutgoing(message)         // { ok: true } | { ok: false, detail }
//   server_info.model = clampName(model)           // 256 characters at most, '…' marks a cut
//
// Chunks are checked for size by construction too: ChatService splits text with
// splitByEncodedSize to CHUNK_TEXT_BYTES, far under the line limit with any envelope.

import { LIMITS, parseClientBound, type ClientBoundMessage } from '@localllm/protocol'
import { encodedSize } from './encoded-split.js'

/** Escaped UTF-8 bytes of chunk text per `chat_chunk` (text and thinking each). */
export const CHUNK_TEXT_BYTES = 16 * 1024
// type, request_id (128 characters, escaped at most 6 bytes each), keys and punctuation.
const CHUNK_ENVELOPE_BYTES = 1024

export type OutgoingCheck = { ok: true } | { ok: false; detail: string }

export function checkOutgoing(message: ClientBoundMessage): OutgoingCheck {
  const parsed = parseClientBound(message)
  if (!parsed.ok) return { ok: false, detail: `${message.type}: ${parsed.error.detail ?? ''}` }
  if (message.type === 'chat_chunk') {
    const { text, thinking } = message.payload
    const bytes =
      (text ? encodedSize(text) : 0) + (thinking ? encodedSize(thinking) : 0) + CHUNK_ENVELOPE_BYTES
    if (bytes > LIMITS.maxLineBytes) {
      return { ok: false, detail: `chat_chunk: about ${bytes} bytes, over the line limit` }
    }
  }
  return { ok: true }
}

/** `text` cut to `max` UTF-16 units (the schema's unit), ending in '…' when cut. */
export function clampName(text: string, max: number = LIMITS.maxNameLength): string {
  if (text.length <= max) return text
  let end = max - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end-- // never keep half a surrogate pair
  return text.slice(0, end) + '…'
}
