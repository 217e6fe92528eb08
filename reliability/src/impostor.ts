// A peer that announces a host's topic without its secret (what any DHT node that stored the
// topic could do), answers every hello with a forged server_info, and counts the prompts it
// gets, which must stay 0.
//
//   const fake = await Impostor.start(bootstrap, topic)
//   …; fake.prompts === 0; await fake.close()

import { EXAMPLES, NdjsonDecoder, encodeLine } from '@localllm/protocol'
import { createSwarm } from '@localllm/core'
import type { BootstrapNode } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'

export class Impostor {
  readonly swarm: Hyperswarm
  connections = 0
  hellos = 0
  prompts = 0

  private constructor(swarm: Hyperswarm) {
    this.swarm = swarm
  }

  static async start(bootstrap: BootstrapNode[], topic: Uint8Array): Promise<Impostor> {
    const swarm = createSwarm({ bootstrap })
    const impostor = new Impostor(swarm)
    const forged = encodeLine({
      ...EXAMPLES.server_info,
      payload: { ...EXAMPLES.server_info.payload, host_name: 'Not really the host' }
    })
    swarm.on('connection', (stream) => {
      impostor.connections++
      const decoder = new NdjsonDecoder()
      stream.on('error', () => {})
      stream.on('data', (data) => {
        for (const frame of decoder.push(data)) {
          if (!frame.ok) continue
          const type = (frame.value as { type?: unknown }).type
          if (type === 'hello') {
            impostor.hellos++
            stream.write(forged)
          }
          if (type === 'chat_start') impostor.prompts++
        }
      })
    })
    await swarm.join(topic, { server: true, client: false }).flushed()
    return impostor
  }

  async close(): Promise<void> {
    await this.swarm.destroy()
  }
}
