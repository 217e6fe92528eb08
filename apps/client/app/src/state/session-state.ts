// The app's state as a pure reducer over worklet events and user actions: connection
// status, the host being talked to and its server_info, the open conversation, and the
// errors to show.
//
//   const [state, dispatch] = useReducer(sessionReducer, initialSessionState)
//   dispatch({ type: 'event', event, at: Date.now() })     // every IPC event from the worklet
//   dispatch({ type: 'chunks', chunks, at: Date.now() })   // streamed text, batched by the caller
//
// Chunks arrive in batches (session-provider.tsx flushes every ~50 ms and before any other
// event), so one render covers many tokens. Nothing here keeps the Server ID: the host is
// known by its public key.

import type { WorkletEvent, WorkletStatus } from '@localllm/worklet'
import {
  addTurn,
  appendChunks,
  finish,
  isStreaming,
  updateTurn,
  type Chunk,
  type Conversation,
  type WorkletError
} from './conversation'

export type ServerInfo = Extract<WorkletEvent, { event: 'server_info' }>['info']
export type ConnectionPath = Omit<Extract<WorkletEvent, { event: 'path' }>, 'event'>
export type { WorkletError }

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
  /** The public key (hex) of the host being connected to. */
  hostKey?: string
  /** That host's last server_info (cleared by a connect to another host). */
  info?: ServerInfo
  /** How the current connection reaches the host (direct or through a relay). */
  path?: ConnectionPath
  /** The last connection-level error (no `ref`), cleared by a new connect or `connected`. */
  connectError?: WorkletError
  /** The conversation on screen (or last on screen); replies stream into it. */
  chat?: Conversation
  /**
   * Our reply just ended and the host has not sent its next server_info yet: a `busy`
   * until then is still ours, not someone else's.
   */
  settling?: boolean
  logs: LogLine[]
}

export type SessionAction =
  | { type: 'event'; event: WorkletEvent; at: number }
  | { type: 'chunks'; chunks: Chunk[]; at: number }
  | { type: 'connect'; hostKey: string }
  | {
      type: 'send'
      ref: string
      prompt: string
      at: number
      /** Earlier messages the app left out (fitHistory). */
      droppedTurns: number
      /** The turn this one replaces (Retry, Regenerate). */
      replaces?: string
    }
  | { type: 'stop'; ref: string; at: number }
  | { type: 'open'; conversation: Conversation }
  | { type: 'close-chat'; id: string }

export const MAX_LOG_LINES = 200

export const initialSessionState: SessionState = {
  workletReady: false,
  status: 'idle',
  attempt: 0,
  logs: []
}

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'connect': {
      const next: SessionState = {
        ...withoutConnectError(state),
        status: 'connecting',
        attempt: state.attempt + 1,
        hostKey: action.hostKey
      }
      // Another host's name, model and status must never show under this one.
      if (action.hostKey !== state.hostKey) delete next.info
      delete next.path
      return next
    }
    case 'send':
      return withChat(state, (chat) =>
        addTurn(chat, {
          ref: action.ref,
          prompt: action.prompt,
          at: action.at,
          droppedTurns: action.droppedTurns,
          ...(action.replaces !== undefined ? { replaces: action.replaces } : {})
        })
      )
    case 'stop':
      return withChat(state, (chat) =>
        updateTurn(chat, action.ref, (turn) =>
          isStreaming(turn) ? finish(turn, action.at, { state: 'stopped' }) : turn
        )
      )
    case 'open':
      return { ...state, chat: action.conversation }
    case 'close-chat': {
      if (state.chat?.id !== action.id) return state
      const next = { ...state }
      delete next.chat
      return next
    }
    case 'chunks':
      return withChat(state, (chat) => appendChunks(chat, action.chunks, action.at))
    case 'event':
      return applyEvent(state, action.event, action.at)
  }
}

function applyEvent(state: SessionState, event: WorkletEvent, at: number): SessionState {
  switch (event.event) {
    case 'ready':
      return { ...state, workletReady: true }
    case 'device':
      return state
    case 'status': {
      if (event.status === 'connected')
        return { ...withoutConnectError(state), status: 'connected' }
      const next: SessionState = { ...state, status: event.status }
      if (event.status !== 'suspended') delete next.path // the connection it described is gone
      return next
    }
    case 'path': {
      const { event: _event, ...path } = event
      return { ...state, path }
    }
    case 'server_info': {
      const next: SessionState = { ...state, info: event.info }
      delete next.settling
      // The open conversation follows its host's current name and model.
      if (state.chat && state.chat.hostKey === state.hostKey) {
        const { host_name: hostName, model } = event.info
        if (state.chat.hostName !== hostName || state.chat.model !== model) {
          next.chat = { ...state.chat, hostName, model }
        }
      }
      return next
    }
    case 'request':
      return withChat(state, (chat) =>
        updateTurn(chat, event.ref, (turn) =>
          event.dropped_turns > 0
            ? { ...turn, droppedTurns: (turn.droppedTurns ?? 0) + event.dropped_turns }
            : turn
        )
      )
    case 'chunk':
      return withChat(state, (chat) => appendChunks(chat, [event], at))
    case 'chat_status':
      return withChat(state, (chat) =>
        updateTurn(chat, event.ref, (turn) =>
          turn.state === 'waiting' || turn.state === 'loading_model'
            ? { ...turn, state: event.state === 'loading_model' ? 'loading_model' : 'waiting' }
            : turn
        )
      )
    case 'end':
      return settling(
        withChat(state, (chat) =>
          updateTurn(chat, event.ref, (turn) =>
            finish(turn, at, {
              state: turn.state === 'stopped' ? 'stopped' : 'done',
              stats: event.stats,
              finishReason: event.finish_reason
            })
          )
        )
      )
    case 'error': {
      const error: WorkletError = {
        code: event.code,
        message: event.message,
        retryable: event.retryable
      }
      if (event.ref === undefined) return { ...state, connectError: error }
      return settling(
        withChat(state, (chat) =>
          updateTurn(chat, event.ref as string, (turn) =>
            turn.state === 'stopped' || event.code === 'GENERATION_ABORTED'
              ? finish(turn, at, { state: 'stopped' })
              : finish(turn, at, { state: 'failed', error })
          )
        )
      )
    }
    case 'log': {
      const logs = [...state.logs, { level: event.level, msg: event.msg }]
      return { ...state, logs: logs.slice(-MAX_LOG_LINES) }
    }
  }
}

function settling(state: SessionState): SessionState {
  return state.info?.status === 'busy' ? { ...state, settling: true } : state
}

function withChat(state: SessionState, update: (chat: Conversation) => Conversation): SessionState {
  if (!state.chat) return state
  const chat = update(state.chat)
  return chat === state.chat ? state : { ...state, chat }
}

function withoutConnectError(state: SessionState): SessionState {
  const next = { ...state }
  delete next.connectError
  return next
}
