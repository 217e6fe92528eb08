// The frame fuzzer behind `npm run fuzz` (a million frames) and its slice in `npm test`.
// It feeds hostile bytes through both sides' decoders, as one long stream cut at random
// places, and counts what happened. A throw, a result that is neither a message nor a
// BAD_MESSAGE/UNSUPPORTED_VERSION error, or a decoder holding more than the line limit
// are the failures; everything else is the decoder doing its job.
//
//   const report = runFuzz({ frames: 20_000, seed: 1 })   // report.throws must be 0

import b4a from 'b4a'
import { EXAMPLES, LIMITS, MessageDecoder, encodeLine, type ParseResult } from '../../src/index.js'
import { prng } from './bytes.js'

export interface FuzzReport {
  frames: number
  bytes: number
  throws: number
  accepted: number
  rejected: number
  unexpected: number
  maxBuffered: number
  firstThrow?: string
  byKind: Record<string, number>
}

const VALID_LINES = Object.values(EXAMPLES).map((m) => encodeLine(m))
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -0,
  1e308,
  -1e308,
  2 ** 64,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x'.repeat(300),
  [],
  {},
  [1, [2, [3]]],
  { toString: 1 },
  '\u0000\u2028\uFFFF'
]

type Rand = () => number
type Generator = (rand: Rand) => Uint8Array

const int = (rand: Rand, n: number) => Math.floor(rand() * n)
const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)] as T

const GENERATORS: Record<string, Generator> = {
  random_bytes(rand) {
    const bytes = new Uint8Array(int(rand, 256))
    for (let i = 0; i < bytes.length; i++) bytes[i] = rand() < 0.05 ? 0x0a : int(rand, 256)
    return bytes
  },
  mutated_valid(rand) {
    const bytes = b4a.from(pick(rand, VALID_LINES))
    const edits = 1 + int(rand, 4)
    let out: Uint8Array = bytes
    for (let i = 0; i < edits; i++) {
      const at = int(rand, out.length)
      const op = int(rand, 4)
      if (op === 0) out[at] = int(rand, 256)
      else if (op === 1) out = b4a.concat([out.subarray(0, at), out.subarray(at + 1)])
      else if (op === 2)
        out = b4a.concat([out.subarray(0, at), b4a.from([int(rand, 256)]), out.subarray(at)])
      else out = out.subarray(0, at)
    }
    return out
  },
  valid(rand) {
    return pick(rand, VALID_LINES)
  },
  oversized(rand) {
    const size = LIMITS.maxLineBytes + 1 + int(rand, 4096)
    return b4a.concat([
      b4a.from('{"type":"chat_start","request_id":"big","payload":{"prompt":"'),
      new Uint8Array(size).fill(0x61),
      b4a.from('"}}\n')
    ])
  },
  invalid_utf8(rand) {
    const line = pick(rand, VALID_LINES)
    const at = 1 + int(rand, line.length - 2)
    const junk = pick(rand, [
      [0xc3, 0x28],
      [0xe2, 0x82],
      [0xff],
      [0xf0, 0x28, 0x8c, 0xbc],
      [0xed, 0xa0, 0x80]
    ])
    return b4a.concat([line.subarray(0, at), b4a.from(junk), line.subarray(at)])
  },
  wrong_types(rand) {
    const msg = JSON.parse(JSON.stringify(pick(rand, Object.values(EXAMPLES)))) as Record<
      string,
      unknown
    >
    const target =
      rand() < 0.5 || typeof msg.payload !== 'object'
        ? msg
        : (msg.payload as Record<string, unknown>)
    const keys = Object.keys(target)
    const key = keys.length > 0 && rand() < 0.9 ? pick(rand, keys) : 'extra'
    target[key] = pick(rand, HOSTILE_VALUES)
    return encodeLine(msg)
  },
  unknown_type(rand) {
    const type = pick(rand, [
      'shutdown',
      'HELLO',
      '',
      'constructor',
      '__proto__',
      'chat_end ',
      'x'.repeat(200)
    ])
    return encodeLine({ type, request_id: `u${int(rand, 1000)}`, payload: {} })
  },
  deep_nesting(rand) {
    const depth = 100 + int(rand, 5000)
    return b4a.from(
      `{"type":"chat_start","request_id":"d","payload":${'['.repeat(depth)}${']'.repeat(depth)}}\n`
    )
  },
  huge_numbers(rand) {
    const n = pick(rand, [
      '1e999',
      '-1e999',
      '123456789012345678901234567890',
      '0.0000000001e-400',
      '-0'
    ])
    return b4a.from(
      `{"type":"chat_end","request_id":"n","payload":{"finish_reason":"stop","stats":{"prompt_tokens":${n},"completion_tokens":1,"first_token_ms":1,"total_ms":1,"tokens_per_second":1}}}\n`
    )
  },
  storm(rand) {
    const count = 1 + int(rand, 20)
    const type = rand() < 0.5 ? 'abort' : 'chat_start'
    const lines = []
    for (let i = 0; i < count; i++)
      lines.push(
        encodeLine(type === 'abort' ? { type, request_id: 'req-123' } : EXAMPLES.chat_start)
      )
    return b4a.concat(lines)
  },
  blank_lines(rand) {
    return b4a.from(pick(rand, ['\n', '\r\n', '\n\n\n', '   \n', '\r\r\n']))
  }
}

