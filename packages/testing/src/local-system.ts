// A whole local system for tests, demos and benchmarks, in one call: a HyperDHT testnet on
// 127.0.0.1, the Ollama stand-in (or a given Ollama URL) and a running LocalLLMHost with its
// own temporary config folder. `close()` takes it all down in reverse order.
//
//   const sys = await startLocalSystem({ standin: { reply: 'Hi' } })
//   const session = new ClientSession({ code: sys.serverId, bootstrap: sys.bootstrap })
//   …
//   await sys.close()

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import type { BootstrapNode } from 'hyperdht'
import { TESTNET_SIZE } from '@localllm/core'
import { OllamaStandin, type StandinOptions } from '@localllm/ollama-standin'
import { LocalLLMHost, createLogger, type HostOptions, type Logger } from '@localllm/host'

export interface LocalSystem {
  bootstrap: BootstrapNode[]
  testnet: Testnet
  standin: OllamaStandin
  /** The in-process host (not started when `withHost` is false). */
  host: LocalLLMHost
  /** The pairing code when the system started (it changes when a device is removed). */
  serverId: string
  /** The host's public key (undefined when the host was not started). */
  hostKey: Uint8Array | undefined
  configDir: string
  /** Stops the host, the stand-in and the testnet, and removes the config folder. */
  close(): Promise<void>
}

export interface LocalSystemOptions {
  standin?: StandinOptions
  host?: Partial<HostOptions>
  /** Use this Ollama instead of the stand-in (which still starts, unused). */
  ollamaUrl?: string
  log?: Logger
  /** false: do not start the host (a test runs its own, e.g. as a separate process). */
  withHost?: boolean
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const steps: Array<() => Promise<void>> = []
  const close = async () => {
    for (const step of steps.reverse()) await step().catch(() => {})
  }
  try {
    const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
    steps.push(() => testnet.destroy())
    const standin = new OllamaStandin(options.standin ?? {})
    await standin.ready()
    steps.push(() => standin.close())
    const configDir = await mkdtemp(join(tmpdir(), 'localllm-host-'))
    steps.push(() => rm(configDir, { recursive: true, force: true }))
    const host = new LocalLLMHost({
      bootstrap: testnet.bootstrap,
      ollamaUrl: options.ollamaUrl ?? standin.url,
      configDir,
      log: options.log ?? createLogger({ level: 'silent' }),
      ...options.host
    })
    if (options.withHost !== false) {
      await host.start()
      steps.push(() => host.stop())
    }
    return {
      bootstrap: testnet.bootstrap,
      testnet,
      standin,
      host,
      serverId: host.state.serverId ?? '',
      hostKey: host.publicKey,
      configDir,
      close
    }
  } catch (err) {
    await close()
    throw err
  }
}
