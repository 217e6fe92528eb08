// The hostile Ollama a host must survive: a line that never ends, one enormous token, a
// token that JSON-escapes to six times its length, a model that runs past num_predict, and
// model names as long as Ollama allows.

import test from 'brittle'
import { postChat, readLines, readUntil, startStandin } from './helpers/index.js'

test('endless-line: after the tokens, one line that never ends, until the client leaves', async (t) => {
  const standin = await startStandin(t, { reply: 'a b c' })
  standin.enqueue({ failure: { kind: 'endless-line', afterTokens: 2 } })
  const controller = new AbortController()
  const res = await postChat(standin, {}, { signal: controller.signal })
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  let bytes = 0
  let newlines = 0
  while (bytes < 1024 * 1024) {
    const { value } = await reader.read()
    if (!value) break
    bytes += value.length
    for (const byte of value) if (byte === 0x0a) newlines++
  }
  t.is(newlines, 2, 'two token lines, then no newline in a MiB')
  controller.abort()
  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'endless_line')
  t.ok(record.bytesSent >= 512 * 1024, `${record.bytesSent} bytes of the endless line`)
})

test('one huge token and a token of control characters arrive whole, one line each', async (t) => {
  const huge = 'x'.repeat(4 * 1024 * 1024)
  const controls = '\u0001'.repeat(16_384)
  const standin = await startStandin(t, { reply: huge })
  const lines = await readLines(await postChat(standin))
  t.is((lines[0]?.message as { content: string }).content.length, huge.length)
  standin.configure({ reply: controls })
  const res = await postChat(standin)
  const raw = await res.text()
  t.ok(raw.split('\n')[0]!.length > 6 * 16_384, 'escaped as \\u0001: six bytes a character')
  t.is(
    (JSON.parse(raw.split('\n')[0]!) as { message: { content: string } }).message.content,
    controls
  )
})

test('ignoreNumPredict: a model that runs past num_predict', async (t) => {
  const standin = await startStandin(t, { tokens: 50, ignoreNumPredict: true })
  const lines = await readLines(await postChat(standin, { options: { num_predict: 5 } }))
  t.is(lines.length, 51, 'all 50 tokens and the done line')
  t.is(lines.at(-1)?.done_reason, 'stop')
})

test('a 300-character model name (a long registry host, as Ollama allows) is listed and chats', async (t) => {
  const name = `${'registry-'.repeat(31)}x.example/library/llama3.2:latest`
  t.ok(name.length >= 300)
  const standin = await startStandin(t, { models: [name] })
  const tags = (await (await fetch(standin.url + '/api/tags')).json()) as {
    models: { name: string }[]
  }
  t.is(tags.models[0]?.name, name)
  const lines = await readUntil(await postChat(standin, { model: name }), (l) => l.length > 0)
  t.is(lines[0]?.model, name)
})
