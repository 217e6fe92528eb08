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
  const again = await w.connect({ keyPair: c.keyPair, hello: 'wrong', waitForInfo: true })
  t.is(again.serverInfos, 1, 'the paired device is let in again by its key')
  const reply = await again.chat('back?')
  t.is(reply.terminal.type, 'chat_end')
})

test('stop in the middle of a generation: the reply gets its one terminal message, then stopped', async (t) => {
  const w = await startWorld(t)
  w.standin.enqueue({ tokens: 5000, tokensPerSecond: 50 })
  const c = await w.connect()
  const id = c.startChat('long')
  await c.waitFor((m) => m.type === 'chat_chunk')
  const started = Date.now()
  await w.host.stop()
  t.ok(Date.now() - started < 2000, `stopped in ${Date.now() - started} ms`)
  const record = await w.standin.waitFor((r) => r.outcome === 'cancelled')
  t.is(record.tokensAfterCancel, 0)
  const terminal = c.terminalOf(id)
  t.is(terminal?.type === 'error' && terminal.payload.code, 'GENERATION_ABORTED', 'the reply ended')
  const order = c.messages.map((m) =>
    m.type === 'server_info' ? `info:${m.payload.status}` : m.type === 'error' ? 'terminal' : ''
  )
  t.ok(
    order.indexOf('terminal') !== -1 && order.indexOf('terminal') < order.indexOf('info:stopped'),
    'before server_info stopped'
  )
  t.is(c.afterTerminal, 0)
})

test('regenerating drops everyone; the old code no longer reaches a host', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  const old = w.serverId
  await w.host.regenerate()
  await c.waitClosed(5000)
  const fresh = w.host.state.serverId as string
  t.not(fresh, old)
  const next = await w.connect({ code: fresh })
  t.is(next.serverInfos, 1, 'the new code connects')
  await t.exception(
    w.connect({ code: old, timeoutMs: 2000 }),
    /no connection|closed/,
    'the old code finds no host'
  )
})
