// A broken or hostile Ollama cannot hurt the host: a line that never ends, one 20 MiB token,
// a token that escapes to six bytes a character, a 300-character model name. Each reply
// arrives split or as a clean GENERATION_FAILED, the HTTP request is closed, and another
// device keeps being served meanwhile. (Memory and round-trip figures, with the host in its
// own process: reliability/src/hostile-ollama.ts.)

import test from 'brittle'
import type { ClientBoundMessage } from '@localllm/protocol'
import { OLLAMA_MAX_LINE_BYTES } from '../src/ollama-adapter.js'
import { startWorld, type World } from './helpers/world.js'
import type { WirePeer } from '@localllm/testing'

function code(m: ClientBoundMessage): string | undefined {
  return m.type === 'error' ? m.payload.code : undefined
}

/** While `running` is pending, another device keeps reconnecting; each server_info time. */
async function whileRunning(
  w: World,
  other: WirePeer,
  running: Promise<unknown>
): Promise<number[]> {
  const times: number[] = []
  let done = false
  void running.finally(() => (done = true))
  do {
    const started = performance.now()
    const again = await w.connect({ keyPair: other.keyPair })
    times.push(performance.now() - started)
    await again.close()
  } while (!done && times.length < 5)
  return times
}

test('a never-ending line: GENERATION_FAILED (line too long) once the cap is passed, request closed', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'one two three' } })
  const c = await w.connect()
  const other = await w.connect()
  w.standin.enqueue({ failure: { kind: 'endless-line', afterTokens: 2 } })
  const replying = c.chat('hi')
  const times = await whileRunning(w, other, replying)
  const reply = await replying
  t.is(code(reply.terminal), 'GENERATION_FAILED')
  t.ok(
    reply.terminal.type === 'error' &&
      reply.terminal.payload.detail?.includes(`longer than ${OLLAMA_MAX_LINE_BYTES} bytes`),
    'the detail says the line was too long'
  )
  t.is(reply.text, 'one two', 'the tokens before it arrived')
  const record = await w.standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'endless_line')
  t.ok(record.cancelledAt !== null, 'the host closed the HTTP request')
  t.ok(
    record.bytesSent < 64 * OLLAMA_MAX_LINE_BYTES,
    `${record.bytesSent} bytes sent before it was closed`
  )
  t.comment(
    `another device's connect → server_info meanwhile: ${times.map((x) => x.toFixed(0)).join(', ')} ms`
  )
  t.is((await c.chat('and me?')).terminal.type, 'chat_end', 'the gate is free again')
})

test('one 20 MiB token: GENERATION_FAILED (line too long), not 20 MiB held', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'x'.repeat(20 * 1024 * 1024) } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
  t.ok(reply.terminal.type === 'error' && reply.terminal.payload.detail?.includes('longer than'))
  t.is(reply.chunks.length, 0)
  const record = await w.standin.waitFor((r) => !r.active)
  t.ok(record.cancelledAt !== null, 'the host closed the HTTP request')
})

test('16,384 × U+0001 in one token streams in pieces, each line within the limit', async (t) => {
  const text = '\u0001'.repeat(16_384)
  const w = await startWorld(t, { standin: { reply: text } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(reply.terminal.type, 'chat_end')
  t.is(reply.text, text, 'the whole token arrived')
  t.ok(reply.chunks.length >= 6, `in ${reply.chunks.length} chunks`)
  t.is(c.undecodable, 0, 'every line decoded on the client')
})

test('a token just over the cap after escaping still fails cleanly, and a just-under one arrives', async (t) => {
  // 1 MiB of line: the escaped token is the line, so a few bytes of envelope tip it over.
  const under = 'y'.repeat(OLLAMA_MAX_LINE_BYTES - 1024)
  const w = await startWorld(t, { standin: { reply: under } })
  const c = await w.connect()
  const ok = await c.chat('hi')
  t.is(ok.terminal.type, 'chat_end')
  t.is(ok.text.length, under.length)
  w.standin.configure({ reply: '"'.repeat(OLLAMA_MAX_LINE_BYTES / 2) }) // 2 bytes each escaped
  const over = await c.chat('again')
  t.is(code(over.terminal), 'GENERATION_FAILED')
})
