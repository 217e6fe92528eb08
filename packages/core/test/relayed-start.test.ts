// A connection through a blind relay starts without losing its first packet (relay-start.ts).
//
// blind-relay 1.6.1 drops a packet that reaches it before the other end's first packet
// has connected that end's stream, so when both ends speak at once, one Noise header is
// lost and has to be resent: in the NAT lab that cost a second (UDX's initial RTO) before
// `hello`. On loopback the resend comes sooner, so the delay is not what this test measures;
// the loss is, from the UDX streams' own counter, which no timing on a busy machine moves.
// Without speakSecond the host's header is the one lost: its stream shows a retransmit.

import test from 'brittle'
import DHT from 'hyperdht'
import { Server as RelayServer } from 'blind-relay'
import { HostDialer } from '../src/host-dialer.js'
import { handshake } from '../src/handshake.js'
import { FakeHost, localTestnet, serverInfo } from './helpers/fake-host.js'
import type { Testnet } from 'hyperdht/testnet.js'
import type { NoiseStream } from 'hyperdht'

/** A blind relay on the testnet, set up as `localllm relay` sets it up (apps/host/src/relay.ts). */
async function blindRelay(t: TestContext, testnet: Testnet) {
  const dht = new DHT({ bootstrap: testnet.bootstrap, firewalled: false })
  const relay = new RelayServer({
    createStream: (opts) => dht.createRawStream({ ...opts, framed: true })
  })
  const server = dht.createServer((socket) => {
    socket.on('error', () => {})
    relay.accept(socket, { id: socket.remotePublicKey }).on('error', () => {})
  })
  const keyPair = DHT.keyPair()
  await server.listen(keyPair)
  t.teardown(
    async () => {
      await server.close()
      await relay.close()
      await dht.destroy()
    },
    { order: 60 }
  )
  return { publicKey: keyPair.publicKey, relay }
}

test('through a blind relay, neither end has to resend anything before hello is answered', async (t) => {
  const testnet = await localTestnet(t)
  const relay = await blindRelay(t, testnet)
  // No punching and no LAN address: the only way between the two is the relay.
  const host = await FakeHost.start(
    t,
    testnet,
    (peer, message) => {
      if (message.type === 'hello') peer.send(serverInfo({ host_name: 'Relayed' }))
    },
    DHT.keyPair(),
    {
      dht: { quickFirewall: false, ephemeral: true },
      server: { holepunch: false, shareLocalAddress: false }
    }
  )
  const dialer = new HostDialer({
    bootstrap: testnet.bootstrap,
    hostKey: host.keyPair.publicKey,
    keyPair: DHT.keyPair(),
    relayThrough: relay.publicKey,
    backoffs: [100],
    jitter: 0
  })
  t.teardown(() => dialer.close(), { order: 40 })
  // The dialer takes the relay at once from a randomizing NAT, as the phone behind one does.
  Object.defineProperty(dialer.dht, 'randomized', { get: () => true })

  const stream = await new Promise<NoiseStream>((resolve) => {
    dialer.once('stream', resolve)
    void dialer.start()
  })
  t.is(dialer.paths.pathOf(stream), 'relayed', 'the connection goes through the relay')
  const result = await handshake(stream, {
    secret: host.secret,
    after: { message: () => {}, bad: () => {}, close: () => {} }
  })
  t.ok(result.ok, 'hello answered with server_info')
  if (result.ok) t.is(result.info.host_name, 'Relayed')
  t.is(relay.relay.stats.pairings.matched, 1, 'the relay paired the two ends')

  const hostRaw = host.peers[0]?.stream.rawStream
  t.is(stream.rawStream.retransmits, 0, 'the client resent nothing')
  t.is(hostRaw?.retransmits, 0, 'the host resent nothing (its Noise header got through)')
  t.is(stream.rawStream.rtoCount + (hostRaw?.rtoCount ?? 0), 0, 'no retransmission timeout')
  if (result.ok) result.conn.destroy()
})
