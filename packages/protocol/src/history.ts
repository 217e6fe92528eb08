// Fitting a conversation into one `chat_start`: the oldest exchanges are left out until the
// history is within its limits and the whole line fits the line limit.
//
//   const { history, dropped } = fitHistory(prompt, turns)
//   send({ type: 'chat_start', request_id, payload: { prompt, history } })
//   if (dropped > 0) say("Earlier messages weren't sent")
//
// Whole exchanges go: after the oldest turn is left out, a reply that would now open the
// history goes too, so the model never sees an answer without its question. Each turn's
// encoded size is measured once, so fitting is linear in the history's length.

import b4a from 'b4a'
import { LIMITS } from './limits.js'
import { utf8ByteLength, type Turn } from './messages.js'

// The longest request id a client may use, so the size check holds for any id.
const LONGEST_ID = 'x'.repeat(LIMITS.maxRequestIdLength)

export function fitHistory(
  prompt: string,
  turns: readonly Turn[]
): { history: Turn[]; dropped: number } {
  const base = jsonBytes({
    type: 'chat_start',
    request_id: LONGEST_ID,
    payload: { prompt, history: [] }
  })
  // One turn adds its JSON and a comma (none for the first, so this errs by one byte).
  const lineBytes = turns.map((turn) => jsonBytes(turn) + 1)
  const contentBytes = turns.map((turn) => utf8ByteLength(turn.content))
  let line = base + sum(lineBytes)
  let content = sum(contentBytes)
  let start = 0
  const drop = () => {
    line -= lineBytes[start] as number
    content -= contentBytes[start] as number
    start++
  }
  while (
    start < turns.length &&
    (turns.length - start > LIMITS.maxHistoryTurns ||
      content > LIMITS.maxHistoryBytes ||
      line > LIMITS.maxLineBytes)
  ) {
    drop()
    while (start < turns.length && turns[start]?.role === 'assistant') drop()
  }
  return { history: turns.slice(start), dropped: start }
}

function jsonBytes(value: unknown): number {
  return b4a.byteLength(JSON.stringify(value), 'utf8')
}

function sum(values: number[]): number {
  let total = 0
  for (const v of values) total += v
  return total
}
