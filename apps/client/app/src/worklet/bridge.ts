// The app's only door to the network: starts the Bare worklet with react-native-bare-kit,
// writes typed commands and hands back decoded events. The codec and types come from
// `@localllm/worklet`, the same definition the worklet validates with.
//
//   const bridge = startWorklet((event) => dispatch(event))
//   bridge.send({ cmd: 'connect', server_id })
//   bridge.close()                                  // terminates the worklet
//
// The start name must end in `.bundle`: Bare, not BareKit, treats that as a Bare bundle.

import type { AppStateStatus } from 'react-native'
import { Worklet } from 'react-native-bare-kit'
import { EventDecoder, encodeIpc, type Command, type WorkletEvent } from '@localllm/worklet'
import { workletSource } from './bundle'

export interface WorkletBridge {
  send(command: Command): void
  /** Suspends the worklet in the background and resumes it when active. */
  setAppState(state: AppStateStatus): void
  /** Terminates the worklet; idempotent. */
  close(): void
}

export function startWorklet(onEvent: (event: WorkletEvent) => void): WorkletBridge {
  const worklet = new Worklet()
  const decoder = new EventDecoder()
  let closed = false
  // bare-kit's IPC emits Uint8Array (not Buffer) chunks.
  worklet.IPC.on('data', (chunk) => {
    for (const event of decoder.push(chunk as Uint8Array)) onEvent(event)
  })
  worklet.start('/app.bundle', workletSource)
  return {
    send(command) {
      if (!closed) worklet.IPC.write(encodeIpc(command))
    },
    setAppState(state) {
      // bare-kit also does this from its own AppState listener; calling it here keeps the
      // rule visible and covers a worklet started while the app was in the background.
      if (!closed) worklet.update(state)
    },
    close() {
      if (closed) return
      closed = true
      worklet.terminate()
    }
  }
}
