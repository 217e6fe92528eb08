// The worklet under the real `bare` binary, driven over its NDJSON IPC against a real host
// on a real testnet: the same path the iPhone app takes, minus the phone.
import test from 'brittle'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBootstrap } from '@localllm/core'
import { startHostCli, untilHostState } from '@localllm/testing'
import { startSystem } from './helpers/system.js'
import { WorkletProcess } from './helpers/worklet-process.js'

async function worklet(t: TestContext): Promise<WorkletProcess> {
  const w = await WorkletProcess.start()
  t.teardown(() => w.stop(), { order: 0 })
  return w
}

test('under bare: connect, see the host, stream a reply', async (t) => {
  const sys = await startSystem(t, {
    standin: { reply: 'Streaming from Bare works.', tokensPerSecond: 200 },
    host: { displayName: 'Test Host' }
  })
  const w = await worklet(t)
  const started = Date.now()
  w.send({
    cmd: 'connect',
    server_id: sys.serverId,
    bootstrap: formatBootstrap(sys.bootstrap),
    client: { name: 'iPhone', platform: 'ios' }
  })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.comment(`connect time under bare: ${Date.now() - started} ms`)
  const info = await w.waitFor((e) => e.event === 'server_info')
  t.is(info.event === 'server_info' && info.info.host_name, 'Test Host')
  const path = await w.waitFor((e) => e.event === 'path')
  t.alike(
    path.event === 'path' && [path.path, path.remote],
    ['direct', 'loopback'],
    'the path is reported: direct, to a loopback address here'
  )
  const reply = await w.chat('r1', 'hello from the phone')
  t.is(reply.text, 'Streaming from Bare works.')
  t.ok(reply.chunks > 3, `${reply.chunks} chunk events`)
  t.is(reply.terminal.event, 'end')
  t.is(sys.standin.requests[0]?.prompt, 'hello from the phone')
  t.alike(w.invalid, [], 'every event matches the documented IPC schema')
})

test('under bare: abort mid-reply', async (t) => {
  const sys = await startSystem(t)
  sys.standin.enqueue({ tokens: 5000, tokensPerSecond: 100 })
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  w.send({ cmd: 'send', ref: 'long', prompt: 'talk forever' })
  await w.waitFor((e) => e.event === 'chunk' && e.ref === 'long')
  w.send({ cmd: 'abort', ref: 'long' })
  const end = await w.waitFor((e) => e.event === 'error' && e.ref === 'long')
  t.is(end.event === 'error' && end.code, 'GENERATION_ABORTED')
  t.is((await sys.standin.waitFor((r) => r.outcome === 'cancelled')).tokensAfterCancel, 0)
})

test('under bare: MODEL_BUSY when another client is being answered', async (t) => {
  const sys = await startSystem(t)
  sys.standin.enqueue({ tokens: 80, tokensPerSecond: 100 })
  const other = sys.session()
  await other.session.open()
  await other.waitStatus('connected')
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  const first = other.session.send('long')
  await new Promise<void>((resolve) => first.once('chunk', () => resolve()))
  const reply = await w.chat('busy', 'me too')
  t.is(reply.terminal.event === 'error' && reply.terminal.code, 'MODEL_BUSY')
  t.ok((await first.result).ok)
})

test('under bare: INVALID_SERVER_ID and a bad command get clear errors, the worklet lives on', async (t) => {
  const sys = await startSystem(t)
  const w = await worklet(t)
  w.send({
    cmd: 'connect',
    server_id: 'definitely not an id',
    bootstrap: formatBootstrap(sys.bootstrap)
  })
  const bad = await w.waitFor((e) => e.event === 'error')
  t.is(bad.event === 'error' && bad.code, 'INVALID_SERVER_ID')
  w.sendRaw('{"cmd":"launch_rockets"}\nnot even json\n')
  await w.waitFor(
    (e) => e.event === 'error' && e.code === 'BAD_MESSAGE' && (e.detail ?? '').includes('JSON')
  )
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.is((await w.chat('ok', 'still alive?')).terminal.event, 'end')
})

test('under bare: host stopped and started again → HOST_DISCONNECTED, then reconnects and chats', async (t) => {
  const sys = await startSystem(t)
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  await sys.host.stop()
  await w.waitFor((e) => e.event === 'error' && e.code === 'HOST_DISCONNECTED')
  await w.waitFor((e) => e.event === 'status' && e.status === 'reconnecting')
  const from = w.events.length
  const restarted = Date.now()
  await sys.host.start()
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected', 10000, from)
  const took = Date.now() - restarted
  t.comment(`reconnect under bare after the host came back: ${took} ms`)
  t.ok(took < 5000, `within 5 s (${took} ms)`)
  t.is((await w.chat('again', 'back?')).terminal.event, 'end')
})

