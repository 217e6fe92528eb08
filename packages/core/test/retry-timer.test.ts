import test from 'brittle'
import { RetryTimer } from '../src/retry-timer.js'

/** Records when it ran; `ran(n)` resolves at the n-th run. */
function recorder() {
  const times: number[] = []
  const started = Date.now()
  const waiting = new Map<number, () => void>()
  return {
    times,
    run: () => {
      times.push(Date.now() - started)
      waiting.get(times.length)?.()
    },
    ran: (n: number) =>
      times.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.set(n, resolve))
  }
}

test('retries follow the backoffs and the last one repeats', async (t) => {
  const r = recorder()
  const timer = new RetryTimer(
    () => {
      r.run()
      if (r.times.length < 4) timer.schedule()
    },
    { backoffs: [20, 60, 120], jitter: 0 }
  )
  t.is(timer.schedule(), 20)
  await r.ran(4)
  const gaps = r.times.map((at, i) => at - (r.times[i - 1] ?? 0))
  t.ok(
    gaps[0]! >= 18 && gaps[1]! >= 58 && gaps[2]! >= 118 && gaps[3]! >= 118,
    `gaps ${gaps.join(', ')}`
  )
  t.is(timer.attempts, 4)
})

test('reset starts from the first backoff; clear cancels the pending try', async (t) => {
  let runs = 0
  const timer = new RetryTimer(() => runs++, { backoffs: [10, 1000], jitter: 0 })
  timer.schedule()
  timer.schedule()
  t.is(timer.attempts, 2, 'the second schedule replaced the first')
  timer.clear()
  t.absent(timer.pending)
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 60))
  t.is(runs, 0, 'a cleared timer never runs')
  timer.reset()
  t.is(timer.schedule(), 10, 'back to the first backoff')
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 60))
  t.is(runs, 1)
})

test('jitter stretches a delay by at most its fraction', (t) => {
  const timer = new RetryTimer(() => {}, { backoffs: [1000], jitter: 0.2 })
  for (let i = 0; i < 50; i++) {
    const delay = timer.schedule()
    t.ok(delay >= 1000 && delay <= 1200, `${delay}`)
  }
  timer.clear()
})
