// Every error code the host raises, each from a real cause.
import test from 'brittle'
import b4a from 'b4a'
import { untilHostState } from '@localllm/testing'
import { startWorld } from './helpers/world.js'
import {
  abortFreesTheGate,
  errorCode as code,
  secondPromptWhileBusyGetsModelBusy
} from './helpers/portable-behaviours.js'

test('MODEL_BUSY: a second prompt while busy is refused and the first keeps streaming', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 40, tokensPerSecond: 100 } })
  const done = await secondPromptWhileBusyGetsModelBusy(t, w)
  t.is(done.chunks.length, 40)
  t.is(w.standin.requests.length, 1, 'only one generation ever reached Ollama')
})

test('GENERATION_ABORTED: abort stops Ollama, frees the gate, then reports', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({ tokens: 5000, tokensPerSecond: 50 })
  const { abortedAt, reportedAt } = await abortFreesTheGate(t, w)
  const record = w.standin.requests[0]
  t.is(record?.outcome, 'cancelled', 'the stand-in saw the HTTP request cancelled')
  t.is(record?.tokensAfterCancel, 0, 'and generated nothing after')
  t.ok(
    record?.cancelledAt !== null && (record?.cancelledAt ?? Infinity) <= reportedAt,
    'cancelled before the client was told'
  )
  t.comment(`abort sent → GENERATION_ABORTED received: ${reportedAt - abortedAt} ms`)
  const released = w.logs.find((l) => l.msg === 'generation aborted')
  t.is(typeof released?.stop_to_release_ms, 'number', 'the host measured abort → gate release')
  t.comment(
    `abort received → Ollama request closed and gate free: ${String(released?.stop_to_release_ms)} ms`
  )
})

test('GENERATION_ABORTED during a model load: the request is cancelled before any token', async (t) => {
  const w = await startWorld(t, { standin: { loadDelayMs: 3000 } })
  const c = await w.connect()
  const id = c.startChat('hello')
  await w.standin.waitFor((r) => r.active)
  c.send({ type: 'abort', request_id: id })
  const reply = await c.reply(id)
  t.is(code(reply.terminal), 'GENERATION_ABORTED')
  t.is(w.standin.requests[0]?.outcome, 'cancelled')
  t.is(w.standin.requests[0]?.tokensSent, 0)
})

test('an abort for an unknown or finished request is ignored', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  const reply = await c.chat('hi')
  c.send({ type: 'abort', request_id: 'never-sent' })
  c.send({ type: 'abort', request_id: (reply.terminal as { request_id: string }).request_id })
  const again = await c.chat('still fine?')
  t.is(again.terminal.type, 'chat_end')
  t.absent(
    c.messages.some((m) => m.type === 'error'),
    'no error for either abort'
  )
})

test('GENERATION_FAILED: an error status before the first token', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({
    failure: { kind: 'status', status: 500, error: 'llama runner process has terminated' }
  })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
  t.ok(reply.terminal.type === 'error' && reply.terminal.payload.detail?.includes('500'))
})

test('GENERATION_FAILED: an error line mid-stream, after some chunks', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 20 } })
  w.standin.enqueue({
    failure: { kind: 'error-line', afterTokens: 5, error: 'model runner has unexpectedly stopped' }
  })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(reply.chunks.length, 5, 'the five chunks before the failure arrived')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
  t.ok(
    reply.terminal.type === 'error' &&
      reply.terminal.payload.detail?.includes('unexpectedly stopped')
  )
})

test('GENERATION_FAILED: a stream that ends without done', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 10 } })
  w.standin.enqueue({ failure: { kind: 'truncate', afterTokens: 3 } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
})

test('GENERATION_FAILED: Ollama dropping the connection mid-stream', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 10 } })
  w.standin.enqueue({ failure: { kind: 'drop', afterTokens: 2 } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
})

test('GENERATION_FAILED: a stall, and the stalled request is closed', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 10 }, host: { stallMs: 800 } })
  w.standin.enqueue({ failure: { kind: 'stall', afterTokens: 2 } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'GENERATION_FAILED')
  t.ok(reply.terminal.type === 'error' && reply.terminal.payload.detail?.includes('sent nothing'))
  await w.standin.waitFor(
    (r) => r.outcome === 'cancelled' || (r.active === false && r.cancelledAt !== null)
  )
  const next = await c.chat('again')
  t.is(next.terminal.type, 'chat_end', 'the gate was released')
})

test('OLLAMA_MODEL_NOT_AVAILABLE: the selected model is not installed', async (t) => {
  const w = await startWorld(t, { host: { model: 'nosuch:7b' } })
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'OLLAMA_MODEL_NOT_AVAILABLE')
  t.ok(reply.terminal.type === 'error' && reply.terminal.payload.detail?.includes('404'))
})

