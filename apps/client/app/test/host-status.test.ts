import { newConversation } from '../src/state/conversation'
import { hostStatus } from '../src/state/host-status'
import { initialSessionState, type SessionState } from '../src/state/session-state'
import { HOST_INFO, HOST_KEY } from './helpers/app'

const chat = newConversation({
  id: 'c',
  hostKey: HOST_KEY,
  hostName: "Ana's MacBook",
  model: 'm',
  at: 0
})
const connected: SessionState = {
  ...initialSessionState,
  status: 'connected',
  hostKey: HOST_KEY,
  info: HOST_INFO,
  chat
}

test('ready: a green dot, no banner, Send allowed', () => {
  expect(hostStatus(connected, HOST_KEY)).toMatchObject({
    dot: 'ready',
    banner: null,
    canSend: true
  })
})

test.each([
  [
    'ollama_unreachable',
    "Ollama isn't running on Ana's MacBook, so it can't answer. Ask the host to start Ollama."
  ],
  [
    'model_missing',
    "llama3.2:3b isn't installed on Ana's MacBook, so it can't answer. Ask the host to install it or choose another model."
  ],
  ['no_model', "Ana's MacBook has no model chosen, so it can't answer. Ask the host to choose one."]
] as const)('unavailable (%s) says why, before anything is sent', (reason, sentence) => {
  const s = hostStatus(
    { ...connected, info: { ...HOST_INFO, status: 'unavailable', reason } },
    HOST_KEY
  )
  expect(s).toMatchObject({ dot: 'down', words: 'unavailable', banner: sentence, canSend: false })
})

test('busy says in words that someone else is being answered', () => {
  const s = hostStatus({ ...connected, info: { ...HOST_INFO, status: 'busy' } }, HOST_KEY)
  expect(s).toMatchObject({
    dot: 'busy',
    banner: "Ana's MacBook is answering someone else right now. You can send when it's done.",
    calm: true,
    canSend: false
  })
})

test('a conversation with a host this phone is not connected to says so', () => {
  const s = hostStatus({ ...connected, hostKey: '03'.repeat(32) }, HOST_KEY)
  expect(s).toMatchObject({ words: 'not connected', canSend: false })
  expect(s.banner).toContain("Not connected to Ana's MacBook")
})
