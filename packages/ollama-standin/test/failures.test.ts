// Scripted failures, each as a client meets it, and the one-shot script that lets a test
// break exactly one request.

import test from 'brittle'
import { contentOf, postChat, readLines, readUntil, startStandin } from './helpers/index.js'

test('a failure before the first token is a real status with an {"error"} body', async (t) => {
  const standin = await startStandin(t)
  standin.enqueue({ failure: { kind: 'status', status: 500, error: 'llama runner crashed' } })
  const res = await postChat(standin)
  t.is(res.status, 500)
  t.is(res.headers.get('content-type'), 'application/json; charset=utf-8')
  t.alike(await res.json(), { error: 'llama runner crashed' })
  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'error_before_first_token')
  t.is(record.tokensSent, 0)
})

test('an error after the first token is a 200 {"error"} line with no done line', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three four' })
  standin.enqueue({ failure: { kind: 'error-line', afterTokens: 2, error: 'runner stopped' } })
  const res = await postChat(standin)
  t.is(res.status, 200)
  const lines = await readLines(res)
  t.is(contentOf(lines), 'one two')
  t.alike(lines.at(-1), { error: 'runner stopped' })
  t.absent(
    lines.some((line) => line.done === true),
    'no done line'
  )
  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'error_mid_stream')
  t.is(record.tokensSent, 2)
})

test('a stall leaves the socket open and silent until the client gives up', async (t) => {
  const standin = await startStandin(t, {
    reply: 'one two three four',
    tokensPerSecond: 50,
    models: ['a', 'b']
  })
  standin.enqueue({ failure: { kind: 'stall', afterTokens: 1 } })
  const controller = new AbortController()
  const res = await postChat(standin, { model: 'a' }, { signal: controller.signal })
  const lines = await readUntil(res, (got) => got.length === 1)
  t.is(contentOf(lines), 'one')

  const stalled = await standin.waitFor((r) => r.outcome === 'stalled')
  t.ok(stalled.active, 'still holding the slot')
  // A later event, not a pause: the same reply at the same pace from another model (its own
  // slot) goes out whole, so by then the stalled one would have sent the rest.
  const other = await readLines(await postChat(standin, { model: 'b' }))
  t.is(contentOf(other), 'one two three four')
  t.is(standin.requests[0]?.tokensSent, 1, 'nothing more was sent')

  controller.abort()
  const ended = await standin.waitFor((r) => r.id === stalled.id && !r.active)
  t.is(ended.outcome, 'stalled')
  t.ok(ended.cancelledAt !== null, 'the client going away was noticed')
  t.is(standin.activeCount, 0)
})

test('a drop destroys the socket mid-stream', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three four' })
  standin.enqueue({ failure: { kind: 'drop', afterTokens: 2 } })
  const res = await postChat(standin)
  await t.exception.all(res.text(), /terminated/)
  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'dropped')
  t.is(record.tokensSent, 2)
})

test('a truncated stream ends cleanly without a done line', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three four' })
  standin.enqueue({ failure: { kind: 'truncate', afterTokens: 3 } })
  const lines = await readLines(await postChat(standin))
  t.is(lines.length, 3)
  t.absent(lines.some((line) => 'done_reason' in line))
  t.is((await standin.waitFor((r) => !r.active)).outcome, 'truncated')
})

test('a one-shot script applies to the next generating request only', async (t) => {
  const standin = await startStandin(t, { reply: 'default reply' })
  standin.enqueue({ reply: 'scripted once' })
  standin.enqueue({ failure: { kind: 'status', status: 503, error: 'busy' } })

  // A rejected request does not use up a script.
  t.is((await postChat(standin, { model: 'nosuch' })).status, 404)
  t.is(contentOf(await readLines(await postChat(standin))), 'scripted once')
  t.is((await postChat(standin)).status, 503)
  t.is(contentOf(await readLines(await postChat(standin))), 'default reply')
  t.is(standin.queuedScripts, 0)
})

test('configure changes what every later request gets', async (t) => {
  const standin = await startStandin(t, { reply: 'before' })
  standin.configure({ reply: 'after', doneReason: 'length' })
  const lines = await readLines(await postChat(standin))
  t.is(contentOf(lines), 'after')
  t.is(lines.at(-1)?.done_reason, 'length')
  t.exception.all(() => standin.configure({ tokensPerSecond: -1 }), /tokensPerSecond/)
})
