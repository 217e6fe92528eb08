// Who gets in (protocol v2): paired devices by their key, new ones with the current code's
// proof, nobody else; and removing one device leaves everyone else alone.
import test from 'brittle'
import { parsePairingCode } from '@localllm/protocol'
import { startWorld, type World } from './helpers/world.js'

async function stranger(w: World, hello: 'wrong' | 'none') {
  return w.connect({ code: undefined, hostKey: w.hostKey, hello, waitForInfo: false })
}

test('a peer that knows the host key but not the secret gets nothing and is closed', async (t) => {
  const w = await startWorld(t)
  const spy = await stranger(w, 'wrong')
  await spy.waitClosed(5000)
  t.alike(spy.messages, [], 'not one message, not even an error')
  t.is(spy.undecodable, 0)
  t.is(w.host.state.clients, 0)
  t.is(w.host.state.devices.length, 0, 'and it was not paired')
  t.is(w.standin.requests.length, 0)
})

test('a prompt sent without a hello never reaches Ollama', async (t) => {
  const w = await startWorld(t)
  const spy = await stranger(w, 'none')
  spy.send({ type: 'chat_start', request_id: 'sneaky', payload: { prompt: 'hi' } })
  await spy.waitClosed(5000)
  t.alike(spy.messages, [])
  t.is(w.standin.requests.length, 0)
})

test('a proof captured on one connection is refused on another', async (t) => {
  const w = await startWorld(t)
  const honest = await w.connect()
  t.is(honest.serverInfos, 1)
  const replay = await w.connect({ hello: { proof: honest.sentProof ?? '' }, waitForInfo: false })
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
  c.write('{"type":"hello","payload":{"protocol_version":2,"proof":"nothex"}}\n')
  await c.waitClosed(5000)
  t.alike(c.messages, [])
})

test('a device is paired on its first valid proof and known by its key from then on', async (t) => {
  const w = await startWorld(t)
  const before = Date.now()
  const phone = await w.connect({ name: 'Ana’s iPhone' })
  const [device] = w.host.state.devices
  t.is(w.host.state.devices.length, 1)
  t.is(device?.name, 'Ana’s iPhone')
  t.ok(device && device.firstSeen >= before && device.lastSeen >= device.firstSeen)
  t.ok(device?.connected, 'shown as connected')
  t.alike(
    w.host.state.connected.map((d) => d.name),
    ['Ana’s iPhone']
  )
  await phone.close()
  // The same device, with a proof that would not pass: its key is what lets it in.
  const again = await w.connect({
    keyPair: phone.keyPair,
    hello: 'wrong',
    name: 'Ana’s iPhone',
    waitForInfo: true
  })
  t.is(again.serverInfos, 1, 'let in by its key')
  t.is(w.host.state.devices.length, 1, 'still one device')
  t.ok((await again.chat('hello again')).terminal.type === 'chat_end')
})

test('remove: dropped now, refused after, the old code pairs nothing, the new one does, the others keep chatting', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'still here' } })
  const oldCode = w.host.state.serverId as string
  const ana = await w.connect({ name: 'Ana' })
  const ben = await w.connect({ name: 'Ben' })

  const removed = await w.host.removeDevice('Ana')
  t.is(removed.name, 'Ana')
  const dropped = await ana.waitFor((m) => m.type === 'error')
  t.is(dropped.type === 'error' && dropped.payload.code, 'DEVICE_REMOVED', 'told at once')
  await ana.waitClosed(5000)
  t.alike(
    w.host.state.devices.map((d) => d.name),
    ['Ben']
  )

  const back = await w.connect({ keyPair: ana.keyPair, code: oldCode, waitForInfo: false })
  await back.waitClosed(5000)
  t.is(back.refusal, 'DEVICE_REMOVED', 'refused when it comes back')

  const newCode = w.host.state.serverId as string
  t.not(newCode, oldCode, 'the code changed')
  t.is(parsePairingCode(newCode).ok && parsePairingCode(oldCode).ok, true)
  const late = await w.connect({ code: oldCode, waitForInfo: false })
  await late.waitClosed(5000)
  t.alike(late.messages, [], 'a new device with the old code gets nothing')

  t.is((await ben.chat('are you there?')).text, 'still here', 'Ben keeps chatting')
  const benAgain = await w.connect({ keyPair: ben.keyPair, code: oldCode, name: 'Ben' })
  t.is(benAgain.serverInfos, 1, 'and reconnects with the code he had, no new pairing')

  const cara = await w.connect({ code: newCode, name: 'Cara' })
  t.is(cara.serverInfos, 1, 'the new code pairs')
  t.is(w.host.state.devices.length, 2)

  await w.host.stop()
  await w.host.start()
  const afterRestart = await w.connect({ keyPair: ana.keyPair, code: oldCode, waitForInfo: false })
  await afterRestart.waitClosed(5000)
  t.is(afterRestart.refusal, 'DEVICE_REMOVED', 'still refused after a host restart')
  t.alike(w.host.state.devices.map((d) => d.name).sort(), ['Ben', 'Cara'])
})

test('a removed device that proves the current code is paired again', async (t) => {
  const w = await startWorld(t)
  const phone = await w.connect({ name: 'Dan' })
  await w.host.removeDevice('Dan')
  await phone.waitClosed(5000)
  const withNewCode = await w.connect({
    keyPair: phone.keyPair,
    code: w.host.state.serverId,
    name: 'Dan'
  })
  t.is(withNewCode.serverInfos, 1)
  t.alike(
    w.host.state.devices.map((d) => d.name),
    ['Dan']
  )
})

test('remove finds a device by id prefix or name, and says so when it cannot', async (t) => {
  const w = await startWorld(t)
  const a = await w.connect({ name: 'Same' })
  await w.connect({ name: 'Same' })
  await t.exception(w.host.removeDevice('nobody'), /no paired device matches "nobody"/)
  await t.exception(w.host.removeDevice('same'), /matches 2 devices/)
  const id = Buffer.from(a.keyPair.publicKey).toString('hex').slice(0, 6)
  const removed = await w.host.removeDevice(id)
  t.is(removed.key.slice(0, 6), id)
  t.is(w.host.state.devices.length, 1)
})

test('regenerate: a new host key and code, every device unpaired', async (t) => {
  const w = await startWorld(t)
  const phone = await w.connect()
  const oldKey = w.host.state.hostKey
  await w.host.regenerate()
  t.not(w.host.state.hostKey, oldKey, 'a new host key')
  t.is(w.host.state.devices.length, 0)
  await phone.waitClosed(5000)
  const fresh = await w.connect({ code: w.host.state.serverId })
  t.is(fresh.serverInfos, 1)
  await t.exception(
    w.connect({ code: w.serverId, keyPair: phone.keyPair, timeoutMs: 3000 }),
    /no connection|closed/,
    'the old host key answers no more'
  )
})

test('strangers hammering the host change nothing for a connected device', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'unbothered' } })
  const phone = await w.connect()
  const strangers = await Promise.all(
    Array.from({ length: 6 }, () => stranger(w, 'wrong').catch(() => undefined))
  )
  await Promise.all(strangers.map((s) => (s ? s.waitClosed(5000) : Promise.resolve())))
  t.is(phone.closed, false)
  t.alike(
    phone.messages.map((m) => m.type),
    ['server_info']
  )
  t.is((await phone.chat('hi')).text, 'unbothered')
})
