import test from 'brittle'
import DHT from 'hyperdht'
import { verifyPairingProof } from '@localllm/protocol/capability'
import { handshake, type HandshakeOptions } from '../src/handshake.js'
import type { ClientBoundMessage } from '@localllm/protocol'
import { FakeHost, localTestnet, serverInfo, type Script } from './helpers/fake-host.js'

async function dialed(t: TestContext, script: Script) {
  const testnet = await localTestnet(t)
  const host = await FakeHost.start(t, testnet, script)
  const dht = new DHT({ bootstrap: testnet.bootstrap })
  t.teardown(() => dht.destroy(), { order: 40 })
  const stream = dht.connect(host.keyPair.publicKey)
  await new Promise<void>((resolve, reject) => {
    stream.once('open', resolve)
    stream.on('error', reject)
  })
  return { host, stream }
}

function options(
  host: FakeHost,
  extra: Partial<HandshakeOptions> = {}
): HandshakeOptions & { later: ClientBoundMessage[]; firstLater: Promise<ClientBoundMessage> } {
  const later: ClientBoundMessage[] = []
  let heard: (m: ClientBoundMessage) => void = () => {}
  const firstLater = new Promise<ClientBoundMessage>((resolve) => (heard = resolve))
  const message = (m: ClientBoundMessage) => {
    later.push(m)
    heard(m)
  }
  return {
    secret: host.secret,
    client: { name: 'test phone' },
    after: { message, bad: () => {}, close: () => {} },
    later,
    firstLater,
    ...extra
  }
}

test('hello carries a proof the host can check; server_info lets the device in', async (t) => {
  let proofOk = false
  const { host, stream } = await dialed(t, (peer, message) => {
    if (message.type !== 'hello') return
    const payload = message.payload as { proof: string; protocol_version: number }
    proofOk = verifyPairingProof(host.secret, peer.stream.handshakeHash, payload.proof)
    peer.send(serverInfo({ host_name: 'Fake' }))
    peer.send({ type: 'chat_chunk', request_id: 'x', payload: { text: 'after' } })
  })
  const opts = options(host)
  const r = await handshake(stream, opts)
  t.ok(r.ok)
  t.ok(proofOk, 'the proof verifies against the secret and this connection')
  if (r.ok) t.is(r.info.host_name, 'Fake')
  const hello = host.peers[0]?.received[0] as {
    payload: { client: unknown; protocol_version: number }
  }
  t.alike(hello.payload.client, { name: 'test phone' })
  t.is(hello.payload.protocol_version, 2)
  t.is((await opts.firstLater).type, 'chat_chunk', 'what follows server_info goes to the session')
  t.is(opts.later.length, 1)
  if (r.ok) r.conn.destroy()
})

test('DEVICE_REMOVED is fatal: retrying cannot help', async (t) => {
  const { host, stream } = await dialed(t, (peer) => {
    peer.send({
      type: 'error',
      payload: { code: 'DEVICE_REMOVED', message: 'removed', retryable: false }
    })
    peer.end()
  })
  const r = await handshake(stream, options(host))
  t.absent(r.ok)
  if (!r.ok) {
    t.is(r.error.code, 'DEVICE_REMOVED')
    t.ok(r.fatal)
  }
})

test('HOST_FULL is not fatal', async (t) => {
  const { host, stream } = await dialed(t, (peer) => {
    peer.send({ type: 'error', payload: { code: 'HOST_FULL', message: 'full', retryable: true } })
    peer.end()
  })
  const r = await handshake(stream, options(host))
  t.ok(!r.ok && r.error.code === 'HOST_FULL' && !r.fatal)
})

test('a host that closes without a word: CONNECT_FAILED (this device was not let in)', async (t) => {
  const { host, stream } = await dialed(t, (peer) => peer.stream.destroy())
  const r = await handshake(stream, options(host))
  t.ok(!r.ok && r.error.code === 'CONNECT_FAILED' && !r.fatal)
  if (!r.ok) t.ok(r.error.detail?.includes('closed'), r.error.detail)
})

test('a host that never answers: HOST_DISCONNECTED after the handshake timeout, not the Server ID sentence', async (t) => {
  const { host, stream } = await dialed(t, () => {})
  const started = Date.now()
  const r = await handshake(stream, options(host, { timeoutMs: 300 }))
  t.ok(!r.ok && r.error.code === 'HOST_DISCONNECTED' && !r.fatal)
  if (!r.ok) {
    t.absent(/server id/i.test(r.error.message), r.error.message)
    t.ok(r.error.detail?.includes('nothing came back'), r.error.detail)
  }
  t.ok(Date.now() - started >= 280, `${Date.now() - started} ms`)
})

test('a stream that goes silent after hello (its dead-connection timeout): HOST_DISCONNECTED', async (t) => {
  // The NAT lab's stall: the stream opened, hello went out, nothing ever came back, and the
  // stream's own timeout closed it before the handshake timer.
  const { host, stream } = await dialed(t, () => {})
  const pending = handshake(stream, options(host, { timeoutMs: 10_000 }))
  stream.setTimeout(300)
  const r = await pending
  t.ok(!r.ok && r.error.code === 'HOST_DISCONNECTED' && !r.fatal)
  if (!r.ok) {
    t.absent(/server id/i.test(r.error.message), r.error.message)
    t.ok(r.error.detail?.includes('timed out'), r.error.detail)
  }
})

test('another protocol version is UNSUPPORTED_VERSION and fatal', async (t) => {
  const { host, stream } = await dialed(t, (peer) => peer.send(serverInfo({ protocol_version: 3 })))
  const r = await handshake(stream, options(host))
  t.ok(!r.ok && r.error.code === 'UNSUPPORTED_VERSION' && r.fatal)
})
