// What the Connect screen says about a status or an error: the worklet's own sentence
// (from the protocol's ERROR_INFO) is the headline; this adds the next step as an action.
//
//   const advice = connectAdvice(state.connectError)   // { action: 'retry', label: 'Try again' }

import type { WorkletStatus } from '@localllm/worklet'
import type { WorkletError } from './conversation'

export type NextStep = 'retry' | 'edit' | 'wait' | 'update'

export interface Advice {
  next: NextStep
  /** The button or hint shown under the error sentence. */
  label: string
}

const ADVICE: Partial<Record<WorkletError['code'], Advice>> = {
  INVALID_SERVER_ID: { next: 'edit', label: 'Paste the Server ID again or scan the QR code' },
  HOST_OFFLINE: { next: 'retry', label: 'Try again' },
  HOST_UNREACHABLE: { next: 'retry', label: 'Try again' },
  CONNECT_FAILED: { next: 'retry', label: 'Try again' },
  HOST_DISCONNECTED: { next: 'wait', label: 'Reconnecting by itself — no need to do anything' },
  HOST_FULL: { next: 'retry', label: 'Try again later' },
  DEVICE_REMOVED: {
    next: 'edit',
    label: 'Ask the host for its current Server ID, then paste it or scan its QR code here'
  },
  TOO_MANY_REQUESTS: { next: 'retry', label: 'Try again' },
  UNSUPPORTED_VERSION: { next: 'update', label: 'Update the app and the host, then connect again' },
  TIMEOUT_NO_RESPONSE: { next: 'retry', label: 'Try again' }
}

export function connectAdvice(error: WorkletError): Advice {
  return (
    ADVICE[error.code] ??
    (error.retryable
      ? { next: 'retry', label: 'Try again' }
      : { next: 'edit', label: 'Check the Server ID' })
  )
}

export const STATUS_WORDS: Record<WorkletStatus, string> = {
  idle: 'Not connected',
  connecting: 'Looking for the host…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: "The host isn't reachable right now",
  suspended: 'Paused while the app is in the background',
  closed: 'Disconnected'
}
