// The web preview's door to the network (`npm run client:web`): the same WorkletBridge as
// bridge.ts, but the worklet runs under the real `bare` binary in a local Node relay
// (apps/client/web) and its IPC travels over a WebSocket to the page's own origin. Metro
// picks this file for the web build; the bare-kit bridge and the inlined worklet bundle
// never reach the browser.
//
//   const bridge = startWorklet((event) => dispatch(event))   // opens ws://<origin>/ipc
//
// Commands written before the socket opens are queued. If the relay goes away, the app is
// told the worklet closed (status `closed`) with a warning in the debug log.

import type { AppStateStatus } from 'react-native'
import { EventDecoder, encodeIpc, type Command, type WorkletEvent } from '@localllm/worklet'
import type { WorkletBridge } from './bridge'

export const RELAY_PATH = '/ipc'

export function startWorklet(onEvent: (event: WorkletEvent) => void): WorkletBridge {
  const decoder = new EventDecoder()
  const url = new URL(RELAY_PATH, window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  const queued: Uint8Array[] = []
  let closed = false

  socket.addEventListener('open', () => {
    for (const bytes of queued.splice(0)) socket.send(bytes)
  })
  socket.addEventListener('message', (message: MessageEvent<ArrayBuffer | string>) => {
    const chunk =
      typeof message.data === 'string'
        ? new TextEncoder().encode(message.data)
        : new Uint8Array(message.data)
    for (const event of decoder.push(chunk)) onEvent(event)
  })
  socket.addEventListener('close', () => {
    if (closed) return
    closed = true
    onEvent({ event: 'log', level: 'warn', msg: 'the web preview relay closed the connection' })
    onEvent({ event: 'status', status: 'closed' })
  })

  return {
    send(command: Command) {
      if (closed) return
      const bytes = encodeIpc(command)
      if (socket.readyState === WebSocket.OPEN) socket.send(bytes)
      else queued.push(bytes)
    },
    // A browser tab keeps its connection while hidden: the relay's worklet is never suspended.
    setAppState(_state: AppStateStatus) {},
    close() {
      if (closed) return
      closed = true
      socket.close()
    }
  }
}
