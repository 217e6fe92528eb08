// Owns the worklet for the app's lifetime and exposes its state and commands to screens.
//
//   <SessionProvider><Stack /></SessionProvider>
//   const { state, connect, send, stop } = useSession()
//
// Streamed chunks are buffered and flushed into the reducer every CHUNK_FLUSH_MS, and
// before any other event so an `end` never overtakes its own text. The worklet is
// terminated in the effect's cleanup: nothing else ends it on a remount.

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode
} from 'react'
import { AppState, Platform } from 'react-native'
import type { Command, WorkletEvent } from '@localllm/worklet'
import { startWorklet, type WorkletBridge } from '../worklet/bridge'
import { redactServerIds } from './redact'
import { forgetHost, loadRecentHosts, rememberHost, type RecentHost } from './recent-hosts'
import { initialSessionState, sessionReducer, type SessionState } from './session-state'

export const CHUNK_FLUSH_MS = 50

export interface Session {
  state: SessionState
  recentHosts: RecentHost[]
  connect: (serverId: string) => void
  disconnect: () => void
  retry: () => void
  send: (prompt: string) => string
  stop: (ref: string) => void
  clear: () => void
  forget: (serverId: string) => void
  /** Text with every Server ID this session knows (and anything like one) blanked out. */
  redact: (text: string) => string
}

const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession() outside <SessionProvider>')
  return session
}

let nextRef = 0

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(sessionReducer, initialSessionState)
  const [recentHosts, setRecentHosts] = useState<RecentHost[]>([])
  const bridge = useRef<WorkletBridge | null>(null)
  // The Server ID being connected to lives here only: never in state, never logged.
  const serverId = useRef<string | null>(null)
  // Children's effects run before this provider's (a deep link connects on mount), so
  // commands wait here until the worklet is started.
  const queued = useRef<Command[]>([])
  const command = useCallback((cmd: Command) => {
    if (bridge.current) bridge.current.send(cmd)
    else queued.current.push(cmd)
  }, [])

  useEffect(() => {
    let pending: { ref: string; text: string }[] = []
    let timer: ReturnType<typeof setTimeout> | null = null
    const flush = () => {
      if (timer) clearTimeout(timer)
      timer = null
      if (pending.length === 0) return
      const chunks = pending
      pending = []
      dispatch({ type: 'chunks', chunks })
    }
    const onEvent = (event: WorkletEvent) => {
      if (event.event === 'chunk') {
        pending.push({ ref: event.ref, text: event.text })
        timer ??= setTimeout(flush, CHUNK_FLUSH_MS)
        return
      }
      flush()
      dispatch({ type: 'event', event })
      if (event.event === 'server_info' && serverId.current) {
        const host = {
          serverId: serverId.current,
          hostName: event.info.host_name,
          model: event.info.model
        }
        void rememberHost(host).then(setRecentHosts, () => undefined)
      }
    }
    const worklet = startWorklet(onEvent)
    bridge.current = worklet
    for (const cmd of queued.current.splice(0)) worklet.send(cmd)
    const appState = AppState.addEventListener('change', (next) => worklet.setAppState(next))
    void loadRecentHosts().then(setRecentHosts)
    return () => {
      appState.remove()
      if (timer) clearTimeout(timer)
      bridge.current = null
      worklet.close()
    }
  }, [])

  const connect = useCallback(
    (id: string) => {
      serverId.current = id.trim()
      dispatch({ type: 'connect' })
      command({
        cmd: 'connect',
        server_id: serverId.current,
        client: { name: 'LocalLLM', platform: Platform.OS, version: '0.1.0' }
      })
    },
    [command]
  )
  const disconnect = useCallback(() => {
    serverId.current = null
    command({ cmd: 'disconnect' })
  }, [command])
  const retry = useCallback(() => command({ cmd: 'retry' }), [command])
  const send = useCallback(
    (prompt: string) => {
      const ref = `r${Date.now().toString(36)}-${nextRef++}`
      dispatch({ type: 'send', ref, prompt })
      command({ cmd: 'send', ref, prompt })
      return ref
    },
    [command]
  )
  const stop = useCallback(
    (ref: string) => {
      dispatch({ type: 'stop', ref })
      command({ cmd: 'abort', ref })
    },
    [command]
  )
  const clear = useCallback(() => dispatch({ type: 'clear' }), [])
  const forget = useCallback((id: string) => {
    void forgetHost(id).then(setRecentHosts)
  }, [])

  const redact = useCallback(
    (text: string) =>
      redactServerIds(text, [serverId.current ?? '', ...recentHosts.map((h) => h.serverId)]),
    [recentHosts]
  )

  const session = useMemo(
    () => ({ state, recentHosts, connect, disconnect, retry, send, stop, clear, forget, redact }),
    [state, recentHosts, connect, disconnect, retry, send, stop, clear, forget, redact]
  )
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
}
