// The pieces between Ollama's bytes and the wire, alone: the bounded NDJSON reader, the split
// by escaped size, the name clamp and the outgoing check.

import test from 'brittle'
import { LIMITS, encodeLine } from '@localllm/protocol'
import { LineTooLongError, NdjsonLineReader } from '../src/ndjson-line-reader.js'
import { encodedSize, splitByEncodedSize } from '../src/encoded-split.js'
import { CHUNK_TEXT_BYTES, checkOutgoing, clampName } from '../src/outgoing.js'

function feed(reader: NdjsonLineReader, parts: (string | Uint8Array)[]): unknown[] {
  const values: unknown[] = []
  for (const part of parts) {
    reader.push(typeof part === 'string' ? Buffer.from(part) : part, (v) => values.push(v))
  }
  reader.end((v) => values.push(v))
  return values
}

test('reader: lines split anywhere, a character cut across chunks, blank lines, a last line without newline', (t) => {
  const euro = Buffer.from('{"t":"€"}\n')
  const values = feed(new NdjsonLineReader(1024), [
    '{"a":1}\n{"b"',
    ':2}\n\n \r\n',
    euro.subarray(0, 7), // inside the three bytes of €
    euro.subarray(7),
    '{"c":3}'
  ])
  t.alike(values, [{ a: 1 }, { b: 2 }, { t: '€' }, { c: 3 }])
})

test('reader: a line past the cap throws at once and holds no more than the cap', (t) => {
  const reader = new NdjsonLineReader(1000)
  reader.push(Buffer.from('{"ok":1}\n' + 'x'.repeat(900)), () => {})
  t.is(reader.buffered, 900)
  t.exception(() => reader.push(Buffer.from('x'.repeat(200)), () => {}), /longer than 1000 bytes/)
  t.is(reader.buffered, 0, 'nothing kept after the failure')
  t.ok(new LineTooLongError(5).message.includes('5 bytes'))
})

test('reader: a line that is not JSON is an error naming it', (t) => {
  t.exception(() => feed(new NdjsonLineReader(1000), ['{"a":\n']), /not JSON/)
})

test('reader: linear time, one 8 MiB line in 1-KiB chunks costs about what 8 MiB of short lines do', (t) => {
  const chunk = Buffer.alloc(1024, 'a')
  const long = new NdjsonLineReader(16 * 1024 * 1024)
  let started = performance.now()
  long.push(Buffer.from('"'), () => {})
  for (let i = 0; i < 8 * 1024; i++) long.push(chunk, () => {})
  let got: unknown
  long.push(Buffer.from('"\n'), (v) => (got = v))
  const longMs = performance.now() - started
  t.is((got as string).length, 8 * 1024 * 1024)
  // The ollama client's splitter re-scans the growing string: ~8,000 chunks would take
  // seconds; a linear reader takes milliseconds.
  t.ok(longMs < 1000, `8 MiB in 1 KiB chunks read in ${longMs.toFixed(1)} ms`)
  started = performance.now()
  let n = 0
  const short = new NdjsonLineReader(1024)
  const lines = Buffer.from('{"message":{"content":" word"},"done":false}\n'.repeat(20))
  for (let i = 0; i < 10_000; i++) short.push(lines, () => n++)
  t.is(n, 200_000)
  t.comment(`200,000 short lines: ${(performance.now() - started).toFixed(1)} ms`)
})

test('split: 16,384 × U+0001 (six bytes each as JSON) goes in pieces that each fit', (t) => {
  const text = '\u0001'.repeat(16_384)
  t.is(encodedSize(text), 6 * 16_384)
  const pieces = splitByEncodedSize(text, CHUNK_TEXT_BYTES)
  t.ok(pieces.length >= 6, `${pieces.length} pieces`)
  t.is(pieces.join(''), text)
  for (const piece of pieces) {
    const line = encodeLine({
      type: 'chat_chunk',
      request_id: 'r'.repeat(128),
      payload: { text: piece }
    })
    t.ok(line.length <= LIMITS.maxLineBytes, `line of ${line.length} bytes`)
  }
})

test('split: never cuts a surrogate pair, and short text is returned as is', (t) => {
  const text = '😀'.repeat(10_000) // 4 bytes each, 2 UTF-16 units
  const pieces = splitByEncodedSize(text, 1001)
  t.is(pieces.join(''), text)
  for (const piece of pieces) {
    t.ok(encodedSize(piece) <= 1001)
    t.absent(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(piece), 'no half pair at either end')
  }
  const short = 'hello'
  t.is(splitByEncodedSize(short, 100)[0], short)
})

test('encodedSize is the UTF-8 size of JSON.stringify, quotes aside, for every kind of character', (t) => {
  const samples = [
    'plain',
    '"quoted" \\ back',
    '\b\f\n\r\t\u0000\u001f',
    'é€😀',
    '\ud800 lone',
    '\u2028\u007f'
  ]
  // (The assertion names are indexes: a raw U+2028 in TAP output ends the line for tap-parser.)
  for (const [i, s] of samples.entries()) {
    t.is(encodedSize(s), Buffer.byteLength(JSON.stringify(s)) - 2, `sample ${i}`)
  }
})

test('clampName: 256 characters at most, marked with …, never half a pair', (t) => {
  t.is(clampName('short'), 'short')
  const clamped = clampName('m'.repeat(300))
  t.is(clamped.length, 256)
  t.ok(clamped.endsWith('…'))
  const pairs = clampName('😀'.repeat(200))
  t.ok(pairs.length <= 256)
  t.absent(/[\ud800-\udbff]…$/.test(pairs))
})

test('checkOutgoing: valid messages pass; a bad one is named, not thrown', (t) => {
  t.ok(checkOutgoing({ type: 'chat_chunk', request_id: 'r', payload: { text: 'hi' } }).ok)
  const empty = checkOutgoing({ type: 'chat_chunk', request_id: 'r', payload: { text: '' } })
  t.absent(empty.ok)
  const badStats = checkOutgoing({
    type: 'chat_end',
    request_id: 'r',
    payload: {
      finish_reason: 'stop',
      stats: {
        prompt_tokens: -1,
        completion_tokens: 1,
        first_token_ms: 1,
        total_ms: 1,
        tokens_per_second: 1
      }
    }
  })
  t.ok(!badStats.ok && badStats.detail.includes('prompt_tokens'), 'names the field')
  const huge = checkOutgoing({
    type: 'chat_chunk',
    request_id: 'r',
    payload: { text: '\u0001'.repeat(16_384) }
  })
  t.ok(!huge.ok && huge.detail.includes('line limit'))
  const longName = checkOutgoing({
    type: 'server_info',
    payload: {
      host_name: 'h'.repeat(300),
      model: 'm',
      status: 'ready',
      protocol_version: 2,
      limits: {
        max_prompt_bytes: 1,
        max_clients: 1,
        response_timeout_ms: 1,
        max_reply_tokens: 1,
        max_reply_ms: 1
      }
    }
  })
  t.absent(longName.ok, 'a 300-character name is refused unless clamped')
})
