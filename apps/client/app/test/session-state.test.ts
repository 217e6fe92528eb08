import { newConversation } from '../src/state/conversation'
import {
  initialSessionState,
  sessionReducer,
  type SessionAction,
  type SessionState
} from '../src/state/session-state'
import { HOST_INFO, HOST_KEY, STATS } from './helpers/app'

const run = (actions: SessionAction[], from: SessionState = initialSessionState) =>
  actions.reduce(sessionReducer, from)
const at = 1000
const ev = (
  event: Extract<SessionAction, { type: 'event' }>['event'],
  when = at
): SessionAction => ({
  type: 'event',
  event,
  at: when
})
const send = (
  ref: string,
  prompt: string,
  extra: Partial<Extract<SessionAction, { type: 'send' }>> = {}
): SessionAction => ({
  type: 'send',
  ref,
  prompt,
  at,
  droppedTurns: 0,
  ...extra
})

const connected = run([
  ev({ event: 'ready', version: '0.2.0' }),
  { type: 'connect', hostKey: HOST_KEY },
  ev({ event: 'server_info', info: HOST_INFO }),
  ev({ event: 'status', status: 'connected' }),
  {
    type: 'open',
    conversation: newConversation({
      id: 'c1',
      hostKey: HOST_KEY,
      hostName: HOST_INFO.host_name,
      model: HOST_INFO.model,
      at: 0
    })
  }
])

test('worklet ready and status events become the connection status, for one host', () => {
  expect(connected.workletReady).toBe(true)
  expect(connected.status).toBe('connected')
  expect(connected.hostKey).toBe(HOST_KEY)
})

test('connecting to another host forgets the old host’s server_info; the same host keeps it', () => {
  expect(run([{ type: 'connect', hostKey: HOST_KEY }], connected).info).toEqual(HOST_INFO)
  const other = run([{ type: 'connect', hostKey: '03'.repeat(32) }], connected)
  expect(other.info).toBeUndefined()
  expect(other.hostKey).toBe('03'.repeat(32))
})

test('a connection error without ref is kept until the next connect', () => {
  const failed = run(
    [
      ev({
        event: 'error',
        code: 'DEVICE_REMOVED',
        message: 'The host removed this device.',
        retryable: false
      })
    ],
    connected
  )
  expect(failed.connectError?.code).toBe('DEVICE_REMOVED')
  expect(run([{ type: 'connect', hostKey: HOST_KEY }], failed).connectError).toBeUndefined()
})

test('streamed chunks append to their own reply, reasoning apart, and end adds stats', () => {
  const state = run(
    [
      send('a', 'hi'),
      {
        type: 'chunks',
        chunks: [
          { ref: 'a', thinking: 'The user ' },
          { ref: 'a', thinking: 'greets.' }
        ],
        at: 1000
      },
      {
        type: 'chunks',
        chunks: [
          { ref: 'a', text: 'Hel' },
          { ref: 'a', text: 'lo' }
        ],
        at: 5200
      },
      ev({ event: 'chunk', ref: 'a', text: '!' }, 5300),
      ev({ event: 'end', ref: 'a', request_id: 'x', finish_reason: 'stop', stats: STATS }, 6000)
    ],
    connected
  )
  expect(state.chat?.turns[0]).toMatchObject({
    reply: 'Hello!',
    thinking: 'The user greets.',
    thinkingStartedAt: 1000,
    thinkingMs: 4200,
    state: 'done',
    stats: STATS
  })
})

test('reasoning that runs to the end of the reply is timed to the end', () => {
  const state = run(
    [
      send('a', 'hi'),
      { type: 'chunks', chunks: [{ ref: 'a', thinking: 'hmm' }], at: 1000 },
      ev(
        {
          event: 'error',
          ref: 'a',
          code: 'GENERATION_FAILED',
          message: 'The model stopped.',
          retryable: true
        },
        3000
      )
    ],
    connected
  )
  expect(state.chat?.turns[0]).toMatchObject({ state: 'failed', thinkingMs: 2000 })
})

test('chat_status loading_model shows until the first chunk', () => {
  const loading = run(
    [send('a', 'hi'), ev({ event: 'chat_status', ref: 'a', state: 'loading_model' })],
    connected
  )
  expect(loading.chat?.turns[0]?.state).toBe('loading_model')
  expect(
    run([{ type: 'chunks', chunks: [{ ref: 'a', text: 'x' }], at }], loading).chat?.turns[0]?.state
  ).toBe('streaming')
})

