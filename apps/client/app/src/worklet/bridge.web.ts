// The web preview's door to the network (`npm run client:web`): the same WorkletBridge as
// bridge.ts, but the worklet runs under the real `bare` binary in a local Node relay
// (apps/client/web) and its IPC travels over a WebSocket to the page's own origin. Metro
// picks this file for the web build; the bare-kit bridge and the inlined worklet bundle
// never reach the browser.
//
//   const bridge = startWorklet((event) => dispatch(event))   // opens ws://<origin>/ipc
//
// Commands written before the socket opens are queued. If the relay connection drops (the
// relay restarted, or refused a page over its limit), the app sees what a lost host looks
// like: status `reconnecting`, HOST_DISCONNECTED for every reply still streaming, and a new
// socket (a new worklet) that repeats the last `connect` once it opens (with the device key
// the first worklet made, if that connect had none).

import type { AppStateStatus } from 'react-native'
import { protocolError } from '@localllm/protocol'
import {
  EventDecoder,
  encodeIpc,
  errorEvent,
  type Command,
  type WorkletEvent
} from '@localllm/worklet'
import type { WorkletBridge } from './bridge'

export const RELAY_PATH = '/ipc'
/** Waits between attempts to reopen the relay socket. */
export const REOPEN_DELAYS_MS = [500, 1000, 2000, 5000]

export function startWorklet(onEvent: (event: WorkletEvent) => void): WorkletBridge {
  const url = new URL(RELAY_PATH, globalThis.location?.href ?? 'http://localhost/')
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  let socket: WebSocket
  let decoder = new EventDecoder()
  let queued: Uint8Array[] = []
  let lastConnect: Extract<Command, { cmd: 'connect' }> | null = null
  const streaming = new Set<string>()
  let drops = 0
  let reopenTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false

  const deliver = (event: WorkletEvent) => {
    if ((event.event === 'end' || event.event === 'error') && event.ref) streaming.delete(event.ref)
    // A connect that made a new device key is repeated with that key, not a third one.
    if (event.event === 'device' && lastConnect && lastConnect.device_seed === undefined) {
      lastConnect = { ...lastConnect, device_seed: event.seed }
    }
    onEvent(event)
  }

  const open = () => {
    decoder = new EventDecoder()
    socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    socket.addEventListener('open', () => {
      drops = 0
      for (const bytes of queued.splice(0)) socket.send(bytes)
    })
    socket.addEventListener('message', (message: MessageEvent<ArrayBuffer | string>) => {
      const chunk =
        typeof message.data === 'string'
          ? new TextEncoder().encode(message.data)
          : new Uint8Array(message.data)
      for (const event of decoder.push(chunk)) deliver(event)
    })
    socket.addEventListener('close', () => {
      if (closed) return
      onEvent({ event: 'log', level: 'warn', msg: 'lost the web preview relay; reopening' })
      for (const ref of [...streaming]) deliver(errorEvent(protocolError('HOST_DISCONNECTED'), ref))
      if (lastConnect) onEvent({ event: 'status', status: 'reconnecting' })
      // The new worklet starts from nothing: it is told to connect again once it is there.
      queued = lastConnect ? [encodeIpc(lastConnect)] : []
      const delay = REOPEN_DELAYS_MS[Math.min(drops++, REOPEN_DELAYS_MS.length - 1)]
      reopenTimer = setTimeout(open, delay)
    })
  }
  open()

  return {
    send(command: Command) {
      if (closed) return
      if (command.cmd === 'connect') lastConnect = command
      if (command.cmd === 'disconnect') lastConnect = null
      if (command.cmd === 'send') streaming.add(command.ref)
      const bytes = encodeIpc(command)
      if (socket.readyState === WebSocket.OPEN) socket.send(bytes)
      else queued.push(bytes)
    },
    // A browser tab keeps its connection while hidden: the relay's worklet is never suspended.
    setAppState(_state: AppStateStatus) {},
    close() {
      if (closed) return
      closed = true
      if (reopenTimer) clearTimeout(reopenTimer)
      socket.close()
    }
  }
}
