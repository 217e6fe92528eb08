// A client that goes away stops its generation, and the log and events say so; close()
// ends whatever is still open.

import test from 'brittle'
import type { RequestRecord } from '../src/index.js'
import { postChat, readLines, readUntil, startStandin } from './helpers/index.js'

test('client disconnect stops generation and records cancelled with zero tokens after', async (t) => {
  const standin = await startStandin(t, { tokens: 1000, tokensPerSecond: 20 })
  const cancels: RequestRecord[] = []
  standin.on('cancel', (record) => cancels.push(record))
  const controller = new AbortController()
  const res = await postChat(standin, {}, { signal: controller.signal })
  const lines = await readUntil(res, (got) => got.length >= 3)
  controller.abort()

  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'cancelled')
  t.is(record.tokensAfterCancel, 0)
  t.ok(record.cancelledAt !== null)
  t.ok(record.tokensSent <= lines.length + 3, `stopped within a token (${record.tokensSent} sent)`)
  // A later event, not a pause: a next reply at the same pace streams four tokens, so a
  // generation still going would have sent more meanwhile.
  standin.enqueue({ tokens: 4 })
  t.is((await readLines(await postChat(standin))).length, 5, 'four tokens and the done line')
  t.is(standin.requests[0]?.tokensSent, record.tokensSent, 'nothing generated after')
  t.is(standin.requests[0]?.tokensAfterCancel, 0)
  t.is(cancels.length, 1, 'one cancel event')
})

test('a client that leaves during the cold load is cancelled, and the load still finishes', async (t) => {
  const standin = await startStandin(t, { loadDelayMs: 500 })
  const controller = new AbortController()
  const res = postChat(standin, {}, { signal: controller.signal })
  await standin.waitFor((r) => r.state === 'loading')
  controller.abort()
  await t.exception(res)

  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'cancelled')
  t.is(record.headersSentAt, null)
  t.absent(standin.models[0]?.loaded, 'not loaded yet')
  // The next request waits for that same load, not one of its own: a load of its own would
  // take a minute, and this wait gives up after 5 s.
  standin.configure({ loadDelayMs: 60_000 })
  const next = postChat(standin)
  const done = await standin.waitFor((r) => r.id === record.id + 1 && !r.active)
  t.is(done.outcome, 'completed')
  t.is((await next).status, 200)
  t.ok(standin.models[0]?.loaded, 'loaded anyway, as Ollama does')
})

test('events tell a request from arrival to end', async (t) => {
  const standin = await startStandin(t, { reply: 'a b' })
  const events: string[] = []
  for (const name of ['request', 'first-token', 'end', 'cancel'] as const) {
    standin.on(name, (record) => events.push(`${name}:${record.id}`))
  }
  await (await postChat(standin)).text()
  t.alike(events, ['request:1', 'first-token:1', 'end:1'])
})

test('close ends requests under way and can be called twice', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three' })
  standin.enqueue({ failure: { kind: 'stall', afterTokens: 1 } })
  const stalled = (await postChat(standin)).text()
  const waiting = postChat(standin)
  await standin.waitFor((r) => r.id === 2 && r.state === 'queued')

  // Both reject during close() (with TypeErrors, hence .all), so the handlers go on first.
  const clientsFail = Promise.all([t.exception.all(stalled), t.exception.all(waiting)])
  await Promise.all([standin.close(), standin.close()])
  await clientsFail
  t.is(standin.activeCount, 0)
  t.alike(
    standin.requests.map((r) => r.outcome),
    ['stalled', 'cancelled']
  )
})