test('under bare: suspend and resume, then chat', async (t) => {
  const sys = await startSystem(t)
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  w.send({ cmd: 'suspend' })
  await w.waitFor((e) => e.event === 'status' && e.status === 'suspended')
  const from = w.events.length
  w.send({ cmd: 'resume' })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected', 10000, from)
  t.is((await w.chat('woke', 'good morning')).terminal.event, 'end')
})

test('under bare: closing the IPC (the app going away) ends the worklet', async (t) => {
  const sys = await startSystem(t)
  const w = await WorkletProcess.start()
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  const code = await w.stop(5000)
  t.is(code, 0, 'exited on its own: no socket or timer kept it alive')
})

test('under bare: host process SIGKILLed and restarted → reconnects on its own, time measured', async (t) => {
  const sys = await startSystem(t, { withHost: false })
  const configDir = await mkdtemp(join(tmpdir(), 'localllm-kill-'))
  t.teardown(() => rm(configDir, { recursive: true, force: true }), { order: 20 })
  const hostOptions = { bootstrap: sys.bootstrap, ollamaUrl: sys.standin.url, configDir }
  let host = await startHostCli(hostOptions)
  t.teardown(() => host.kill(), { order: 0 })
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: host.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  const times: number[] = []
  for (let round = 0; round < 3; round++) {
    const from = w.events.length
    host.kill()
    await w.waitFor((e) => e.event === 'error' && e.code === 'HOST_DISCONNECTED', 15000, from)
    host = await startHostCli(hostOptions)
    const back = Date.now()
    await w.waitFor((e) => e.event === 'status' && e.status === 'connected', 15000, from)
    times.push(Date.now() - back)
    t.is((await w.chat(`after-kill-${round}`, 'still there?')).terminal.event, 'end')
  }
  t.comment(`reconnect after a SIGKILLed host came back: ${times.join(', ')} ms`)
  t.ok(Math.max(...times) < 5000, 'each within 5 s of the host being back')
})

test('under bare: four connects in one write leave exactly one host slot, none after disconnect', async (t) => {
  const sys = await startSystem(t)
  const w = await worklet(t)
  const connect = JSON.stringify({
    cmd: 'connect',
    server_id: sys.serverId,
    bootstrap: formatBootstrap(sys.bootstrap)
  })
  // Every earlier session is closed before the next begins, so the host sees at most one.
  let most = 0
  sys.host.on('state', (s) => (most = Math.max(most, s.clients)))
  w.sendRaw(`${connect}\n${connect}\n${connect}\n${connect}\n`)
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  const chat = await w.chat('one', 'only one of me?')
  t.is(chat.terminal.event, 'end')
  t.is(sys.host.state.clients, 1, 'one slot held')
  t.is(sys.host.state.devices.length, 1, 'one device')
  t.ok(most <= 1, `never more than one (${most})`)
  w.send({ cmd: 'disconnect' })
  await w.waitFor((e) => e.event === 'status' && e.status === 'idle')
  await untilHostState(sys.host, (s) => s.clients === 0, 'no client after disconnect')
  t.pass('none after disconnect')
})

test('under bare: a new device key comes back to the app, and with it the host knows the device again', async (t) => {
  const sys = await startSystem(t)
  const w = await worklet(t)
  w.send({ cmd: 'connect', server_id: sys.serverId, bootstrap: formatBootstrap(sys.bootstrap) })
  const device = await w.waitFor((e) => e.event === 'device')
  await w.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.is(sys.host.state.devices.length, 1)
  const seed = device.event === 'device' ? device.seed : ''
  t.is(sys.host.state.devices[0]?.key, device.event === 'device' ? device.public_key : '')
  await sys.host.removeDevice(sys.host.state.devices[0]?.id ?? '')
  await w.waitFor((e) => e.event === 'error' && e.code === 'DEVICE_REMOVED')
  // A second device pairs with the new code; the removed one, with its seed, stays out.
  const from = w.events.length
  w.send({
    cmd: 'connect',
    server_id: sys.serverId,
    bootstrap: formatBootstrap(sys.bootstrap),
    device_seed: seed
  })
  await w.waitFor((e) => e.event === 'error' && e.code === 'DEVICE_REMOVED', 10000, from)
  t.absent(
    w.events.slice(from).some((e) => e.event === 'device'),
    'no new key when the app gives its own'
  )
})
