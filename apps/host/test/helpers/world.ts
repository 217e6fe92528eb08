// Everything a host test needs, real and wired together: a HyperDHT testnet on 127.0.0.1,
// the Ollama stand-in, and a LocalLLMHost with its own config folder, all torn down after.
//
//   const w = await startWorld(t, { standin: { reply: 'Hi there' } })
//   const c = await w.connect()
//   const reply = await c.chat('Hello')

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import createTestnet from 'hyperdht/testnet.js'
import type { BootstrapNode } from 'hyperdht'
import { OllamaStandin, type StandinOptions } from '@localllm/ollama-standin'
import { LocalLLMHost, type HostOptions } from '../../src/host.js'
import { createLogger } from '../../src/logger.js'
import { TestClient, type TestClientOptions } from './test-client.js'
import type { TestContext } from './brittle.js'

export interface World {
  bootstrap: BootstrapNode[]
  standin: OllamaStandin
  host: LocalLLMHost
  serverId: string
  configDir: string
  /** Every log line the host wrote, parsed. */
  logs: Array<Record<string, unknown>>
  connect(options?: Partial<TestClientOptions>): Promise<TestClient>
}

export interface WorldOptions {
  standin?: StandinOptions
  host?: Partial<HostOptions>
  /** Point the host at this URL instead of the stand-in. */
  ollamaUrl?: string
}

export async function startWorld(t: TestContext, options: WorldOptions = {}): Promise<World> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: Infinity })

  const standin = new OllamaStandin(options.standin ?? {})
  await standin.ready()
  t.teardown(() => standin.close(), { order: 100 })

  const configDir = await mkdtemp(join(tmpdir(), 'localllm-host-'))
  t.teardown(() => rm(configDir, { recursive: true, force: true }), { order: 200 })

  const logs: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>)
      done()
    }
  })
  const host = new LocalLLMHost({
    bootstrap: testnet.bootstrap,
    ollamaUrl: options.ollamaUrl ?? standin.url,
    configDir,
    log: createLogger({ level: 'debug', stream: sink }),
    ...options.host
  })
  await host.start()
  t.teardown(() => host.stop(), { order: 10 })

  const clients: TestClient[] = []
  t.teardown(() => Promise.all(clients.map((c) => c.close())), { order: 0 })

  return {
    bootstrap: testnet.bootstrap,
    standin,
    host,
    serverId: host.state.serverId as string,
    configDir,
    logs,
    async connect(clientOptions = {}) {
      const client = await TestClient.connect({
        bootstrap: testnet.bootstrap,
        serverId: host.state.serverId,
        ...clientOptions
      })
      clients.push(client)
      return client
    }
  }
}
