// Everything a host test needs, real and wired together (startLocalSystem from
// @localllm/testing), with the host's log lines captured and every client closed at teardown.
//
//   const w = await startWorld(t, { standin: { reply: 'Hi there' } })
//   const c = await w.connect()                 // a new device, paired with the current code
//   const reply = await c.chat('Hello')
//   await w.connect({ keyPair: c.keyPair })     // the same device again

import { Writable } from 'node:stream'
import type { BootstrapNode } from 'hyperdht'
import type { OllamaStandin, StandinOptions } from '@localllm/ollama-standin'
import type { HostOptions, LocalLLMHost } from '../../src/host.js'
import { createLogger } from '../../src/logger.js'
import { WirePeer, startLocalSystem, type JoinOptions } from '@localllm/testing'

export interface World {
  bootstrap: BootstrapNode[]
  standin: OllamaStandin
  host: LocalLLMHost
  /** The pairing code when the world started. */
  serverId: string
  hostKey: Uint8Array
  configDir: string
  /** Every log line the host wrote, parsed. */
  logs: Array<Record<string, unknown>>
  connect(options?: Partial<JoinOptions>): Promise<WirePeer>
}

export interface WorldOptions {
  standin?: StandinOptions
  host?: Partial<HostOptions>
  /** Point the host at this URL instead of the stand-in. */
  ollamaUrl?: string
}

export async function startWorld(t: TestContext, options: WorldOptions = {}): Promise<World> {
  const logs: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>)
      }
      done()
    }
  })
  const system = await startLocalSystem({
    ...options,
    log: createLogger({ level: 'debug', stream: sink })
  })
  t.teardown(() => system.close(), { order: 10 })

  const clients: WirePeer[] = []
  t.teardown(() => Promise.all(clients.map((c) => c.close())), { order: 0 })

  return {
    bootstrap: system.bootstrap,
    standin: system.standin,
    host: system.host,
    serverId: system.serverId,
    hostKey: system.hostKey as Uint8Array,
    configDir: system.configDir,
    logs,
    async connect(clientOptions = {}) {
      const client = await WirePeer.join({
        bootstrap: system.bootstrap,
        code: system.host.state.serverId,
        ...clientOptions
      })
      clients.push(client)
      return client
    }
  }
}
