// Owns the worklet, the device key and the conversation store for the app's lifetime, and
// gives screens the state and the commands.
//
//   <SessionProvider><Stack /></SessionProvider>
//   const { state, connect, newChat, send, regenerate, stop, openChat } = useSession()
//
// Chunks are flushed into the reducer every CHUNK_FLUSH_MS and before any other event (an
// `end` never overtakes its text); commands pass a CommandGate (one phone, one device key);
// the open conversation is saved when a turn starts or changes state, not per chunk. The
// worklet is terminated in the effect's cleanup: nothing else ends it on a remount.

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
import { fitHistory } from '@localllm/protocol'
import type { Command, WorkletEvent } from '@localllm/worklet'
import { replyFinished, sentPrompt } from '../components/haptics'
import { startWorklet, type WorkletBridge } from '../worklet/bridge'
import {
  activeTurn,
  historyBefore,
  newConversation,
  type Chunk,
  type Conversation
} from './conversation'
import { CommandGate } from './command-gate'
import { openConversationStore, type ConversationStore } from './conversation-store'
import { loadDeviceSeed, saveDeviceSeed } from './device-key'
import { hostKeyOf } from './host-key'
import { redactServerIds } from './redact'
import { forgetHost, loadRecentHosts, rememberHost, type RecentHost } from './recent-hosts'
import { initialSessionState, sessionReducer, type SessionState } from './session-state'

export const CHUNK_FLUSH_MS = 50
export const APP_VERSION = '0.2.0'

export interface Session {
  state: SessionState
  recentHosts: RecentHost[]
  /** null until the store has opened. */
  conversations: ConversationStore | null
  /** Grows every time a conversation is saved or deleted: lists reload on it. */
  conversationsVersion: number
  connect: (serverId: string) => void
  disconnect: () => void
  retry: () => void
  /** A new, empty conversation with the connected host (saved once something is sent). */
  newChat: () => void
  openChat: (id: string) => Promise<boolean>
  deleteChat: (id: string) => Promise<void>
  /** Sends a prompt in the open conversation; `replaces` a failed turn (Retry). */
  send: (prompt: string, options?: { replaces?: string }) => string | null
  /** Asks again for the last reply, replacing it. */
  regenerate: () => void
  stop: (ref: string) => void
  forget: (serverId: string) => void
  /** Text with every Server ID and key this session knows (and anything like one) blanked out. */
  redact: (text: string) => string
}

const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession() outside <SessionProvider>')
  return session
}

