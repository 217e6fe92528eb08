// A blind relay on the DHT, as `localllm relay` runs it: hosts and phones that cannot punch
// through their NATs pair their streams here (hyperswarm `relayThrough`), and it forwards
// packets it cannot read (the Noise session is end to end). Built like `pear blind-relay`:
// a blind-relay Server whose streams are the DHT's raw UDX streams, behind a DHT server.
//
//   const relay = new LocalLLMRelay({ bootstrap: 'public', seed })
//   await relay.start()          // relay.publicKey is what hosts pass to --relay
//   relay.stats                  // sessions, pairings, streams (blind-relay's counters)
//   await relay.stop()
//
// Its node starts as not firewalled: a relay is only useful on a public address, and on a
// network without latency hyperdht would wrongly guess a public node is firewalled.

import DHT, { type DHTServer } from 'hyperdht'
import { Server as RelayServer, type RelayStats } from 'blind-relay'
import type { Bootstrap } from '@localllm/core'

export interface RelayOptions {
  bootstrap: Bootstrap
  /** 32 bytes; the same seed gives the same public key. */
  seed: Uint8Array
  /** UDP port to bind (a fixed one is easier to open in a firewall); default hyperdht's. */
  port?: number
}

export class LocalLLMRelay {
  readonly #options: RelayOptions
  readonly #keyPair
  #dht: DHT | undefined
  #relay: RelayServer | undefined
  #server: DHTServer | undefined
  #started = false
  #stopped = false

  constructor(options: RelayOptions) {
    this.#options = options
    this.#keyPair = DHT.keyPair(options.seed)
  }

  get publicKey(): Uint8Array {
    return this.#keyPair.publicKey
  }

  /** The address its DHT socket is bound to (after start). */
  get port(): number | undefined {
    return this.#dht?.address().port
  }

  get stats(): RelayStats | undefined {
    return this.#relay?.stats
  }

  async start(): Promise<void> {
    if (this.#started) return
    this.#started = true
    const { bootstrap, port } = this.#options
    const dht = (this.#dht = new DHT({
      ...(bootstrap === 'public' ? {} : { bootstrap }),
      ...(port !== undefined ? { port } : {}),
      firewalled: false
    }))
    const relay = (this.#relay = new RelayServer({
      createStream: (opts) => dht.createRawStream({ ...opts, framed: true })
    }))
    this.#server = dht.createServer((socket) => {
      // A peer that vanishes mid-stream is normal here, not a crash.
      socket.on('error', () => {})
      relay.accept(socket, { id: socket.remotePublicKey }).on('error', () => {})
    })
    await this.#server.listen(this.#keyPair)
  }

  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    await this.#server?.close()
    await this.#relay?.close()
    await this.#dht?.destroy()
  }
}