const KINDS = Object.keys(GENERATORS)
// Oversized lines are expensive; keep them rare so a million frames stays quick.
const WEIGHTS = KINDS.map((kind) =>
  kind === 'oversized' ? 0.002 : kind === 'deep_nesting' ? 0.01 : 1
)
const TOTAL_WEIGHT = WEIGHTS.reduce((a, b) => a + b, 0)

function pickKind(rand: Rand): string {
  let r = rand() * TOTAL_WEIGHT
  for (let i = 0; i < KINDS.length; i++) {
    r -= WEIGHTS[i] as number
    if (r <= 0) return KINDS[i] as string
  }
  return 'valid'
}

const EXPECTED_ERRORS = new Set(['BAD_MESSAGE', 'UNSUPPORTED_VERSION'])

export function runFuzz(options: {
  frames: number
  seed: number
  onProgress?: (done: number) => void
}): FuzzReport {
  const rand = prng(options.seed)
  const decoders = [MessageDecoder.forHost(), MessageDecoder.forClient()]
  const report: FuzzReport = {
    frames: 0,
    bytes: 0,
    throws: 0,
    accepted: 0,
    rejected: 0,
    unexpected: 0,
    maxBuffered: 0,
    byKind: {}
  }

  const tally = (results: ParseResult<unknown>[]) => {
    for (const r of results) {
      if (r.ok) report.accepted++
      else if (EXPECTED_ERRORS.has(r.error.code)) report.rejected++
      else report.unexpected++
    }
  }

  for (let i = 0; i < options.frames; i++) {
    const kind = pickKind(rand)
    const frame = (GENERATORS[kind] as Generator)(rand)
    report.byKind[kind] = (report.byKind[kind] ?? 0) + 1
    report.frames++
    report.bytes += frame.length
    // Cut the frame into 1–4 pieces; small frames sometimes byte by byte.
    const pieces: Uint8Array[] = []
    if (frame.length < 64 && rand() < 0.1) {
      for (let b = 0; b < frame.length; b++) pieces.push(frame.subarray(b, b + 1))
    } else {
      let start = 0
      const cuts = int(rand, 4)
      for (let c = 0; c < cuts; c++) {
        const end = start + int(rand, frame.length - start + 1)
        pieces.push(frame.subarray(start, end))
        start = end
      }
      pieces.push(frame.subarray(start))
    }
    for (const decoder of decoders) {
      for (const piece of pieces) {
        try {
          tally(decoder.push(piece))
        } catch (err) {
          report.throws++
          report.firstThrow ??= `${kind}: ${err instanceof Error ? err.stack : String(err)}`
        }
        report.maxBuffered = Math.max(report.maxBuffered, decoder.buffered)
      }
    }
    if (options.onProgress && (i + 1) % 10_000 === 0) options.onProgress(i + 1)
  }
  for (const decoder of decoders) {
    try {
      tally(decoder.end())
    } catch {
      report.throws++
    }
  }
  return report
}
