import {
  initialSessionState,
  sessionReducer,
  type SessionAction,
  type SessionState
} from '../src/state/session-state'

const run = (actions: SessionAction[], from: SessionState = initialSessionState) =>
  actions.reduce(sessionReducer, from)

const connected = run([
  { type: 'event', event: { event: 'ready', version: '0.1.0' } },
  { type: 'connect' },
  { type: 'event', event: { event: 'status', status: 'connected' } }
])

const stats = {
  prompt_tokens: 3,
  completion_tokens: 5,
  first_token_ms: 120,
  total_ms: 400,
  tokens_per_second: 12.5
}

test('worklet ready and status events become the connection status', () => {
  expect(connected.workletReady).toBe(true)
  expect(connected.status).toBe('connected')
})

test('a connection error without ref is kept until the next connect', () => {
  const failed = run(
    [
      {
        type: 'event',
        event: {
          event: 'error',
          code: 'HOST_OFFLINE',
          message: "The host isn't online.",
          retryable: true
        }
      }
    ],
    connected
  )
  expect(failed.connectError?.code).toBe('HOST_OFFLINE')
  expect(run([{ type: 'connect' }], failed).connectError).toBeUndefined()
})

test('streamed chunks append to their own reply and end adds stats', () => {
  const state = run(
    [
      { type: 'send', ref: 'a', prompt: 'hi' },
      {
        type: 'chunks',
        chunks: [
          { ref: 'a', text: 'Hel' },
          { ref: 'a', text: 'lo' }
        ]
      },
      { type: 'event', event: { event: 'chunk', ref: 'a', text: '!' } },
      {
        type: 'event',
        event: { event: 'end', ref: 'a', request_id: 'x', finish_reason: 'stop', stats }
      }
    ],
    connected
  )
  expect(state.turns[0]).toMatchObject({ reply: 'Hello!', state: 'done', stats })
})

test('chat_status loading_model shows until the first chunk', () => {
  const loading = run(
    [
      { type: 'send', ref: 'a', prompt: 'hi' },
      { type: 'event', event: { event: 'chat_status', ref: 'a', state: 'loading_model' } }
    ],
    connected
  )
  expect(loading.turns[0]?.state).toBe('loading_model')
  expect(
    run([{ type: 'chunks', chunks: [{ ref: 'a', text: 'x' }] }], loading).turns[0]?.state
  ).toBe('streaming')
})

test('stop keeps the partial reply, marks it stopped and drops late chunks', () => {
  const state = run(
    [
      { type: 'send', ref: 'a', prompt: 'hi' },
      { type: 'chunks', chunks: [{ ref: 'a', text: 'partial' }] },
      { type: 'stop', ref: 'a' },
      { type: 'chunks', chunks: [{ ref: 'a', text: ' late' }] },
      {
        type: 'event',
        event: {
          event: 'error',
          ref: 'a',
          code: 'GENERATION_ABORTED',
          message: 'The reply was stopped.',
          retryable: false
        }
      }
    ],
    connected
  )
  expect(state.turns[0]).toMatchObject({ reply: 'partial', state: 'stopped' })
  expect(state.turns[0]?.error).toBeUndefined()
})

test('MODEL_BUSY fails the reply with a retryable error', () => {
  const state = run(
    [
      { type: 'send', ref: 'a', prompt: 'hi' },
      {
        type: 'event',
        event: {
          event: 'error',
          ref: 'a',
          code: 'MODEL_BUSY',
          message: 'The host is answering someone else right now. Try again in a moment.',
          retryable: true
        }
      }
    ],
    connected
  )
  expect(state.turns[0]).toMatchObject({ state: 'failed', error: { code: 'MODEL_BUSY' } })
  expect(state.connectError).toBeUndefined()
})

test('clear removes finished turns but keeps one still streaming', () => {
  const state = run(
    [
      { type: 'send', ref: 'a', prompt: 'one' },
      {
        type: 'event',
        event: { event: 'end', ref: 'a', request_id: 'x', finish_reason: 'stop', stats }
      },
      { type: 'send', ref: 'b', prompt: 'two' },
      { type: 'clear' }
    ],
    connected
  )
  expect(state.turns.map((t) => t.ref)).toEqual(['b'])
})

test('log lines are kept, the oldest dropped past the limit', () => {
  const actions: SessionAction[] = Array.from({ length: 205 }, (_, i) => ({
    type: 'event',
    event: { event: 'log', level: 'info', msg: `line ${i}` }
  }))
  const state = run(actions)
  expect(state.logs).toHaveLength(200)
  expect(state.logs[0]?.msg).toBe('line 5')
})

test('the reducer never mutates the state it is given', () => {
  const before = JSON.stringify(connected)
  run([{ type: 'send', ref: 'a', prompt: 'hi' }, { type: 'clear' }], connected)
  expect(JSON.stringify(connected)).toBe(before)
})
