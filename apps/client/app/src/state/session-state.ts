// The app's state as a pure reducer over worklet events and user actions: connection
// status, the host's server_info, the transcript and the errors to show.
//
//   const [state, dispatch] = useReducer(sessionReducer, initialSessionState)
//   dispatch({ type: 'event', event })            // every IPC event from the worklet
//   dispatch({ type: 'chunks', chunks })          // streamed text, batched by the caller
//
// Chunks arrive in batches (session-provider.tsx flushes every ~50 ms and before any other
// event), so one render covers many tokens. Nothing here keeps the Server ID.

import type { WorkletEvent, WorkletStatus } from '@localllm/worklet'

type ErrorEvent = Extract<WorkletEvent, { event: 'error' }>
type EndEvent = Extract<WorkletEvent, { event: 'end' }>
export type ServerInfo = Extract<WorkletEvent, { event: 'server_info' }>['info']
export type WorkletError = Pick<ErrorEvent, 'code' | 'message' | 'retryable'>

export type TurnState = 'waiting' | 'loading_model' | 'streaming' | 'done' | 'stopped' | 'failed'

export interface Turn {
  ref: string
  prompt: string
  reply: string
  state: TurnState
  error?: WorkletError
  stats?: EndEvent['stats']
  finishReason?: EndEvent['finish_reason']
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn'
  msg: string
}

export interface SessionState {
  /** The worklet said `ready`. */
  workletReady: boolean
  status: WorkletStatus
  /** Counts `connect` actions: a screen can tell a new connection from an old one. */
  attempt: number
  info?: ServerInfo
  /** The last connection-level error (no `ref`), cleared by a new connect or `connected`. */
  connectError?: WorkletError
  turns: Turn[]
  logs: LogLine[]
}

export type SessionAction =
  | { type: 'event'; event: WorkletEvent }
  | { type: 'chunks'; chunks: { ref: string; text: string }[] }
  | { type: 'connect' }
  | { type: 'send'; ref: string; prompt: string }
  | { type: 'stop'; ref: string }
  | { type: 'clear' }

export const MAX_LOG_LINES = 200

export const initialSessionState: SessionState = {
  workletReady: false,
  status: 'idle',
  attempt: 0,
  turns: [],
  logs: []
}

const FINISHED: readonly TurnState[] = ['done', 'stopped', 'failed']

export function isStreaming(turn: Turn): boolean {
  return !FINISHED.includes(turn.state)
}

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'connect':
      return { ...withoutConnectError(state), status: 'connecting', attempt: state.attempt + 1 }
    case 'send':
      return {
        ...state,
        turns: [
          ...state.turns,
          { ref: action.ref, prompt: action.prompt, reply: '', state: 'waiting' }
        ]
      }
    case 'stop':
      return updateTurn(state, action.ref, (turn) =>
        isStreaming(turn) ? { ...turn, state: 'stopped' } : turn
      )
    case 'clear':
      return { ...state, turns: state.turns.filter(isStreaming) }
    case 'chunks':
      return appendChunks(state, action.chunks)
    case 'event':
      return applyEvent(state, action.event)
  }
}

function applyEvent(state: SessionState, event: WorkletEvent): SessionState {
  switch (event.event) {
    case 'ready':
      return { ...state, workletReady: true }
    case 'status': {
      if (event.status === 'connected')
        return { ...withoutConnectError(state), status: 'connected' }
      return { ...state, status: event.status }
    }
    case 'server_info':
      return { ...state, info: event.info }
    case 'chunk':
      return appendChunks(state, [event])
    case 'chat_status':
      return updateTurn(state, event.ref, (turn) =>
        turn.state === 'waiting' || turn.state === 'loading_model'
          ? { ...turn, state: event.state === 'loading_model' ? 'loading_model' : 'waiting' }
          : turn
      )
    case 'end':
      return updateTurn(state, event.ref, (turn) => ({
        ...turn,
        state: turn.state === 'stopped' ? 'stopped' : 'done',
        stats: event.stats,
        finishReason: event.finish_reason
      }))
    case 'error': {
      const error: WorkletError = {
        code: event.code,
        message: event.message,
        retryable: event.retryable
      }
      if (event.ref === undefined) return { ...state, connectError: error }
      return updateTurn(state, event.ref, (turn) =>
        turn.state === 'stopped' || event.code === 'GENERATION_ABORTED'
          ? { ...turn, state: 'stopped' }
          : { ...turn, state: 'failed', error }
      )
    }
    case 'log': {
      const logs = [...state.logs, { level: event.level, msg: event.msg }]
      return { ...state, logs: logs.slice(-MAX_LOG_LINES) }
    }
  }
}

function withoutConnectError(state: SessionState): SessionState {
  const next = { ...state }
  delete next.connectError
  return next
}

function appendChunks(state: SessionState, chunks: { ref: string; text: string }[]): SessionState {
  if (chunks.length === 0) return state
  const added = new Map<string, string>()
  for (const { ref, text } of chunks) added.set(ref, (added.get(ref) ?? '') + text)
  let changed = false
  const turns = state.turns.map((turn) => {
    const text = added.get(turn.ref)
    // A stopped or finished reply keeps what it had: late chunks are dropped.
    if (text === undefined || !isStreaming(turn)) return turn
    changed = true
    return { ...turn, reply: turn.reply + text, state: 'streaming' as const }
  })
  return changed ? { ...state, turns } : state
}

function updateTurn(state: SessionState, ref: string, update: (turn: Turn) => Turn): SessionState {
  const index = state.turns.findIndex((turn) => turn.ref === ref)
  const turn = state.turns[index]
  if (!turn) return state
  const next = update(turn)
  if (next === turn) return state
  const turns = state.turns.slice()
  turns[index] = next
  return { ...state, turns }
}