test('OLLAMA_NOT_FOUND: nothing answers at the Ollama address', async (t) => {
  const w = await startWorld(t, {
    ollamaUrl: 'http://127.0.0.1:59999',
    host: { model: 'llama3.2' }
  })
  t.is(w.host.state.ollama, 'unreachable')
  const c = await w.connect()
  const reply = await c.chat('hi')
  t.is(code(reply.terminal), 'OLLAMA_NOT_FOUND')
  t.is(reply.terminal.type === 'error' && reply.terminal.payload.retryable, true)
})

test('BAD_MESSAGE: malformed, oversized and wrong lines are answered and the connection survives', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  c.write('{"type":"chat_start","request_id":"broken",\n')
  c.write(
    b4a.concat([
      b4a.from('{"type":"chat_start","request_id":"big","payload":{"prompt":"'),
      b4a.alloc(70_000, 0x61),
      b4a.from('"}}\n')
    ])
  )
  c.send({ type: 'chat_start', request_id: 'too-long', payload: { prompt: 'x'.repeat(8193) } })
  c.send({ type: 'chat_chunk', request_id: 'wrong-way', payload: { text: 'hi' } })
  c.send({ type: 'fly_me_to_the_moon', request_id: 'unknown' })
  c.send({ type: 'hello', payload: { protocol_version: 2, proof: '00'.repeat(32) } })
  const errors = () => c.messages.filter((m) => code(m) === 'BAD_MESSAGE')
  await c.waitFor(() => errors().length >= 6)
  const ids = errors().map((m) => (m as { request_id?: string }).request_id)
  t.alike(
    ids,
    ['broken', undefined, 'too-long', 'wrong-way', 'unknown', undefined],
    'request_id carried when readable'
  )
  const reply = await c.chat('still here?')
  t.is(reply.terminal.type, 'chat_end', 'the connection still works')
})

test('BAD_MESSAGE: a request_id reused while its request is active', async (t) => {
  const w = await startWorld(t, { standin: { tokens: 30, tokensPerSecond: 100 } })
  const c = await w.connect()
  c.startChat('one', 'same-id')
  await c.waitFor((m) => m.type === 'chat_chunk')
  c.startChat('two', 'same-id')
  const bad = await c.waitFor((m) => code(m) === 'BAD_MESSAGE')
  // Without the id: the active request's one terminal message is still to come.
  t.is((bad as { request_id?: string }).request_id, undefined)
  t.ok(bad.type === 'error' && bad.payload.detail?.includes('same-id'), 'the detail names the id')
  const first = await c.reply('same-id')
  t.is(first.chunks.length, 30, 'the active request carried on')
})

test('a client that sends 20 bad messages within a minute is disconnected', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  for (let i = 0; i < 19; i++) c.write(`not json ${i}\n`)
  await c.waitFor(() => c.messages.filter((m) => code(m) === 'BAD_MESSAGE').length === 19)
  t.absent(c.closed, 'still connected after 19')
  c.write('not json 20\n')
  await c.waitClosed(5000)
  t.pass('closed after the 20th')
})

test('UNSUPPORTED_VERSION: a hello of another protocol version is told so, then closed', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect({ hello: 'none', waitForInfo: false })
  c.send({ type: 'hello', payload: { protocol_version: 1, proof: 'whatever' } })
  const err = await c.waitFor((m) => m.type === 'error')
  t.is(code(err), 'UNSUPPORTED_VERSION')
  await c.waitClosed()
  t.is(w.host.state.clients, 0)
})

test('HOST_FULL: a sixth client is told and closed; the five keep chatting', async (t) => {
  const w = await startWorld(t)
  const five = []
  for (let i = 0; i < 5; i++) five.push(await w.connect())
  t.is(w.host.state.clients, 5)
  const sixth = await w.connect({ waitForInfo: false })
  const err = await sixth.waitFor((m) => m.type === 'error')
  t.is(code(err), 'HOST_FULL')
  t.is(err.type === 'error' && err.payload.retryable, true)
  await sixth.waitClosed()
  t.absent(
    sixth.messages.some((m) => m.type === 'server_info'),
    'the sixth never got server_info'
  )
  const reply = await five[4]!.chat('still served?')
  t.is(reply.terminal.type, 'chat_end')
  await five[0]!.close()
  await untilHostState(w.host, (s) => s.clients === 4, 'four clients')
  const seventh = await w.connect()
  t.is(seventh.serverInfos, 1, 'a slot freed up is usable again')
})
