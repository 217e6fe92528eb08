// Wakeup, which every test peer and process helper waits with: a wake-up re-checks at once,
// a deadline rejects with the caller's error, and a condition that gives up stops the wait.
import test from 'brittle'
import { Wakeup } from '../src/wakeup.js'

test('until() resolves as soon as a wake-up finds what it waits for', async (t) => {
  const news = new Wakeup()
  const seen: string[] = []
  const waiting = news.until(
    () => seen[0],
    5000,
    () => new Error('nothing')
  )
  const started = Date.now()
  setTimeout(() => {
    seen.push('hello')
    news.wake()
  }, 20)
  t.is(await waiting, 'hello')
  t.ok(Date.now() - started < 1000, 'woken, not timed out')
})

test('until() rejects with the given error once the deadline passes', async (t) => {
  const news = new Wakeup()
  await t.exception(
    news.until(
      () => undefined,
      50,
      () => new Error('no hello within 50 ms')
    ),
    /no hello within 50 ms/
  )
})

test('until() stops when the condition throws (the peer closed)', async (t) => {
  const news = new Wakeup()
  let closed = false
  const waiting = news.until(
    () => {
      if (closed) throw new Error('connection closed')
      return undefined
    },
    5000,
    () => new Error('timed out')
  )
  closed = true
  news.wake()
  await t.exception(waiting, /connection closed/)
})