test('stop keeps the partial reply, marks it stopped and drops late chunks', () => {
  const state = run(
    [
      send('a', 'hi'),
      { type: 'chunks', chunks: [{ ref: 'a', text: 'partial' }], at },
      { type: 'stop', ref: 'a', at },
      { type: 'chunks', chunks: [{ ref: 'a', text: ' late' }], at },
      ev({
        event: 'error',
        ref: 'a',
        code: 'GENERATION_ABORTED',
        message: 'The reply was stopped.',
        retryable: false
      })
    ],
    connected
  )
  expect(state.chat?.turns[0]).toMatchObject({ reply: 'partial', state: 'stopped' })
  expect(state.chat?.turns[0]?.error).toBeUndefined()
})

test('MODEL_BUSY fails the reply with a retryable error, and a retry replaces that turn', () => {
  const failed = run(
    [
      send('a', 'hi'),
      ev({
        event: 'error',
        ref: 'a',
        code: 'MODEL_BUSY',
        message: 'The host is answering someone else right now. Try again in a moment.',
        retryable: true
      })
    ],
    connected
  )
  expect(failed.chat?.turns[0]).toMatchObject({ state: 'failed', error: { code: 'MODEL_BUSY' } })
  expect(failed.connectError).toBeUndefined()
  const retried = run([send('b', 'hi', { replaces: 'a' })], failed)
  expect(retried.chat?.turns.map((t) => [t.ref, t.state])).toEqual([['b', 'waiting']])
})

test('earlier messages left out by the app and by the worklet add up on the turn', () => {
  const state = run(
    [
      send('a', 'hi', { droppedTurns: 2 }),
      ev({ event: 'request', ref: 'a', request_id: 'q', dropped_turns: 1 })
    ],
    connected
  )
  expect(state.chat?.turns[0]?.droppedTurns).toBe(3)
})

test('the first prompt becomes the title; the open conversation follows its host’s name', () => {
  const state = run(
    [
      send('a', '  What is\n Bare?  '),
      ev({ event: 'server_info', info: { ...HOST_INFO, host_name: 'Ana’s Mac mini' } })
    ],
    connected
  )
  expect(state.chat).toMatchObject({ title: 'What is Bare?', hostName: 'Ana’s Mac mini' })
})

test('a busy status right after our own reply ended is ours until the host says more', () => {
  const busy = run(
    [send('a', 'hi'), ev({ event: 'server_info', info: { ...HOST_INFO, status: 'busy' } })],
    connected
  )
  const ended = run(
    [ev({ event: 'end', ref: 'a', request_id: 'x', finish_reason: 'stop', stats: STATS })],
    busy
  )
  expect(ended.settling).toBe(true)
  expect(run([ev({ event: 'server_info', info: HOST_INFO })], ended).settling).toBeUndefined()
})

test('closing the open conversation (deleted) leaves none open; another id changes nothing', () => {
  expect(run([{ type: 'close-chat', id: 'other' }], connected).chat?.id).toBe('c1')
  expect(run([{ type: 'close-chat', id: 'c1' }], connected).chat).toBeUndefined()
})

test('log lines are kept, the oldest dropped past the limit', () => {
  const actions: SessionAction[] = Array.from({ length: 205 }, (_, i) =>
    ev({ event: 'log', level: 'info', msg: `line ${i}` })
  )
  const state = run(actions)
  expect(state.logs).toHaveLength(200)
  expect(state.logs[0]?.msg).toBe('line 5')
})

test('the reducer never mutates the state it is given', () => {
  const before = JSON.stringify(connected)
  run(
    [
      send('a', 'hi'),
      { type: 'chunks', chunks: [{ ref: 'a', text: 'x' }], at },
      { type: 'close-chat', id: 'c1' }
    ],
    connected
  )
  expect(JSON.stringify(connected)).toBe(before)
})

test('the connection path is kept until that connection is gone', () => {
  const direct = run(
    [ev({ event: 'path', path: 'direct', remote: 'private', connect_ms: 230 })],
    connected
  )
  expect(direct.path).toEqual({ path: 'direct', remote: 'private', connect_ms: 230 })
  expect(run([ev({ event: 'status', status: 'reconnecting' })], direct).path).toBeUndefined()
  expect(run([{ type: 'connect', hostKey: HOST_KEY }], direct).path).toBeUndefined()
})
