// A bare Hyperswarm peer (or blind relay) for the lab's reference table: no LocalLLM code,
// so the table shows what hyperswarm and hyperdht do by themselves through the lab's NATs.
// Started by raw-table.ts inside a site's namespace; prints JSON lines, runs until SIGTERM.
//
//   node raw-peer.js '{"role":"server","bootstrap":[…],"topic":"<hex>","relay":"<hex>"}'
//   roles: relay (prints its key) · server (echoes) · client (connects, says hello)
//
// `relayPolicy: 'always'` passes a function to relayThrough, so the relay is offered on every
// connection, not only when this peer's own NAT is randomizing (hyperswarm's default).

import { Server as RelayServer } from 'blind-relay'
import DHT, { type BootstrapNode, type DHTSocket } from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'

interface Options {
  role: 'relay' | 'server' | 'client'
  bootstrap: BootstrapNode[]
  topic?: string
  relay?: string | null
  relayPolicy?: 'default' | 'always'
  relaySeed?: string
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const say = (value: Record<string, unknown>) => process.stdout.write(JSON.stringify(value) + '\n')
const closers: (() => Promise<void>)[] = []
process.once('SIGTERM', () => {
  void Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0))
})

if (options.role === 'relay') {
  const dht = new DHT({ bootstrap: options.bootstrap, firewalled: false })
  const relay = new RelayServer({
    createStream: (opts) => dht.createRawStream({ ...opts, framed: true })
  })
  const server = dht.createServer((socket) => {
    socket.on('error', () => {})
    relay.accept(socket, { id: socket.remotePublicKey }).on('error', () => {})
  })
  const keyPair = DHT.keyPair(Buffer.from(options.relaySeed ?? '00'.repeat(32), 'hex'))
  await server.listen(keyPair)
  closers.push(
    () => relay.close(),
    () => server.close(),
    () => dht.destroy()
  )
  say({ event: 'ready', publicKey: Buffer.from(keyPair.publicKey).toString('hex') })
} else {
  const key = options.relay ? Buffer.from(options.relay, 'hex') : null
  const swarm = new Hyperswarm({
    bootstrap: options.bootstrap,
    relayThrough: key && options.relayPolicy === 'always' ? () => key : key
  })
  closers.push(() => swarm.destroy())
  // Every outgoing connection attempt's failure, with hyperdht's code.
  const connect = swarm.dht.connect.bind(swarm.dht)
  swarm.dht.connect = (publicKey: Uint8Array, opts?: object): DHTSocket => {
    const socket = connect(publicKey, opts)
    socket.on('error', (err) => say({ event: 'attempt-failed', code: err.code ?? err.message }))
    return socket
  }
  swarm.on('connection', (conn: SwarmConnection) => {
    const raw = conn.rawStream
    say({ event: 'connection', remoteHost: raw.remoteHost, remotePort: raw.remotePort })
    raw.on('remote-changed', () =>
      say({ event: 'remote-changed', remoteHost: raw.remoteHost, remotePort: raw.remotePort })
    )
    conn.on('error', () => {})
    conn.on('data', (data) => {
      if (options.role === 'server') conn.write(data)
      else say({ event: 'echo', bytes: data.byteLength })
    })
    if (options.role === 'client') conn.write(Buffer.from('hello'))
  })
  await swarm.dht.fullyBootstrapped()
  say({ event: 'bootstrapped', randomized: swarm.dht.randomized, firewalled: swarm.dht.firewalled })
  const discovery = swarm.join(Buffer.from(options.topic as string, 'hex'), {
    server: options.role === 'server',
    client: options.role === 'client'
  })
  say({ event: 'joining' })
  await discovery.flushed()
  say({ event: 'ready', randomized: swarm.dht.randomized })
}
