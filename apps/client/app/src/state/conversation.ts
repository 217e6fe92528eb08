// A conversation with one host, as pure functions over plain data: the turns (prompt,
// streamed reply, reasoning, how it ended) and the history a new prompt carries.
//
//   let c = newConversation({ id, hostKey, hostName, model, at })
//   c = addTurn(c, { ref, prompt, at, droppedTurns })          // or replace: failedRef
//   c = appendChunks(c, [{ ref, text: 'Hi', thinking: '' }], at)
//   const turns = historyBefore(c, ref)                         // for fitHistory()
//
// Reasoning (`thinking`) is shown apart and never part of the history. Times come in as
// arguments (`at`, epoch ms), so everything here is deterministic.

import type { WorkletEvent } from '@localllm/worklet'

type ErrorEvent = Extract<WorkletEvent, { event: 'error' }>
type EndEvent = Extract<WorkletEvent, { event: 'end' }>
export type WorkletError = Pick<ErrorEvent, 'code' | 'message' | 'retryable'>
export type HistoryTurn = { role: 'user' | 'assistant'; content: string }

export type TurnState = 'waiting' | 'loading_model' | 'streaming' | 'done' | 'stopped' | 'failed'

export interface Turn {
  ref: string
  prompt: string
  reply: string
  /** A thinking model's reasoning, streamed before (or beside) the reply. */
  thinking: string
  /** When the first reasoning arrived… */
  thinkingStartedAt?: number
  /** …and how long it went on (set when the answer starts or the reply ends). */
  thinkingMs?: number
  state: TurnState
  error?: WorkletError
  stats?: EndEvent['stats']
  finishReason?: EndEvent['finish_reason']
  /** Earlier messages left out of this request so it fit the host's limits. */
  droppedTurns?: number
}

export interface Conversation {
  id: string
  /** The host's public key (hex): a conversation belongs to one host. */
  hostKey: string
  hostName: string
  model: string
  /** The first prompt, cut short. */
  title: string
  createdAt: number
  updatedAt: number
  turns: Turn[]
}

export interface Chunk {
  ref: string
  text?: string
  thinking?: string
}

export const TITLE_CHARS = 80
const FINISHED: readonly TurnState[] = ['done', 'stopped', 'failed']

export function isStreaming(turn: Turn): boolean {
  return !FINISHED.includes(turn.state)
}

export function activeTurn(conversation: Conversation | undefined): Turn | undefined {
  return conversation?.turns.find(isStreaming)
}

export function newConversation(init: {
  id: string
  hostKey: string
  hostName: string
  model: string
  at: number
}): Conversation {
  const { at, ...rest } = init
  return { ...rest, title: '', createdAt: at, updatedAt: at, turns: [] }
}

export function titleOf(prompt: string): string {
  const line = prompt.trim().replace(/\s+/g, ' ')
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line
}

/** A new turn at the end, or in place of `replaces` (Retry, Regenerate). */
export function addTurn(
  conversation: Conversation,
  sent: { ref: string; prompt: string; at: number; droppedTurns: number; replaces?: string }
): Conversation {
  const turn: Turn = {
    ref: sent.ref,
    prompt: sent.prompt,
    reply: '',
    thinking: '',
    state: 'waiting'
  }
  if (sent.droppedTurns > 0) turn.droppedTurns = sent.droppedTurns
  const index = conversation.turns.findIndex((t) => t.ref === sent.replaces)
  const turns = conversation.turns.slice()
  if (index === -1) turns.push(turn)
  else turns[index] = turn
  return {
    ...conversation,
    title: conversation.title || titleOf(sent.prompt),
    updatedAt: sent.at,
    turns
  }
}

/**
 * The finished exchanges before `ref` (or all of them), oldest first, as `history`: a
 * failed turn, or one stopped before any answer, is left out; reasoning never goes in.
 */
export function historyBefore(conversation: Conversation, ref?: string): HistoryTurn[] {
  const end = conversation.turns.findIndex((t) => t.ref === ref)
  const earlier = end === -1 ? conversation.turns : conversation.turns.slice(0, end)
  return earlier.flatMap((turn): HistoryTurn[] =>
    (turn.state === 'done' || turn.state === 'stopped') && turn.reply.trim() !== ''
      ? [
          { role: 'user', content: turn.prompt },
          { role: 'assistant', content: turn.reply }
        ]
      : []
  )
}

export function appendChunks(
  conversation: Conversation,
  chunks: Chunk[],
  at: number
): Conversation {
  if (chunks.length === 0) return conversation
  const added = new Map<string, { text: string; thinking: string }>()
  for (const { ref, text, thinking } of chunks) {
    const sum = added.get(ref) ?? { text: '', thinking: '' }
    added.set(ref, { text: sum.text + (text ?? ''), thinking: sum.thinking + (thinking ?? '') })
  }
  let changed = false
  const turns = conversation.turns.map((turn) => {
    const more = added.get(turn.ref)
    // A stopped or finished reply keeps what it had: late chunks are dropped.
    if (!more || !isStreaming(turn)) return turn
    changed = true
    const next: Turn = {
      ...turn,
      reply: turn.reply + more.text,
      thinking: turn.thinking + more.thinking,
      state: 'streaming'
    }
    if (more.thinking && next.thinkingStartedAt === undefined) next.thinkingStartedAt = at
    // The answer has started: the reasoning before it is over.
    if (more.text && next.thinkingStartedAt !== undefined && next.thinkingMs === undefined) {
      next.thinkingMs = at - next.thinkingStartedAt
    }
    return next
  })
  return changed ? { ...conversation, turns } : conversation
}

export function updateTurn(
  conversation: Conversation,
  ref: string,
  update: (turn: Turn) => Turn
): Conversation {
  const index = conversation.turns.findIndex((turn) => turn.ref === ref)
  const turn = conversation.turns[index]
  if (!turn) return conversation
  const next = update(turn)
  if (next === turn) return conversation
  const turns = conversation.turns.slice()
  turns[index] = next
  return { ...conversation, turns }
}

/** The reply is over (ended, failed or stopped): reasoning still open is closed at `at`. */
export function finish(turn: Turn, at: number, changes: Partial<Turn>): Turn {
  const next: Turn = { ...turn, ...changes }
  if (next.thinkingStartedAt !== undefined && next.thinkingMs === undefined) {
    next.thinkingMs = at - next.thinkingStartedAt
  }
  return next
}

/** A conversation read back from storage: a reply that was streaming when the app went away is stopped. */
export function settled(conversation: Conversation): Conversation {
  if (!conversation.turns.some(isStreaming)) return conversation
  return {
    ...conversation,
    turns: conversation.turns.map((turn) =>
      isStreaming(turn) ? finish(turn, turn.thinkingStartedAt ?? 0, { state: 'stopped' }) : turn
    )
  }
}
