// Host-bound frames for the wire fuzzer, one kind at a time, from a seeded generator so a run
// can be repeated. Each frame says whether the host should count it against the sender's
// bad-message budget (BAD_MESSAGE from the decoder) or take it as valid, so the fuzzer can
// spend the budget (20 a minute) on bad frames and keep the connection up with the rest.
//
//   const frames = new HostileFrames(seed)
//   const frame = frames.next({ activeId })   // { kind, bytes, bad, split? }
//
// "Valid" here still means hostile: storms, reused ids, unknown fields holding huge numbers or
// 10,000-deep nesting, a line delivered one byte per write.

import b4a from 'b4a'
import { EXAMPLES, LIMITS, encodeLine } from '@localllm/protocol'

export interface Frame {
  kind: string
  bytes: Uint8Array
  /** The host's decoder rejects it (counts toward the 20-a-minute budget). */
  bad: boolean
  /** Deliver one byte per write. */
  split?: boolean
}

type Rand = () => number

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): Rand {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOST_BOUND = [EXAMPLES.hello, EXAMPLES.chat_start, EXAMPLES.abort, EXAMPLES.error]
const ALL_VALID_LINES = Object.values(EXAMPLES).map((m) => encodeLine(m))
const HUGE = ['1e308', '-1e999', '18446744073709551616', '123456789012345678901234567890', '-0']
const WRONG_TYPES: unknown[] = [null, true, 0, -1, 1.5, '', 'x', [], {}, [[[]]], { a: 1 }]
const DEEP = '['.repeat(10000) + ']'.repeat(10000)

export class HostileFrames {
  readonly #rand: Rand
  #seq = 0

  constructor(seed: number) {
    this.#rand = prng(seed)
  }

  /** One frame; `activeId` is a request id the sender has running (for reuse and aborts). */
  next(context: { activeId?: string; badAllowed: boolean }): Frame {
    const r = this.#rand()
    if (!context.badAllowed || r < 0.55) return this.#valid(context.activeId)
    return this.#bad()
  }

  #int(n: number): number {
    return Math.floor(this.#rand() * n)
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)] as T
  }

  #id(): string {
    return `fz-${(this.#seq++).toString(36)}`
  }

  #valid(activeId: string | undefined): Frame {
    const line = (kind: string, message: unknown, split = false): Frame => ({
      kind,
      bytes: encodeLine(message),
      bad: false,
      ...(split ? { split } : {})
    })
    switch (this.#int(9)) {
      case 0:
        return line('chat_start_storm', {
          type: 'chat_start',
          request_id: this.#id(),
          payload: { prompt: 'storm ' + this.#int(1e6) }
        })
      case 1:
        return line('abort_storm', { type: 'abort', request_id: activeId ?? this.#id() })
      case 2:
        // Still active: BAD_MESSAGE without an id, sent as a reply (not a decoder failure).
        return line('request_id_reused', {
          type: 'chat_start',
          request_id: activeId ?? 'fz-reused',
          payload: { prompt: 'again' }
        })
      case 3:
        return line(
          'split_every_byte',
          this.#pick([EXAMPLES.abort, { ...EXAMPLES.chat_start, request_id: this.#id() }]),
          true
        )
      case 4:
        return {
          kind: 'keepalive',
          bytes: b4a.from(this.#pick(['\n', '   \n', '\r\n'])),
          bad: false
        }
      case 5:
        return {
          kind: 'huge_numbers_unknown_field',
          bytes: b4a.from(
            `{"type":"abort","request_id":"${this.#id()}","extra":${this.#pick(HUGE)},"n":[${HUGE.join(',')}]}\n`
          ),
          bad: false
        }
      case 6:
        return {
          kind: 'deep_nesting_unknown_field',
          bytes: b4a.from(`{"type":"abort","request_id":"${this.#id()}","deep":${DEEP}}\n`),
          bad: false
        }
      case 7:
        // A second hello is answered BAD_MESSAGE as a reply, outside the decoder's budget.
        return line('hello_again', EXAMPLES.hello)
      default:
        return line('client_error', EXAMPLES.error)
    }
  }

  #bad(): Frame {
    const bad = (kind: string, bytes: Uint8Array | string): Frame => ({
      kind,
      bytes: typeof bytes === 'string' ? b4a.from(bytes) : bytes,
      bad: true
    })
    switch (this.#int(9)) {
      case 0: {
        const bytes = new Uint8Array(1 + this.#int(200))
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.#int(256)
        for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) bytes[i] = 0x20
        // Leading '{' keeps it from being a blank line; the closing newline makes it one frame.
        bytes[0] = 0x7b
        return bad('random_bytes', b4a.concat([bytes, b4a.from('\n')]))
      }
      case 1: {
        const bytes = b4a.from(this.#pick(ALL_VALID_LINES))
        const body = bytes.subarray(0, bytes.length - 1)
        const edits = 1 + this.#int(4)
        for (let i = 0; i < edits; i++) {
          body[this.#int(body.length)] = 0x7b + this.#int(3) // '{', '|', '}'
        }
        body[0] = 0x7b
        body[body.length - 1] = 0x7c // never a complete object
        return bad('mutated_valid', bytes)
      }
      case 2: {
        const size = LIMITS.maxLineBytes + 1 + this.#int(8192)
        return bad('oversized_line', b4a.concat([b4a.alloc(size, 0x61), b4a.from('\n')]))
      }
      case 3: {
        const head = b4a.from('{"type":"chat_start","request_id":"u","payload":{"prompt":"')
        const junk = this.#pick([
          [0xff],
          [0xc3, 0x28],
          [0xe2, 0x82],
          [0xf0, 0x90, 0x28, 0xbc],
          [0xed, 0xa0, 0x80]
        ])
        return bad('invalid_utf8', b4a.concat([head, b4a.from(junk), b4a.from('"}}\n')]))
      }
      case 4:
        return bad(
          'huge_numbers',
          `{"type":"hello","payload":{"protocol_version":${this.#pick(HUGE)},"proof":"${'ab'.repeat(32)}"}}\n`
        )
      case 5:
        return bad('deep_nesting', `{"type":"chat_start","request_id":"d","payload":${DEEP}}\n`)
      case 6: {
        const template = this.#pick(HOST_BOUND) as Record<string, unknown>
        const field = this.#pick(['type', 'request_id', 'payload'])
        return bad('wrong_types', encodeLine({ ...template, [field]: this.#pick(WRONG_TYPES) }))
      }
      case 7:
        return bad(
          'unknown_type',
          encodeLine({
            type: this.#pick(['chat_end', 'server_info', 'nope', 'HELLO', '']),
            request_id: 'x'
          })
        )
      default:
        return bad(
          'oversized_prompt',
          encodeLine({
            type: 'chat_start',
            request_id: this.#id(),
            payload: { prompt: 'p'.repeat(LIMITS.maxPromptBytes + 1) }
          })
        )
    }
  }
}
