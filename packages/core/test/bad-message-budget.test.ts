// The bad-message budget: the 20th bad message within a minute spends it, and older ones
// slide out of the window. A hand-turned clock, so nothing here waits.
import test from 'brittle'
import { LIMITS } from '@localllm/protocol'
import { BadMessageBudget } from '../src/bad-message-budget.js'

function clocked(options: { max?: number; windowMs?: number } = {}) {
  let now = 1_000_000
  const budget = new BadMessageBudget({ ...options, now: () => now })
  return { budget, advance: (ms: number) => (now += ms) }
}

test('19 bad messages within a minute are tolerated; the 20th spends the budget', (t) => {
  const { budget, advance } = clocked()
  t.is(LIMITS.maxBadMessages, 20)
  for (let i = 1; i < 20; i++) {
    t.absent(budget.spend(), `bad message ${i}`)
    advance(1000)
  }
  t.ok(budget.spend(), 'the 20th, 19 s after the first')
})

test('the window slides: messages a minute old no longer count', (t) => {
  const { budget, advance } = clocked()
  for (let i = 0; i < 19; i++) budget.spend()
  advance(LIMITS.badMessageWindowMs)
  t.absent(budget.spend(), 'the first 19 are a minute old: this is the only one in the window')
  for (let i = 0; i < 18; i++) budget.spend()
  t.ok(budget.spend(), 'but 20 within the window again spend it')
})

test('one bad message every 3.2 s never spends it; every 3.1 s does', (t) => {
  const slow = clocked()
  for (let i = 0; i < 200; i++) {
    t.absent(slow.budget.spend())
    slow.advance(3200)
  }
  const fast = clocked()
  let spentAt = 0
  for (let i = 1; i <= 200 && spentAt === 0; i++) {
    if (fast.budget.spend()) spentAt = i
    fast.advance(3100)
  }
  t.is(spentAt, 20)
})

test('once spent, every further bad message within the window spends it too', (t) => {
  const { budget, advance } = clocked({ max: 3, windowMs: 100 })
  budget.spend()
  budget.spend()
  t.ok(budget.spend())
  advance(10)
  t.ok(budget.spend())
  advance(100)
  t.absent(budget.spend(), 'a quiet window later it starts over')
})
