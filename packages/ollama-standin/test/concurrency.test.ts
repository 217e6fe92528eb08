// One generation at a time per model, like Ollama with OLLAMA_NUM_PARALLEL=1: the others wait
// in line, silently, and never get a 503.

import test from 'brittle'
import { postChat, readLines, readUntil, startStandin } from './helpers/index.js'

test('a second request waits, with no headers, until the first finishes', async (t) => {
  const standin = await startStandin(t, { tokens: 10, tokensPerSecond: 50 })
  const first = postChat(standin, { messages: [{ role: 'user', content: 'first' }] })
  await standin.waitFor((r) => r.id === 1 && r.firstTokenAt !== null)
  const second = postChat(standin, { messages: [{ role: 'user', content: 'second' }] })

  const waiting = await standin.waitFor((r) => r.id === 2 && r.state === 'queued')
  t.is(waiting.headersSentAt, null, 'no headers while waiting')

  await readLines(await first)
  const secondRes = await second
  t.is(secondRes.status, 200)
  await readLines(secondRes)
  const [one, two] = standin.requests
  t.ok(
    (two?.firstTokenAt as number) >= (one?.endedAt as number),
    'second started after first ended'
  )
  t.alike(
    standin.requests.map((r) => r.outcome),
    ['completed', 'completed']
  )
})

test('waiting requests are served first come, first served', async (t) => {
  const standin = await startStandin(t, { tokens: 5, tokensPerSecond: 100 })
  const replies = []
  for (let i = 1; i <= 4; i++) {
    replies.push(postChat(standin, { messages: [{ role: 'user', content: `n${i}` }] }))
    await standin.waitFor((r) => r.id === i)
  }
  await Promise.all(replies.map(async (reply) => readLines(await reply)))
  const byStart = [...standin.requests].sort(
    (a, b) => (a.firstTokenAt as number) - (b.firstTokenAt as number)
  )
  t.alike(
    byStart.map((r) => r.prompt),
    ['n1', 'n2', 'n3', 'n4']
  )
})

test('cancelling the running request lets the waiting one start', async (t) => {
  const standin = await startStandin(t, { reply: 'short reply' })
  standin.enqueue({ tokens: 1000, tokensPerSecond: 50 })
  const controller = new AbortController()
  const first = await postChat(standin, {}, { signal: controller.signal })
  await readUntil(first, (lines) => lines.length >= 1)
  const second = postChat(standin)
  await standin.waitFor((r) => r.id === 2 && r.state === 'queued')

  controller.abort()
  const lines = await readLines(await second)
  t.is(lines.at(-1)?.done, true, 'the waiting request ran to the end')
  const cancelled = await standin.waitFor((r) => r.id === 1)
  t.is(cancelled.outcome, 'cancelled')
  t.ok(cancelled.tokensSent < 1000)
})

test('a request cancelled while waiting never starts', async (t) => {
  const standin = await startStandin(t, { tokens: 20, tokensPerSecond: 100 })
  const first = postChat(standin)
  await standin.waitFor((r) => r.id === 1 && r.firstTokenAt !== null)
  const controller = new AbortController()
  const second = postChat(standin, {}, { signal: controller.signal })
  await standin.waitFor((r) => r.id === 2 && r.state === 'queued')
  controller.abort()
  await t.exception(second)

  const cancelled = await standin.waitFor((r) => r.id === 2 && !r.active)
  t.is(cancelled.outcome, 'cancelled')
  t.is(cancelled.firstTokenAt, null)
  // A later event, not a pause: a third request queues behind it; in line first, the
  // cancelled one would have generated before the third is answered.
  const third = postChat(standin)
  await readLines(await first)
  await standin.waitFor((r) => r.id === 3 && !r.active)
  t.is((await readLines(await third)).length, 21, 'the third is answered')
  t.is(standin.requests[1]?.tokensSent, 0)
  t.is(standin.requests[1]?.firstTokenAt, null)
})
