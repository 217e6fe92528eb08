import test from 'brittle'
import { startWorld } from './helpers/world.js'
import { disconnectFreesTheGate } from './helpers/portable-behaviours.js'

test('a client disconnecting mid-generation cancels Ollama at once and frees the gate', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({ tokens: 5000, tokensPerSecond: 50 })
  const { leftAt } = await disconnectFreesTheGate(t, w)
  const record = w.standin.requests[0]
  t.is(record?.outcome, 'cancelled', 'the stand-in saw the HTTP request cancelled')
  t.is(record?.tokensAfterCancel, 0)
  t.comment(`disconnect → Ollama request cancelled: ${(record?.cancelledAt ?? 0) - leftAt} ms`)
})

test('server_info reports busy while generating and ready after, to every client', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({ tokens: 20, tokensPerSecond: 100 })
  const a = await w.connect()
  const b = await w.connect()
  const from = b.messages.length
  const reply = await a.chat('hi')
  t.is(reply.terminal.type, 'chat_end')
  const statuses = b.messages
    .slice(from)
    .flatMap((m) => (m.type === 'server_info' ? [m.payload.status] : []))
  t.alike(statuses, ['busy', 'ready'])
})

test('stop tells every client, and a restart keeps the same Server ID', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  const before = w.serverId
  await w.host.stop()
  const stopped = c.messages.filter((m) => m.type === 'server_info').at(-1)
  t.is(
    stopped?.type === 'server_info' && stopped.payload.status,
    'stopped',
    'clients got server_info stopped'
  )
  await c.waitClosed(5000)
  t.is(w.host.state.status, 'stopped')
  await w.host.start()
  t.is(w.host.state.serverId, before, 'same Server ID after restart')
  const again = await w.connect()
  t.ok(again.proofValid)
  const reply = await again.chat('back?')
  t.is(reply.terminal.type, 'chat_end')
})

test('stop in the middle of a generation cancels it and still ends cleanly', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({ tokens: 5000, tokensPerSecond: 50 })
  const c = await w.connect()
  c.startChat('long')
  await c.waitFor((m) => m.type === 'chat_chunk')
  const started = Date.now()
  await w.host.stop()
  t.ok(Date.now() - started < 2000, `stopped in ${Date.now() - started} ms`)
  const record = await w.standin.waitFor((r) => r.outcome === 'cancelled')
  t.is(record.tokensAfterCancel, 0)
})

test('regenerating the Server ID drops everyone; the old ID no longer works', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  const old = w.serverId
  await w.host.regenerate()
  await c.waitClosed(5000)
  const fresh = w.host.state.serverId as string
  t.not(fresh, old)
  const next = await w.connect({ serverId: fresh })
  t.ok(next.proofValid, 'the new ID connects')
  await t.exception(
    w.connect({ serverId: old, timeoutMs: 2000 }),
    /no connection/,
    'the old ID finds no host'
  )
})
