// A scripted stand-in for a LocalLLM host, for the core package's own tests: a HyperDHT
// server on a testnet that speaks the wire protocol as the test says. The real host lives in
// apps/host, which core must not depend on.
//
//   const net = await localTestnet(t)
//   const host = await FakeHost.start(net, (peer, hello) => peer.send(serverInfo()))
//   host.peers[0].received            // every message a client sent

import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import DHT, { type DHTOptions, type KeyPair, type NoiseStream, type Server } from 'hyperdht'
import {
  EXAMPLES,
  NdjsonDecoder,
  encodeLine,
  formatPairingCode,
  type ServerInfoPayload
} from '@localllm/protocol'
import { generateAccessSecret } from '@localllm/protocol/capability'
import { TESTNET_SIZE } from '../../src/swarm.js'

export async function localTestnet(t: TestContext): Promise<Testnet> {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: 100 })
  return testnet
}

export interface FakePeer {
  stream: NoiseStream
  received: Record<string, unknown>[]
  send(message: unknown): void
  end(): void
}

export type Script = (peer: FakePeer, message: Record<string, unknown>) => void

export function serverInfo(changes: Partial<ServerInfoPayload> = {}): unknown {
  return { type: 'server_info', payload: { ...EXAMPLES.server_info.payload, ...changes } }
}

export class FakeHost {
  readonly keyPair: KeyPair
  readonly secret: Uint8Array
  readonly code: string
  readonly peers: FakePeer[] = []
  readonly #dht: DHT
  #server: Server | undefined

  private constructor(dht: DHT, keyPair: KeyPair) {
    this.#dht = dht
    this.keyPair = keyPair
    this.secret = generateAccessSecret()
    this.code = formatPairingCode(keyPair.publicKey, this.secret)
  }

  /** Listens on a new key (or the given one); `script` answers every message a client sends. */
  static async start(
    t: TestContext,
    testnet: Testnet,
    script: Script,
    keyPair: KeyPair = DHT.keyPair(),
    options: { dht?: DHTOptions; server?: object } = {}
  ): Promise<FakeHost> {
    const dht = new DHT({ ...options.dht, bootstrap: testnet.bootstrap })
    const host = new FakeHost(dht, keyPair)
    await host.listen(script, options.server)
    t.teardown(() => host.close(), { order: 50 })
    return host
  }

  async listen(script: Script, serverOptions: object = {}): Promise<void> {
    const server = (this.#server = this.#dht.createServer(serverOptions))
    server.on('connection', (stream) => {
      const decoder = new NdjsonDecoder()
      const peer: FakePeer = {
        stream,
        received: [],
        send: (message) => stream.write(encodeLine(message)),
        end: () => stream.end()
      }
      this.peers.push(peer)
      stream.setKeepAlive(1500)
      stream.on('error', () => {})
      stream.on('end', () => stream.end())
      stream.on('data', (data) => {
        for (const frame of decoder.push(data)) {
          if (!frame.ok) continue
          const message = frame.value as Record<string, unknown>
          peer.received.push(message)
          script(peer, message)
        }
      })
    })
    await server.listen(this.keyPair)
  }

  /** Stops listening and drops every connection (the host went away). */
  async stop(): Promise<void> {
    for (const peer of this.peers) peer.stream.destroy()
    await this.#server?.close()
    this.#server = undefined
  }

  async close(): Promise<void> {
    await this.stop()
    await this.#dht.destroy()
  }
}
