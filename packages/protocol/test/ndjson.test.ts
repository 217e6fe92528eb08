import test from 'brittle'
import b4a from 'b4a'
import { EXAMPLES, LIMITS, MessageDecoder, NdjsonDecoder, encodeLine } from '../src/index.js'
import { utf8 } from './helpers/bytes.js'

test('a line split inside a multi-byte character decodes intact', (t) => {
  const line = utf8('{"text":"naïve 😀 Dan’s 日本語"}\n')
  for (let cut = 1; cut < line.length; cut++) {
    const decoder = new NdjsonDecoder()
    const frames = [...decoder.push(line.subarray(0, cut)), ...decoder.push(line.subarray(cut))]
    t.alike(frames, [{ ok: true, value: { text: 'naïve 😀 Dan’s 日本語' } }], `cut at ${cut}`)
  }
})

test('one byte at a time decodes the same messages', (t) => {
  const stream = b4a.concat(Object.values(EXAMPLES).map((m) => encodeLine(m)))
  const decoder = new NdjsonDecoder()
  const values: unknown[] = []
  for (let i = 0; i < stream.length; i++) {
    for (const frame of decoder.push(stream.subarray(i, i + 1)))
      if (frame.ok) values.push(frame.value)
  }
  t.alike(values, Object.values(EXAMPLES))
})

test('CRLF line endings are tolerated', (t) => {
  const frames = new NdjsonDecoder().push(utf8('{"a":1}\r\n{"b":2}\r\n'))
  t.alike(frames, [
    { ok: true, value: { a: 1 } },
    { ok: true, value: { b: 2 } }
  ])
})

test('empty keepalive lines and empty chunks are skipped', (t) => {
  const decoder = new NdjsonDecoder()
  t.alike(decoder.push(new Uint8Array(0)), [])
  t.alike(decoder.push(utf8('\n\n\r\n   \n')), [])
  t.alike(decoder.push(utf8('{"a":1}\n\n')), [{ ok: true, value: { a: 1 } }])
})

test('a line over 64 KiB is BAD_MESSAGE and the next line still decodes', (t) => {
  const decoder = new NdjsonDecoder()
  const huge = utf8(
    '{"type":"chat_start","request_id":"big","payload":{"prompt":"' + 'x'.repeat(70_000) + '"}}\n'
  )
  const frames = decoder.push(b4a.concat([huge, utf8('{"ok":true}\n')]))
  t.is(frames.length, 2)
  t.is(frames[0]?.ok, false)
  if (frames[0] && !frames[0].ok) {
    t.is(frames[0].error.code, 'BAD_MESSAGE')
    t.ok(frames[0].error.detail?.includes('longer than 65536'))
  }
  t.alike(frames[1], { ok: true, value: { ok: true } })
})

test('a line of exactly 64 KiB is accepted, one byte more is not', (t) => {
  const body = (n: number) => utf8('"' + 'y'.repeat(n - 2) + '"\n')
  const exact = new NdjsonDecoder().push(body(LIMITS.maxLineBytes))
  t.is(exact[0]?.ok, true)
  const over = new NdjsonDecoder().push(body(LIMITS.maxLineBytes + 1))
  t.is(over[0]?.ok, false)
})

test('an endless line never holds more than 64 KiB in memory', (t) => {
  const decoder = new NdjsonDecoder()
  const chunk = new Uint8Array(16 * 1024).fill(0x61)
  let frames = 0
  let peak = 0
  for (let i = 0; i < 640; i++) {
    frames += decoder.push(chunk).length
    peak = Math.max(peak, decoder.buffered)
  }
  t.is(frames, 0, 'nothing reported until the newline')
  t.ok(peak <= LIMITS.maxLineBytes, `peak buffered ${peak} bytes for 10 MiB sent`)
  const end = decoder.push(utf8('\n{"after":1}\n'))
  t.is(end.length, 2)
  t.is(end[0]?.ok, false)
  t.alike(end[1], { ok: true, value: { after: 1 } })
})

test('invalid UTF-8 is BAD_MESSAGE, a real U+FFFD is fine', (t) => {
  const bad = new NdjsonDecoder().push(
    b4a.concat([utf8('{"text":"'), new Uint8Array([0xc3, 0x28, 0xff]), utf8('"}\n')])
  )
  t.is(bad[0]?.ok, false)
  if (bad[0] && !bad[0].ok) t.ok(bad[0].error.detail?.includes('UTF-8'))
  const good = new NdjsonDecoder().push(utf8('{"text":"\uFFFD"}\n'))
  t.alike(good, [{ ok: true, value: { text: '\uFFFD' } }])
})

test('invalid JSON is BAD_MESSAGE carrying the request_id when it can be read', (t) => {
  const frames = new NdjsonDecoder().push(
    utf8('{"type":"chat_start","request_id":"r-7","payl\n{]\n')
  )
  t.is(frames.length, 2)
  if (frames[0] && !frames[0].ok) t.is(frames[0].error.request_id, 'r-7')
  if (frames[1] && !frames[1].ok) t.is(frames[1].error.request_id, undefined)
  t.ok(frames.every((f) => !f.ok && f.error.code === 'BAD_MESSAGE'))
})

test('a last line without a newline counts at end of stream', (t) => {
  const decoder = new NdjsonDecoder()
  t.alike(decoder.push(utf8('{"a":1}')), [])
  t.alike(decoder.end(), [{ ok: true, value: { a: 1 } }])
  t.alike(decoder.end(), [], 'end twice reports nothing more')
})

test('deep nesting and huge numbers do not throw', (t) => {
  const deep = '['.repeat(30_000) + ']'.repeat(30_000)
  const frames = new NdjsonDecoder().push(utf8(`${deep}\n{"n":1e999}\n`))
  t.is(frames.length, 2)
  t.alike(frames[1], { ok: true, value: { n: Infinity } })
})

test('MessageDecoder validates each line for its side', (t) => {
  const host = MessageDecoder.forHost()
  const results = host.push(
    b4a.concat([encodeLine(EXAMPLES.chat_start), encodeLine(EXAMPLES.chat_chunk), utf8('nope\n')])
  )
  t.is(results.length, 3)
  t.ok(results[0]?.ok)
  t.ok(results[1] && !results[1].ok && results[1].error.request_id === 'req-123')
  t.ok(results[2] && !results[2].ok && results[2].error.code === 'BAD_MESSAGE')
  const client = MessageDecoder.forClient()
  t.ok(client.push(encodeLine(EXAMPLES.server_info))[0]?.ok)
})

test('encodeLine refuses to write a line the peer would reject', (t) => {
  t.exception.all(() => encodeLine({ text: 'z'.repeat(LIMITS.maxLineBytes) }), /exceeds/)
  t.is(
    b4a.toString(encodeLine({ a: 'x\ny' })),
    '{"a":"x\\ny"}\n',
    'newlines inside strings are escaped'
  )
})
