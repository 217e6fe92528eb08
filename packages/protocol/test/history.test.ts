import test from 'brittle'
import b4a from 'b4a'
import { LIMITS, encodeLine, fitHistory, parseHostBound, type Turn } from '../src/index.js'

const exchange = (n: number, size = 10): Turn[] => [
  { role: 'user', content: `question ${n} ${'q'.repeat(size)}` },
  { role: 'assistant', content: `answer ${n} ${'a'.repeat(size)}` }
]

test('a short conversation goes whole', (t) => {
  const turns = [...exchange(1), ...exchange(2)]
  t.alike(fitHistory('and now?', turns), { history: turns, dropped: 0 })
})

test('the oldest exchanges go first, whole, until the line fits', (t) => {
  const turns = Array.from({ length: 12 }, (_, i) => exchange(i, 6000)).flat()
  const { history, dropped } = fitHistory('and now?', turns)
  t.ok(dropped > 0, `${dropped} turns left out`)
  t.is(dropped % 2, 0, 'whole exchanges')
  t.alike(history, turns.slice(dropped), 'the newest turns are kept, in order')
  t.is(history[0]?.role, 'user', 'the history never opens with a reply')
  const line = encodeLine({
    type: 'chat_start',
    request_id: 'r'.repeat(LIMITS.maxRequestIdLength),
    payload: { prompt: 'and now?', history }
  })
  t.ok(line.length - 1 <= LIMITS.maxLineBytes, `${line.length - 1} bytes`)
  const parsed = parseHostBound(JSON.parse(b4a.toString(line)))
  t.ok(parsed.ok, 'and the host accepts it')
  const one = fitHistory('and now?', turns.slice(dropped - 2))
  t.is(one.dropped, 2, 'one more exchange would not have fitted')
})

test('text that grows when escaped is measured as sent', (t) => {
  // U+0001 is one byte of content and six in JSON (\u0001).
  const turns: Turn[] = [
    { role: 'user', content: '\u0001'.repeat(12_000) },
    { role: 'assistant', content: 'ok' },
    { role: 'user', content: 'short' },
    { role: 'assistant', content: 'fine' }
  ]
  const { history, dropped } = fitHistory('x', turns)
  t.is(dropped, 2)
  t.is(history.length, 2)
})

test('turn and byte limits hold even when the line would fit', (t) => {
  const many = Array.from({ length: LIMITS.maxHistoryTurns / 2 + 5 }, (_, i) =>
    exchange(i, 1)
  ).flat()
  const r = fitHistory('x', many)
  t.ok(r.history.length <= LIMITS.maxHistoryTurns, `${r.history.length} turns`)
  t.is(r.dropped, many.length - r.history.length)
})