let nextId = 0
const newId = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}-${(nextId++).toString(36)}${Math.random().toString(36).slice(2, 6)}`

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(sessionReducer, initialSessionState)
  const stateRef = useRef(state)
  stateRef.current = state
  const [recentHosts, setRecentHosts] = useState<RecentHost[]>([])
  const recentRef = useRef(recentHosts)
  recentRef.current = recentHosts
  const [store, setStore] = useState<ConversationStore | null>(null)
  const [conversationsVersion, setConversationsVersion] = useState(0)
  const bridge = useRef<WorkletBridge | null>(null)
  // The Server ID being connected to lives here only: never in state, never logged.
  const serverId = useRef<string | null>(null)
  const seed = useRef<string | null>(null)
  const [gate] = useState(() => new CommandGate((cmd) => bridge.current?.send(cmd)))
  const command = useCallback((make: () => Command) => gate.push(make), [gate])

  useEffect(() => {
    let pending: Chunk[] = []
    let timer: ReturnType<typeof setTimeout> | null = null
    let mounted = true
    const flush = () => {
      if (timer) clearTimeout(timer)
      timer = null
      if (pending.length === 0) return
      const chunks = pending
      pending = []
      dispatch({ type: 'chunks', chunks, at: Date.now() })
    }
    const onEvent = (event: WorkletEvent) => {
      if (event.event === 'chunk') {
        pending.push(event)
        timer ??= setTimeout(flush, CHUNK_FLUSH_MS)
        return
      }
      flush()
      dispatch({ type: 'event', event, at: Date.now() })
      if (event.event === 'device') {
        seed.current = event.seed
        void saveDeviceSeed(event.seed).catch(() => undefined)
        gate.deviceAnswered()
      } else if (event.event === 'error' && event.ref === undefined) {
        // A connect that failed before making a key (it never will send `device`).
        gate.deviceAnswered()
      } else if (event.event === 'end') {
        replyFinished()
      } else if (event.event === 'server_info' && serverId.current) {
        const host = {
          serverId: serverId.current,
          hostName: event.info.host_name,
          model: event.info.model,
          ...(event.info.relay ? { relay: event.info.relay } : {})
        }
        void rememberHost(host).then(
          (hosts) => mounted && setRecentHosts(hosts),
          () => undefined
        )
      }
    }
    const worklet = startWorklet(onEvent)
    bridge.current = worklet
    const appState = AppState.addEventListener('change', (next) => worklet.setAppState(next))
    void loadDeviceSeed().then((loaded) => {
      seed.current = loaded
      gate.keyLoaded()
    })
    void loadRecentHosts().then((hosts) => mounted && setRecentHosts(hosts))
    const opened = openConversationStore()
    void opened.then((s) => mounted && setStore(s))
    return () => {
      mounted = false
      appState.remove()
      if (timer) clearTimeout(timer)
      bridge.current = null
      worklet.close()
      void opened.then((s) => s.close())
    }
  }, [gate])

  // Save the open conversation when a turn is added or changes state (not on every chunk).
  const savedSignature = useRef('')
  useEffect(() => {
    const chat = state.chat
    if (!store || !chat || chat.turns.length === 0) return
    const signature = signatureOf(chat)
    if (signature === savedSignature.current) return
    savedSignature.current = signature
    void store.save(chat).then(
      () => setConversationsVersion((v) => v + 1),
      () => undefined
    )
  }, [state.chat, store])

  const stopActive = useCallback(() => {
    const turn = activeTurn(stateRef.current.chat)
    if (!turn) return
    dispatch({ type: 'stop', ref: turn.ref, at: Date.now() })
    command(() => ({ cmd: 'abort', ref: turn.ref }))
  }, [command])

  const connect = useCallback(
    (id: string) => {
      const code = id.trim()
      const hostKey = hostKeyOf(code) ?? ''
      serverId.current = code
      if (hostKey !== stateRef.current.hostKey) stopActive()
      dispatch({ type: 'connect', hostKey })
      const relay = recentRef.current.find((h) => h.hostKey === hostKey)?.relay
      command(() => ({
        cmd: 'connect',
        server_id: code,
        client: { name: 'LocalLLM', platform: Platform.OS, version: APP_VERSION },
        ...(seed.current ? { device_seed: seed.current } : {}),
        ...(relay ? { relay } : {})
      }))
    },
    [command, stopActive]
  )
  const disconnect = useCallback(() => {
    serverId.current = null
    command(() => ({ cmd: 'disconnect' }))
  }, [command])
  const retry = useCallback(() => command(() => ({ cmd: 'retry' })), [command])

  const newChat = useCallback(() => {
    const { hostKey, info } = stateRef.current
    if (!hostKey) return
    stopActive()
    const known = recentRef.current.find((h) => h.hostKey === hostKey)
    dispatch({
      type: 'open',
      conversation: newConversation({
        id: newId('c'),
        hostKey,
        hostName: info?.host_name ?? known?.hostName ?? 'Host',
        model: info?.model ?? known?.model ?? '',
        at: Date.now()
      })
    })
  }, [stopActive])

  const openChat = useCallback(
    async (id: string) => {
      if (stateRef.current.chat?.id === id) return true
      const conversation = await store?.load(id)
      if (!conversation) return false
      stopActive()
      dispatch({ type: 'open', conversation })
      return true
    },
    [store, stopActive]
  )

  const deleteChat = useCallback(
    async (id: string) => {
      if (stateRef.current.chat?.id === id) {
        stopActive()
        dispatch({ type: 'close-chat', id })
      }
      await store?.remove(id)
      setConversationsVersion((v) => v + 1)
    },
    [store, stopActive]
  )

  const send = useCallback(
    (prompt: string, options: { replaces?: string } = {}) => {
      const chat = stateRef.current.chat
      if (!chat) return null
      const fitted = fitHistory(prompt, historyBefore(chat, options.replaces))
      const ref = newId('r')
      dispatch({
        type: 'send',
        ref,
        prompt,
        at: Date.now(),
        droppedTurns: fitted.dropped,
        ...(options.replaces !== undefined ? { replaces: options.replaces } : {})
      })
      command(() => ({
        cmd: 'send',
        ref,
        prompt,
        ...(fitted.history.length > 0 ? { history: fitted.history } : {})
      }))
      sentPrompt()
      return ref
    },
    [command]
  )
  const regenerate = useCallback(() => {
    const last = stateRef.current.chat?.turns.at(-1)
    if (last) send(last.prompt, { replaces: last.ref })
  }, [send])
  const stop = useCallback(
    (ref: string) => {
      dispatch({ type: 'stop', ref, at: Date.now() })
      command(() => ({ cmd: 'abort', ref }))
    },
    [command]
  )
  const forget = useCallback((id: string) => {
    void forgetHost(id).then(setRecentHosts)
  }, [])

  const redact = useCallback(
    (text: string) =>
      redactServerIds(
        text,
        [serverId.current ?? '', ...recentHosts.map((h) => h.serverId)],
        [seed.current ?? '']
      ),
    [recentHosts]
  )

  const session = useMemo<Session>(
    () => ({
      state,
      recentHosts,
      conversations: store,
      conversationsVersion,
      connect,
      disconnect,
      retry,
      newChat,
      openChat,
      deleteChat,
      send,
      regenerate,
      stop,
      forget,
      redact
    }),
    [
      state,
      recentHosts,
      store,
      conversationsVersion,
      connect,
      disconnect,
      retry,
      newChat,
      openChat,
      deleteChat,
      send,
      regenerate,
      stop,
      forget,
      redact
    ]
  )
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
}

// What a save must capture: a turn added, replaced or changing state, and the names.
function signatureOf(chat: Conversation): string {
  const turns = chat.turns.map(
    (t) => `${t.ref}:${t.state}:${t.thinkingMs ?? ''}:${t.droppedTurns ?? 0}`
  )
  return [chat.id, chat.title, chat.hostName, chat.model, ...turns].join('|')
}
