import test from 'brittle'
import fc from 'fast-check'
import b4a from 'b4a'
import {
  ERROR_CODES,
  ERROR_INFO,
  LIMITS,
  MessageDecoder,
  encodeLine,
  type ClientBoundMessage,
  type HostBoundMessage
} from '../src/index.js'
import { splitAt } from './helpers/bytes.js'

const requestId = fc.string({ minLength: 1, maxLength: 40 })
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 })
const count = fc.nat({ max: 1_000_000 })
const ms = fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true })
const hex = fc.stringMatching(/^[0-9a-f]{64}$/)

const hostBound: fc.Arbitrary<HostBoundMessage> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    payload: fc.record({ protocol_version: fc.constant(2), proof: hex })
  }),
  fc.record({
    type: fc.constant('chat_start' as const),
    request_id: requestId,
    payload: fc.record(
      {
        prompt: fc.string({ unit: 'binary', minLength: 1, maxLength: 2000 }),
        history: fc.array(
          fc.record({
            role: fc.constantFrom('user' as const, 'assistant' as const),
            content: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 })
          }),
          { maxLength: 8 }
        )
      },
      { requiredKeys: ['prompt'] }
    )
  }),
  fc.record({ type: fc.constant('abort' as const), request_id: requestId })
)

const clientBound: fc.Arbitrary<ClientBoundMessage> = fc.oneof(
  fc.record({
    type: fc.constant('chat_chunk' as const),
    request_id: requestId,
    payload: fc.oneof(
      fc.record({ text }),
      fc.record({ thinking: text }),
      fc.record({ text, thinking: text })
    )
  }),
  fc.record({
    type: fc.constant('chat_status' as const),
    request_id: requestId,
    payload: fc.record({ state: fc.constantFrom('loading_model' as const, 'waiting' as const) })
  }),
  fc.record({
    type: fc.constant('chat_end' as const),
    request_id: requestId,
    payload: fc.record({
      finish_reason: fc.constantFrom('stop' as const, 'length' as const),
      stats: fc.record({
        prompt_tokens: count,
        completion_tokens: count,
        first_token_ms: ms,
        total_ms: ms,
        tokens_per_second: ms
      })
    })
  }),
  fc.constantFrom(...ERROR_CODES).map((code): ClientBoundMessage => ({
    type: 'error',
    request_id: 'e1',
    payload: { code, message: ERROR_INFO[code].message, retryable: ERROR_INFO[code].retryable }
  })),
  fc.record({
    type: fc.constant('server_info' as const),
    payload: fc.record({
      host_name: fc.string({ unit: 'binary', maxLength: 60 }),
      model: fc.string({ maxLength: 60 }),
      status: fc.constantFrom(
        'ready' as const,
        'busy' as const,
        'unavailable' as const,
        'stopped' as const
      ),
      protocol_version: fc.constant(2),
      limits: fc.record({
        max_prompt_bytes: count,
        max_clients: count,
        response_timeout_ms: count,
        max_reply_tokens: count,
        max_reply_ms: count
      })
    })
  })
)

/** A stream of messages, with CRLF endings and keepalive blank lines mixed in. */
function streamOf<M>(messages: M[], crlf: boolean[], keepalive: boolean[]): Uint8Array {
  const parts: Uint8Array[] = []
  messages.forEach((m, i) => {
    if (keepalive[i]) parts.push(b4a.from('\n'))
    const line = encodeLine(m)
    parts.push(crlf[i] ? b4a.concat([line.subarray(0, -1), b4a.from('\r\n')]) : line)
  })
  return b4a.concat(parts)
}

function decodeAll<M>(decoder: MessageDecoder<M>, chunks: Uint8Array[]): unknown[] {
  const out: unknown[] = []
  for (const chunk of chunks)
    for (const r of decoder.push(chunk)) out.push(r.ok ? r.message : r.error)
  for (const r of decoder.end()) out.push(r.ok ? r.message : r.error)
  return out
}

const chunking = fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 30 })
const flags = fc.array(fc.boolean(), { minLength: 40, maxLength: 40 })

test('any stream of valid host-bound messages decodes identically under any chunking', (t) => {
  fc.assert(
    fc.property(
      fc.array(hostBound, { maxLength: 40 }),
      chunking,
      flags,
      flags,
      (messages, cuts, crlf, ka) => {
        const stream = streamOf(messages, crlf, ka)
        const whole = decodeAll(MessageDecoder.forHost(), [stream])
        const pieces = decodeAll(
          MessageDecoder.forHost(),
          splitAt(
            stream,
            cuts.map((c) => c % (stream.length + 1))
          )
        )
        return (
          JSON.stringify(whole) === JSON.stringify(messages) &&
          JSON.stringify(pieces) === JSON.stringify(messages)
        )
      }
    ),
    { numRuns: 300, seed: 42 }
  )
  t.pass('300 random streams')
})

test('any stream of valid client-bound messages decodes identically under any chunking', (t) => {
  fc.assert(
    fc.property(
      fc.array(clientBound, { maxLength: 40 }),
      chunking,
      flags,
      flags,
      (messages, cuts, crlf, ka) => {
        const stream = streamOf(messages, crlf, ka)
        const pieces = decodeAll(
          MessageDecoder.forClient(),
          splitAt(
            stream,
            cuts.map((c) => c % (stream.length + 1))
          )
        )
        return JSON.stringify(pieces) === JSON.stringify(messages)
      }
    ),
    { numRuns: 300, seed: 43 }
  )
  t.pass('300 random streams')
})

test('random bytes never throw and never grow the buffer past the line limit', (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 20_000 }), { maxLength: 20 }), (chunks) => {
      const decoder = MessageDecoder.forHost({ maxLineBytes: 4096 })
      for (const chunk of chunks) {
        decoder.push(chunk)
        if (decoder.buffered > 4096) return false
      }
      decoder.end()
      return true
    }),
    { numRuns: 300, seed: 44 }
  )
  t.ok(LIMITS.maxLineBytes >= 4096)
})
