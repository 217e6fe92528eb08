import test from 'brittle'
import DHT from 'hyperdht'
import { EXAMPLES, formatPairingCode } from '@localllm/protocol'
import { ClientSession, type ClientSessionOptions } from '../src/client-session.js'
import type { SessionStatus } from '../src/client-session.js'
import { FakeHost, localTestnet, serverInfo, type FakePeer } from './helpers/fake-host.js'
import { untilEvent } from './helpers/until-event.js'
import type { Testnet } from 'hyperdht/testnet.js'

function session(
  t: TestContext,
  testnet: Testnet,
  code: string,
  extra: Partial<ClientSessionOptions> = {}
) {
  const s = new ClientSession({
    code,
    bootstrap: testnet.bootstrap,
    keyPair: DHT.keyPair(),
    backoffs: [100, 200],
    jitter: 0,
    ...extra
  })
  const statuses: SessionStatus[] = []
  const errors: string[] = []
  s.on('status', (status) => statuses.push(status))
  s.on('connect-error', (err) => errors.push(err.code))
  t.teardown(() => s.close(), { order: 30 })
  const until = (check: () => boolean, what: string) =>
    untilEvent(s, ['status', 'connect-error'], check, what)
  return { s, statuses, errors, until }
}

/** Answers hello with server_info and every chat_start with a thought, two chunks and an end. */
function chatty(peer: FakePeer, message: Record<string, unknown>): void {
  if (message.type === 'hello') peer.send(serverInfo())
  if (message.type === 'chat_start') {
    const id = message.request_id
    peer.send({ type: 'chat_chunk', request_id: id, payload: { thinking: 'Hmm.' } })
    peer.send({ type: 'chat_chunk', request_id: id, payload: { text: 'Hello ' } })
    peer.send({ type: 'chat_chunk', request_id: id, payload: { text: 'there' } })
    peer.send({ ...EXAMPLES.chat_end, request_id: id })
  }
}

test('an invalid code is refused before any network', async (t) => {
  const s = new ClientSession({ code: 'nope', bootstrap: [{ host: '127.0.0.1', port: 1 }] })
  await t.exception(s.open(), /isn't valid/)
  t.is(s.status, 'closed')
  t.is(s.lastError?.code, 'INVALID_SERVER_ID')
})

test('connects, sends the conversation so far, and streams reasoning apart from the answer', async (t) => {
  const testnet = await localTestnet(t)
  const host = await FakeHost.start(t, testnet, chatty)
  const { s, until } = session(t, testnet, host.code)
  await s.open()
  await until(() => s.status === 'connected', 'connected')
  const history = [
    { role: 'user' as const, content: 'My name is Ana.' },
    { role: 'assistant' as const, content: 'Hello Ana!' }
  ]
  const reply = s.send('What is my name?', { history })
  const thoughts: string[] = []
  reply.on('thinking', (text) => thoughts.push(text))
  const result = await reply.result
  t.ok(result.ok)
  t.is(result.text, 'Hello there', 'the answer holds no reasoning')
  t.is(result.thinking, 'Hmm.')
  t.alike(thoughts, ['Hmm.'])
  const start = host.peers[0]?.received.find((m) => m.type === 'chat_start') as {
    payload: { prompt: string; history: unknown }
  }
  t.is(start.payload.prompt, 'What is my name?')
  t.alike(start.payload.history, history, 'the host got the earlier turns, oldest first')
})

test('nobody listening on the key: offline with HOST_OFFLINE in seconds, not 20', async (t) => {
  const testnet = await localTestnet(t)
  const code = formatPairingCode(DHT.keyPair().publicKey, new Uint8Array(16))
  const { s, errors, until } = session(t, testnet, code)
  const started = Date.now()
  await s.open()
  await until(() => s.status === 'offline', 'offline')
  t.is(errors[0], 'HOST_OFFLINE')
  t.ok(Date.now() - started < 5000, `${Date.now() - started} ms`)
})

test('the host goes away and comes back: reconnecting, then connected on its own', async (t) => {
  const testnet = await localTestnet(t)
  const host = await FakeHost.start(t, testnet, chatty)
  const { s, statuses, errors, until } = session(t, testnet, host.code)
  await s.open()
  await until(() => s.status === 'connected', 'connected')
  await host.stop()
  await until(() => s.status !== 'connected', 'the drop')
  t.is(errors[0], 'HOST_DISCONNECTED')
  await host.listen(chatty)
  const back = Date.now()
  await until(() => s.status === 'connected', 'connected again')
  t.ok(statuses.includes('reconnecting'))
  t.ok(Date.now() - back < 5000, `${Date.now() - back} ms after the host came back`)
  t.ok((await s.send('still there?').result).ok)
})

test('DEVICE_REMOVED stops the retries until someone asks again', async (t) => {
  const testnet = await localTestnet(t)
  let removed = true
  const host = await FakeHost.start(t, testnet, (peer, message) => {
    if (message.type !== 'hello') return
    if (removed) {
      peer.send({
        type: 'error',
        payload: { code: 'DEVICE_REMOVED', message: 'removed', retryable: false }
      })
      peer.end()
    } else {
      peer.send(serverInfo())
    }
  })
  const { s, errors, until } = session(t, testnet, host.code)
  await s.open()
  await until(() => errors.includes('DEVICE_REMOVED'), 'DEVICE_REMOVED')
  t.is(s.status, 'offline')
  const dials = host.peers.length
  await new Promise<void>((resolve) => setTimeout(() => resolve(), 800))
  t.is(host.peers.length, dials, 'no more attempts on their own (backoff was 100–200 ms)')
  const failed = await s.send('hello?').result
  t.is(failed.ok ? 'sent' : failed.error.code, 'DEVICE_REMOVED', 'a prompt now says why')
  removed = false
  s.retryNow()
  await until(() => s.status === 'connected', 'connected after retryNow')
})
