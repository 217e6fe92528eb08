// A peer that announces a host's topic without knowing its secret (what any DHT node that
// stored the topic could do), answers every hello with a forged server_info, and records
// every line it receives, so a test can check that no prompt ever reached it.
//
//   const fake = await Impostor.start({ bootstrap, topic })
//   …; t.absent(fake.received.some((m) => m.type === 'chat_start'))

import b4a from 'b4a'
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

export class Impostor {
  readonly swarm: Hyperswarm
  readonly received: Array<Record<string, unknown>> = []
  connections = 0

  private constructor(swarm: Hyperswarm) {
    this.swarm = swarm
  }

  static async start(options: ImpostorOptions): Promise<Impostor> {
    const swarm = createSwarm({ bootstrap: options.bootstrap })
    const impostor = new Impostor(swarm)
    const reply =
      options.reply ??
      (() => ({
        ...EXAMPLES.server_info,
        payload: { ...EXAMPLES.server_info.payload, host_name: 'Not really the host' }
      }))
    swarm.on('connection', (stream) => {
      impostor.connections++
      const decoder = new NdjsonDecoder()
      stream.on('error', () => {})
      stream.on('data', (data) => {
        for (const frame of decoder.push(data)) {
          if (!frame.ok) continue
          const message = frame.value as Record<string, unknown>
          impostor.received.push(message)
          if (message.type === 'hello') stream.write(encodeLine(reply(message)))
        }
      })
    })
    await swarm.join(options.topic, { server: true, client: false }).flushed()
    return impostor
  }

  get prompts(): number {
    return this.received.filter((m) => m.type === 'chat_start').length
  }

  async close(): Promise<void> {
    await this.swarm.destroy()
  }
}

export function hex(bytes: Uint8Array): string {
  return b4a.toString(bytes, 'hex')
}
