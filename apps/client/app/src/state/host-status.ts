// Whether the host of a conversation can answer now, in words, before the friend types: the
// chat header's dot and label, the banner above the transcript and whether Send is allowed
// all come from here, from the connection status and the host's server_info.
//
//   const s = hostStatus(state, chat.hostKey)
//   s.dot      // 'ready' | 'busy' | 'down'
//   s.banner   // "Ollama isn't running on Sam's Mac…", or null
//   s.canSend  // false unless a prompt sent now would be answered
//
// `busy` while this phone's own reply streams is not a banner: the reply shows it.

import { activeTurn } from './conversation'
import type { SessionState } from './session-state'

export type Dot = 'ready' | 'busy' | 'down'

export interface HostStatus {
  dot: Dot
  /** One or two words for the header's accessibility label: "ready", "busy", … */
  words: string
  /** What stands between the friend and an answer, in a sentence; null when nothing does. */
  banner: string | null
  /** A banner that is only news (someone else is being answered), not a fault. */
  calm: boolean
  canSend: boolean
}

export function hostStatus(state: SessionState, hostKey: string | undefined): HostStatus {
  const host = state.chat?.hostName ?? state.info?.host_name ?? 'The host'
  if (hostKey === undefined || state.hostKey !== hostKey) {
    return down('not connected', `Not connected to ${host}. Connect to it from the start screen.`)
  }
  if (state.status !== 'connected' || !state.info) {
    if (state.connectError && state.status !== 'connecting') {
      return down('not connected', state.connectError.message)
    }
    if (state.status === 'connecting') return down('connecting', `Looking for ${host}…`)
    if (state.status === 'offline') return down('offline', `${host} isn't reachable. Still trying…`)
    if (state.status === 'suspended') return down('paused', null)
    return down('reconnecting', 'Connection lost. Reconnecting…')
  }
  const { info } = state
  const name = info.host_name
  switch (info.status) {
    case 'ready':
      return { dot: 'ready', words: 'ready', banner: null, calm: true, canSend: true }
    case 'busy':
      return {
        dot: 'busy',
        words: 'busy',
        banner:
          activeTurn(state.chat) || state.settling
            ? null
            : `${name} is answering someone else right now. You can send when it's done.`,
        calm: true,
        canSend: false
      }
    case 'unavailable':
      return down('unavailable', unavailableSentence(name, info.model, info.reason))
    case 'stopped':
      return down('stopped', `${name} stopped sharing its model.`)
  }
}

export function unavailableSentence(
  host: string,
  model: string,
  reason: 'ollama_unreachable' | 'model_missing' | 'no_model' | undefined
): string {
  switch (reason) {
    case 'ollama_unreachable':
      return `Ollama isn't running on ${host}, so it can't answer. Ask the host to start Ollama.`
    case 'model_missing':
      return `${model || 'The chosen model'} isn't installed on ${host}, so it can't answer. Ask the host to install it or choose another model.`
    case 'no_model':
      return `${host} has no model chosen, so it can't answer. Ask the host to choose one.`
    default:
      return `${host} can't answer right now.`
  }
}

function down(words: string, banner: string | null): HostStatus {
  return { dot: 'down', words, banner, calm: false, canSend: false }
}
