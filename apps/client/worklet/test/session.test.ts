// ClientSession against a real host over a real testnet (Node). The same session code runs
// under Bare in the worklet suite.
import test from 'brittle'
import DHT from 'hyperdht'
import { formatPairingCode, PROTOCOL_VERSION } from '@localllm/protocol'
import { generateAccessSecret } from '@localllm/protocol/capability'
import { ClientSession } from '@localllm/core'
import { Impostor } from '@localllm/testing'
import { probe, startSystem } from './helpers/system.js'

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
    code: 'not-a-server-id!',
    bootstrap: [{ host: '127.0.0.1', port: 1 }]
  })
  await t.exception(session.open(), /Server ID isn't valid/)
  t.is(session.lastError?.code, 'INVALID_SERVER_ID')
  t.is(session.status, 'closed')
  const result = await session.send('hi').result
  t.is(!result.ok && result.error.code, 'INVALID_SERVER_ID', 'send reports why it cannot')
})

test('HOST_OFFLINE in seconds when nobody listens on the host key, then keeps trying', async (t) => {
  const sys = await startSystem(t)
  const nobody = formatPairingCode(DHT.keyPair().publicKey, generateAccessSecret())
  const p = sys.session({ code: nobody })
  const opened = Date.now()
  await p.session.open()
  const err = await p.waitError('HOST_OFFLINE', 5000)
  t.comment(`HOST_OFFLINE after ${Date.now() - opened} ms`)
  t.is(err.retryable, true)
  t.is(p.session.status, 'offline')
  const result = await p.session.send('anyone?').result
  t.is(!result.ok && result.error.code, 'HOST_OFFLINE')
})

test('a holder of the code posing as the host gets no connection and no prompt; no phone hears from it', async (t) => {
  const sys = await startSystem(t)
  const fake = await Impostor.start({ bootstrap: sys.bootstrap, hostKey: sys.hostKey })
  t.teardown(() => fake.close())
  for (let i = 0; i < 8; i++) {
    const p = sys.session()
    await p.session.open()
    await p.waitStatus('connected')
    t.is(p.session.info?.host_name, sys.host.state.displayName, `phone ${i} sees the real host`)
    const result = await p.session.send(`prompt ${i}`).result
    t.ok(result.ok, `phone ${i} chatted with the real host`)
    t.alike(p.errors, [], `phone ${i} reported no error`)
    await p.session.close()
  }
  t.is(fake.connections, 0, 'the impostor was never reached')
  t.is(fake.prompts, 0)
  t.is(sys.standin.requests.length, 8)
})

test('CONNECT_FAILED for a new device with an out-of-date code; the current code pairs it', async (t) => {
  const sys = await startSystem(t)
  const first = sys.session({ client: { name: 'first' } })
  await first.session.open()
  await first.waitStatus('connected')
  await sys.host.removeDevice('first')
  const stale = sys.session({ code: sys.serverId })
  await stale.session.open()
  const err = await stale.waitError('CONNECT_FAILED', 8000)
  t.ok(err.detail?.includes('without letting this device in'), err.detail)
  const current = sys.session({ code: sys.host.state.serverId as string })
  await current.session.open()
  await current.waitStatus('connected')
  t.pass('the current code pairs')
})

test('DEVICE_REMOVED: the phone is told at once, stops trying, and is refused again on retry', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session({ client: { name: 'Ana' } })
  await p.session.open()
  await p.waitStatus('connected')
  await sys.host.removeDevice('Ana')
  const err = await p.waitError('DEVICE_REMOVED', 5000)
  t.is(
    err.message,
    'The host removed this device. Ask the host for its current Server ID to pair again.'
  )
  await p.waitStatus('offline')
  const result = await p.session.send('hello?').result
  t.is(!result.ok && result.error.code, 'DEVICE_REMOVED')
  const again = new Promise<string>((resolve) =>
    p.session.once('connect-error', (e) => resolve(e.code))
  )
  p.session.retryNow()
  t.is(await again, 'DEVICE_REMOVED', 'refused again when asked to retry')
})

test('UNSUPPORTED_VERSION when the host speaks another protocol version', async (t) => {
  const sys = await startSystem(t)
  const future = await Impostor.start({
    bootstrap: sys.bootstrap,
    reply: () => ({
      type: 'server_info',
      payload: { protocol_version: PROTOCOL_VERSION + 1, anything: 'new' }
    })
  })
  t.teardown(() => future.close())
  const p = sys.session({ code: formatPairingCode(future.publicKey, generateAccessSecret()) })
  await p.session.open()
  const err = await p.waitError('UNSUPPORTED_VERSION', 5000)
  t.is(err.retryable, false)
  const result = await p.session.send('hi').result
  t.is(!result.ok && result.error.code, 'UNSUPPORTED_VERSION')
})

test('the conversation so far reaches Ollama with the prompt, oldest first', async (t) => {
  const sys = await startSystem(t)
  const p = sys.session()
  await p.session.open()
  await p.waitStatus('connected')
  const history = [
    { role: 'user' as const, content: 'My name is Ana and I live in Porto.' },
    { role: 'assistant' as const, content: 'Nice to meet you, Ana!' }
  ]
  const result = await p.session.send('What is my name and where do I live?', { history }).result
  t.ok(result.ok)
  const request = sys.standin.requests[0]
  t.is(request?.messageCount, 3, 'two earlier turns and the prompt')
  t.is(request?.prompt, 'What is my name and where do I live?')
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

test('the host stops mid-reply: the reply ends, HOST_DISCONNECTED, then back on its own when it returns', async (t) => {
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
    'GENERATION_ABORTED',
    'the running reply gets its one terminal message before the host goes'
  )
  t.is(!result.ok && result.error.detail, 'the host is stopping')
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
