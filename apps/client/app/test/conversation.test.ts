import { LIMITS, fitHistory } from '@localllm/protocol'
import {
  addTurn,
  appendChunks,
  historyBefore,
  newConversation,
  settled,
  titleOf,
  updateTurn,
  type Conversation
} from '../src/state/conversation'

const base = newConversation({ id: 'c', hostKey: 'k', hostName: 'Host', model: 'm', at: 0 })

function withTurns(
  ...turns: Array<[string, string, string, Conversation['turns'][number]['state']]>
) {
  let c = base
  for (const [ref, prompt, reply, state] of turns) {
    c = addTurn(c, { ref, prompt, at: 1, droppedTurns: 0 })
    c = appendChunks(c, reply ? [{ ref, text: reply, thinking: 'secret reasoning' }] : [], 2)
    c = updateTurn(c, ref, (t) => ({ ...t, state }))
  }
  return c
}

test('history is the finished exchanges, oldest first, without reasoning or failed turns', () => {
  const c = withTurns(
    ['a', 'My name is Ana.', 'Nice to meet you, Ana.', 'done'],
    ['b', 'And Porto?', '', 'failed'],
    ['c', 'I live in Porto.', 'Porto is lovely', 'stopped'],
    ['d', 'Where do I live?', '', 'waiting']
  )
  expect(historyBefore(c, 'd')).toEqual([
    { role: 'user', content: 'My name is Ana.' },
    { role: 'assistant', content: 'Nice to meet you, Ana.' },
    { role: 'user', content: 'I live in Porto.' },
    { role: 'assistant', content: 'Porto is lovely' }
  ])
  expect(JSON.stringify(historyBefore(c))).not.toContain('secret reasoning')
  // Regenerating turn c sends only what came before it.
  expect(historyBefore(c, 'c')).toHaveLength(2)
})

test('a conversation longer than one request fits by leaving out the oldest exchanges', () => {
  const big = 'x'.repeat(10_000)
  const c = withTurns(
    ...Array.from(
      { length: 8 },
      (_, i) => [`t${i}`, `q${i}`, big, 'done'] as [string, string, string, 'done']
    )
  )
  const { history, dropped } = fitHistory('next', historyBefore(c))
  expect(dropped).toBeGreaterThan(0)
  expect(history[0]?.role).toBe('user')
  expect(history.reduce((n, t) => n + t.content.length, 0)).toBeLessThanOrEqual(
    LIMITS.maxHistoryBytes
  )
  expect(history.at(-1)).toEqual({ role: 'assistant', content: big })
})

test('a reply read back from storage that was still streaming is stopped', () => {
  const c = withTurns(['a', 'hi', 'half a rep', 'streaming'])
  expect(settled(c).turns[0]).toMatchObject({ state: 'stopped', reply: 'half a rep' })
})

test('titles are one line, cut at 80 characters', () => {
  expect(titleOf('  two\nlines ')).toBe('two lines')
  expect(titleOf('y'.repeat(100))).toHaveLength(80)
  expect(titleOf('y'.repeat(100)).endsWith('…')).toBe(true)
})
