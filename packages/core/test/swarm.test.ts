import test from 'brittle'
import { createSwarm, formatBootstrap, parseBootstrap } from '../src/swarm.js'

test('bootstrap lists parse from the command line form', (t) => {
  t.alike(parseBootstrap('127.0.0.1:49737'), [{ host: '127.0.0.1', port: 49737 }])
  t.alike(parseBootstrap(' 127.0.0.1:1,localhost:2 '), [
    { host: '127.0.0.1', port: 1 },
    { host: 'localhost', port: 2 }
  ])
  t.alike(parseBootstrap('[::1]:49737'), [{ host: '::1', port: 49737 }])
  t.is(parseBootstrap(''), 'public')
  t.is(parseBootstrap('public'), 'public')
  for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'a:b', ':80', '1.2.3.4:5,']) {
    t.is(parseBootstrap(bad), undefined, bad)
  }
  t.is(formatBootstrap([{ host: '127.0.0.1', port: 5 }]), '127.0.0.1:5')
})

test('a swarm is never made without saying which DHT', (t) => {
  t.exception.all(() => createSwarm({ bootstrap: [] }), /bootstrap/)
  t.exception.all(() => createSwarm({} as never), /bootstrap/)
})

test('a relay key reaches Hyperswarm: used once a hole punch has failed, and a key that is not 32 bytes is refused', (t) => {
  const bootstrap = [{ host: '127.0.0.1', port: 9 }]
  const key = new Uint8Array(32).fill(7)
  const swarm = createSwarm({ bootstrap, relayThrough: key })
  t.teardown(() => swarm.destroy())
  // Hyperswarm's own choice, asked the way it asks before every connection attempt.
  const choose = (swarm as unknown as { relayThrough: RelayChoice }).relayThrough
  t.is(choose(true, swarm), key, 'after a failed punch (force): the relay')
  t.is(choose(false, swarm), null, 'before: none, while this NAT is not randomizing')
  const plain = createSwarm({ bootstrap })
  t.teardown(() => plain.destroy())
  t.absent(
    (plain as unknown as { relayThrough: RelayChoice | null }).relayThrough,
    'no key, no relay'
  )
  t.exception.all(() => createSwarm({ bootstrap, relayThrough: new Uint8Array(31) }), /32-byte/)
})

type RelayChoice = (force: boolean, swarm: unknown) => Uint8Array | null
