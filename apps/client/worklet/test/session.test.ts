// ClientSession against a real host over a real testnet (Node). The same session code runs
// under Bare in the worklet suite.
import test from 'brittle'
import { formatServerId, parseServerId, PROTOCOL_VERSION } from '@localllm/protocol'
import { deriveTopic, generateSecret } from '@localllm/protocol/capability'
import { ClientSession } from '@localllm/core'
import { Impostor } from '@localllm/testing'
import { probe, startSystem } from './helpers/system.js'

function topicOf(serverId: string): Uint8Array {
  const r = parseServerId(serverId)
  if (!r.ok) throw new Error('bad id')
  return deriveTopic(r.secret)
}

test('connects, shows the host, and streams a reply', async (t) => {
  const sys = await startSystem(t, {
    standin: { reply: 'Hello from the stand-in, token by token.', tokensPerSecond: 200 },
    host: { displayName: 'Dan’s MacBook' }
  })
  const p = sys.session()
  const opened = Date.now()
  await p.session.open()
  await p.waitStatus('connected')
  t.comment(`connect time: ${Date.now() - opened} ms`)
  t.alike(p.statuses, ['connecting', 'connected'])
  t.is(p.session.info?.host_name, 'Dan’s MacBook')
  t.is(p.session.info?.model, 'llama3.2:latest')
  const request = p.session.send('Say hello')
  const chunks: string[] = []
  for await (const text of request) chunks.push(text)
  const result = await request.result
  t.ok(result.ok)
  t.is(result.text, 'Hello from the stand-in, token by token.')
  t.ok(chunks.length > 5, `${chunks.length} chunks`)
  t.ok(result.ok && result.stats.completion_tokens === chunks.length)
})

test('INVALID_SERVER_ID before touching the network', async (t) => {
  const session = new ClientSession({
    serverId: 'not-a-server-id!',
    bootstrap: [{ host: '127.0.0.1', port: 1 }]
  })
  await t.exception(session.open(), /Server ID isn't valid/)
  t.is(session.lastError?.code, 'INVALID_SERVER_ID')
  t.is(session.status, 'closed')
  const result = await session.send('hi').result
  t.is(!result.ok && result.error.code, 'INVALID_SERVER_ID', 'send reports why it cannot')
})

test('HOST_OFFLINE when nobody announces the topic, then keeps looking', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session({ serverId: formatServerId(generateSecret()), hostOfflineMs: 1500 })
  await p.session.open()
  const err = await p.waitError('HOST_OFFLINE', 5000)
  t.is(err.retryable, true)
  t.is(p.session.status, 'offline')
  const result = await p.session.send('anyone?').result
  t.is(!result.ok && result.error.code, 'HOST_OFFLINE')
})

test('CONNECT_FAILED when the only peer on the topic cannot prove it is the host', async (t) => {
  const sys = await startSystem(t)
  const secret = generateSecret()
  const fake = await Impostor.start({ bootstrap: sys.bootstrap, topic: deriveTopic(secret) })
  t.teardown(() => fake.close())
  const p = sys.session({ serverId: formatServerId(secret), hostOfflineMs: 2500 })
  await p.session.open()
  const err = await p.waitError('CONNECT_FAILED', 6000)
  t.ok(err.detail?.includes('none proved'), err.detail)
  t.ok(fake.connections >= 1, 'the impostor was reached')
  t.is(fake.prompts, 0, 'and got no prompt')
  t.alike(
    fake.received,
    fake.received.map(() => 'hello'),
    'only hellos, nothing else'
  )
})

test('an impostor announcing the same topic is skipped; the real host gets the prompt', async (t) => {
  const sys = await startSystem(t)
  const fake = await Impostor.start({ bootstrap: sys.bootstrap, topic: topicOf(sys.serverId) })
  t.teardown(() => fake.close())
  for (let i = 0; i < 3; i++) {
    const p = sys.session()
    await p.session.open()
    await p.waitStatus('connected')
    const result = await p.session.send(`prompt ${i}`).result
    t.ok(result.ok, `session ${i} chatted with the real host`)
    await p.session.close()
  }
  t.is(fake.prompts, 0, `the impostor (${fake.connections} connections) never received a prompt`)
  t.is(sys.standin.requests.length, 3)
})

test('UNSUPPORTED_VERSION when the host speaks another protocol version', async (t) => {
  const sys = await startSystem(t)
  const secret = generateSecret()
  const future = await Impostor.start({
    bootstrap: sys.bootstrap,
    topic: deriveTopic(secret),
    reply: () => ({
      type: 'server_info',
      payload: { protocol_version: PROTOCOL_VERSION + 1, anything: 'new' }
    })
  })
  t.teardown(() => future.close())
  const p = sys.session({ serverId: formatServerId(secret), hostOfflineMs: 2000 })
  await p.session.open()
  const err = await p.waitError('UNSUPPORTED_VERSION', 5000)
  t.is(err.retryable, false)
  const result = await p.session.send('hi').result
  t.is(!result.ok && result.error.code, 'UNSUPPORTED_VERSION')
})

