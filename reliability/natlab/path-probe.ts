// Watches a product process's Hyperswarm from the inside, for the NAT lab: loaded with
// `node --import <this file>` into `localllm host` or `localllm chat`, it prints JSON lines
// (`"event":"probe"`) on stdout when the swarm joins a topic and when a connection opens or
// changes path. The product's code is not changed; nothing is printed unless this is loaded.
//
//   {"event":"probe","what":"connection","remoteHost":"11.0.0.10","remotePort":49737}
//   {"event":"probe","what":"remote-changed","remoteHost":"11.0.1.7","remotePort":40123}
//   {"event":"probe","what":"attempt-failed","code":"HOLEPUNCH_ABORTED"}   (hyperdht's code)
//
// The path: a relayed connection's UDX stream (`conn.rawStream`) is connected to the relay's
// address; when a later hole punch succeeds, hyperdht moves it to the peer's address
// (`changeRemote`) and the stream emits 'remote-changed'.

import { createRequire } from 'node:module'

interface RawStream {
  remoteHost: string | null
  remotePort: number
  on(event: 'remote-changed', listener: () => void): void
}
// Function-typed fields, not methods: they are taken off the prototype and called with
// the right `this` below.
interface SwarmPrototype {
  join: (this: SwarmPrototype, ...args: unknown[]) => unknown
  emit: (this: SwarmPrototype, name: string | symbol, ...args: unknown[]) => boolean
}

interface DHTPrototype {
  connect: (
    this: DHTPrototype,
    ...args: unknown[]
  ) => {
    on(event: 'error', listener: (err: Error & { code?: string }) => void): void
  }
}

const require = createRequire(import.meta.url)
const proto = (require('hyperswarm') as { prototype: SwarmPrototype }).prototype
const dhtProto = (require('hyperdht') as { prototype: DHTPrototype }).prototype
const say = (value: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ event: 'probe', ...value }) + '\n')

const join = proto.join
proto.join = function (this: SwarmPrototype, ...args: unknown[]) {
  say({ what: 'join' })
  return join.apply(this, args)
}

const emit = proto.emit
proto.emit = function (this: SwarmPrototype, name: string | symbol, ...args: unknown[]) {
  if (name === 'connection') {
    const raw = (args[0] as { rawStream: RawStream }).rawStream
    say({ what: 'connection', remoteHost: raw.remoteHost, remotePort: raw.remotePort })
    raw.on('remote-changed', () =>
      say({ what: 'remote-changed', remoteHost: raw.remoteHost, remotePort: raw.remotePort })
    )
  }
  return emit.call(this, name, ...args)
}

const connect = dhtProto.connect
dhtProto.connect = function (this: DHTPrototype, ...args: unknown[]) {
  const socket = connect.apply(this, args)
  socket.on('error', (err) => say({ what: 'attempt-failed', code: err.code ?? err.message }))
  return socket
}
