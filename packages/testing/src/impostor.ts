// A peer that announces a host's topic without knowing its secret (what any DHT node that
// stored the topic could do), answers every hello with a forged server_info, and counts what
// reaches it, so a test can check that no prompt ever did.
//
//   const fake = await Impostor.start({ bootstrap, topic })
//   …; fake.prompts === 0; await fake.close()

import { EXAMPLES, NdjsonDecoder, encodeLine } from '@localllm/protocol'
import { createSwarm } from '@localllm/core'
import type { BootstrapNode } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'

export interface ImpostorOptions {
  bootstrap: BootstrapNode[]
  topic: Uint8Array
  /** What to answer a hello with; default: a server_info with a made-up host_proof. */
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

  static async start(options: ImpostorOptions): Promise<Impostor> {
    const swarm = createSwarm({ bootstrap: options.bootstrap })
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
    await swarm.join(options.topic, { server: true, client: false }).flushed()
    return impostor
  }

  async close(): Promise<void> {
    await this.swarm.destroy()
  }
}
