// Only holders of the Server ID get in; a peer that knows only the topic gets nothing.
import test from 'brittle'
import { deriveTopic } from '@localllm/protocol/capability'
import { parseServerId } from '@localllm/protocol'
import { startWorld } from './helpers/world.js'

function topicOf(serverId: string): Uint8Array {
  const r = parseServerId(serverId)
  if (!r.ok) throw new Error('bad id')
  return deriveTopic(r.secret)
}

test('a peer that knows the topic but not the secret gets nothing and is closed', async (t) => {
  const w = await startWorld(t)
  const spy = await w.connect({
    serverId: undefined,
    topic: topicOf(w.serverId),
    hello: 'wrong',
    waitForInfo: false
  })
  await spy.waitClosed(5000)
  t.alike(spy.messages, [], 'not one message, not even an error')
  t.is(spy.undecodable, 0)
  t.is(w.host.state.clients, 0)
  t.is(w.standin.requests.length, 0)
})

test('a prompt sent without a hello never reaches Ollama', async (t) => {
  const w = await startWorld(t)
  const spy = await w.connect({
    serverId: undefined,
    topic: topicOf(w.serverId),
    hello: 'none',
    waitForInfo: false
  })
  spy.send({ type: 'chat_start', request_id: 'sneaky', payload: { prompt: 'hi' } })
  await spy.waitClosed(5000)
  t.alike(spy.messages, [])
  t.is(w.standin.requests.length, 0)
})

test('a proof captured on one connection is refused on another', async (t) => {
  const w = await startWorld(t)
  const honest = await w.connect()
  t.ok(honest.proofValid)
  const replay = await w.connect({
    hello: { proof: honest.sentProof ?? '' },
    waitForInfo: false
  })
  await replay.waitClosed(5000)
  t.alike(replay.messages, [], 'the replayed proof got nothing')
  t.is(w.host.state.clients, 1)
})

test('a connection that never says hello is closed after the hello timeout and holds no slot', async (t) => {
  const w = await startWorld(t, { host: { helloTimeoutMs: 500 } })
  const silent = await w.connect({ hello: 'none', waitForInfo: false })
  const opened = Date.now()
  await silent.waitClosed(5000)
  const waited = Date.now() - opened
  t.ok(waited >= 400, `closed after ${waited} ms`)
  t.alike(silent.messages, [])
  t.is(w.host.state.clients, 0)
})

test('a malformed first message closes the connection silently', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect({ hello: 'none', waitForInfo: false })
  c.write('{"type":"hello","payload":{"protocol_version":1,"proof":"nothex"}}\n')
  await c.waitClosed(5000)
  t.alike(c.messages, [])
})