test('abort mid-reply ends with GENERATION_ABORTED and keeps the partial text', async (t) => {
  const sys = await startSystem(t)
  sys.standin.enqueue({ tokens: 5000, tokensPerSecond: 100 })
  const p = sys.session()
  await p.session.open()
  await p.waitStatus('connected')
  const request = p.session.send('go on and on')
  await new Promise<void>((resolve) => request.once('chunk', () => resolve()))
  request.abort()
  const result = await request.result
  t.is(!result.ok && result.error.code, 'GENERATION_ABORTED')
  t.ok(result.text.length > 0, 'the partial reply stays')
  const record = await sys.standin.waitFor((r) => r.outcome === 'cancelled')
  t.is(record.tokensAfterCancel, 0)
})

test('MODEL_BUSY when a second client sends during a generation', async (t) => {
  const sys = await startSystem(t)
  sys.standin.enqueue({ tokens: 60, tokensPerSecond: 100 })
  const a = sys.session()
  const b = sys.session()
  await Promise.all([a.session.open(), b.session.open()])
  await Promise.all([a.waitStatus('connected'), b.waitStatus('connected')])
  const first = a.session.send('long')
  await new Promise<void>((resolve) => first.once('chunk', () => resolve()))
  const second = await b.session.send('me too').result
  t.is(!second.ok && second.error.code, 'MODEL_BUSY')
  t.ok((await first.result).ok, 'the first reply completes')
})

test('TIMEOUT_NO_RESPONSE after silence, and the host is told to abort', async (t) => {
  const sys = await startSystem(t, { standin: { tokens: 10 } })
  sys.standin.enqueue({ failure: { kind: 'stall', afterTokens: 2 } })
  const p = sys.session({ responseTimeoutMs: 800 })
  await p.session.open()
  await p.waitStatus('connected')
  const result = await p.session.send('hello?').result
  t.is(!result.ok && result.error.code, 'TIMEOUT_NO_RESPONSE')
  const record = await sys.standin.waitFor((r) => r.cancelledAt !== null)
  t.ok(record, 'the abort reached Ollama: the stalled request was cancelled')
  const next = await p.session.send('again').result
  t.ok(next.ok, 'the gate was freed')
})

test('chat_status keeps a slow model load from timing out', async (t) => {
  const sys = await startSystem(t, {
    standin: { loadDelayMs: 1500 },
    host: { chatStatusIntervalMs: 300 }
  })
  const p = sys.session({ responseTimeoutMs: 700 })
  await p.session.open()
  await p.waitStatus('connected')
  const request = p.session.send('wake up')
  const states: string[] = []
  request.on('status', (s) => states.push(s))
  const result = await request.result
  t.ok(result.ok, 'no TIMEOUT_NO_RESPONSE although the load took twice the timeout')
  t.ok(states.includes('loading_model'))
})

test('HOST_DISCONNECTED when the host stops, then back on its own when it returns', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session()
  await p.session.open()
  await p.waitStatus('connected')
  sys.standin.enqueue({ tokens: 5000, tokensPerSecond: 50 })
  const request = p.session.send('long')
  await new Promise<void>((resolve) => request.once('chunk', () => resolve()))
  await sys.host.stop()
  const result = await request.result
  t.is(
    !result.ok && result.error.code,
    'HOST_DISCONNECTED',
    'the active request ends with HOST_DISCONNECTED'
  )
  await p.waitError('HOST_DISCONNECTED')
  await p.waitStatus('reconnecting')
  await sys.host.start()
  const back = await p.waitStatus('connected', 10000)
  t.comment(`reconnect after the host came back: ${back} ms`)
  t.ok(back < 5000, `back within 5 s (${back} ms)`)
  t.ok((await p.session.send('hello again').result).ok)
})

test('suspend and resume: nothing runs while suspended, chatting works after', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session()
  await p.session.open()
  await p.waitStatus('connected')
  await p.session.suspend()
  t.is(p.session.status, 'suspended')
  const during = await p.session.send('while asleep').result
  t.is(!during.ok && during.error.code, 'HOST_DISCONNECTED', 'nothing is sent while suspended')
  await p.session.resume()
  await p.waitStatus('connected', 10000)
  t.ok((await p.session.send('awake').result).ok)
})

test('after close, the session sends nothing and reports closed', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session()
  await p.session.open()
  await p.waitStatus('connected')
  await p.session.close()
  t.is(p.session.status, 'closed')
  const r = await p.session.send('hi').result
  t.is(r.ok, false)
  t.is(sys.standin.requests.length, 0)
  t.ok(probe(p.session).statuses.length === 0)
})
