// A peer that tries to pass for a host: it listens on the DHT with a key pair of its own,
// and, given the host's key (any holder of the pairing code has it), announces itself on the
// DHT under that key too, hoping to catch clients that dial it. It answers every hello with
// a forged server_info and counts what reaches it, so a test can check that nothing did.
//
//   const fake = await Impostor.start({ bootstrap, hostKey })
//   …; fake.connections === 0; fake.prompts === 0; await fake.close()

import { EXAMPLES, NdjsonDecoder, encodeLine } from '@localllm/protocol'
import { createSwarm } from '@localllm/core'
import DHT, { type BootstrapNode } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import b4a from 'b4a'
import sodium from 'sodium-universal'

export interface ImpostorOptions {
  bootstrap: BootstrapNode[]
  /** The real host's key: announced under as well, as a topic. */
  hostKey?: Uint8Array
  /** What to answer a hello with; default: a forged server_info. */
  reply?: (hello: Record<string, unknown>) => unknown
}

const FORGED = {
  ...EXAMPLES.server_info,
  payload: { ...EXAMPLES.server_info.payload, host_name: 'Not really the host' }
}
// Enough to see what arrived; bounded, since a fuzz run may send millions of lines.
const MAX_RECORDED = 10_000

export class Impostor {
  readonly swarm: Hyperswarm
  /** The `type` of every line received (the first 10,000). */
  readonly received: string[] = []
  connections = 0
  hellos = 0
  prompts = 0

  private constructor(swarm: Hyperswarm) {
    this.swarm = swarm
  }

  get publicKey(): Uint8Array {
    return this.swarm.keyPair.publicKey
  }

  static async start(options: ImpostorOptions): Promise<Impostor> {
    const swarm = createSwarm({ bootstrap: options.bootstrap, keyPair: DHT.keyPair() })
    const impostor = new Impostor(swarm)
    const reply = options.reply ?? (() => FORGED)
    swarm.on('connection', (stream) => {
      impostor.connections++
      const decoder = new NdjsonDecoder()
      stream.on('error', () => {})
      stream.on('data', (data) => {
        for (const frame of decoder.push(data)) {
          if (!frame.ok) continue
          const message = frame.value as Record<string, unknown>
          const type = typeof message.type === 'string' ? message.type : '?'
          if (impostor.received.length < MAX_RECORDED) impostor.received.push(type)
          if (type === 'hello') {
            impostor.hellos++
            stream.write(encodeLine(reply(message)))
          }
          if (type === 'chat_start') impostor.prompts++
        }
      })
    })
    await swarm.listen()
    if (options.hostKey) {
      // The DHT target a client's dial looks up: BLAKE2b-256 of the host's key.
      const target = b4a.alloc(32)
      sodium.crypto_generichash(target, options.hostKey)
      await swarm.join(target, { server: true, client: false }).flushed()
    }
    return impostor
  }

  async close(): Promise<void> {
    await this.swarm.destroy()
  }
}
