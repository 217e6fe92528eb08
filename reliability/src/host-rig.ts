// What every harness stands on: a HyperDHT testnet on 127.0.0.1 and the Ollama stand-in in
// this process, the host in its own (HostProcess), and a DHT node for protocol-level peers.
// `close()` takes it down in reverse order.
//
//   const rig = await startRig({ standin: { reply: 'Hi' }, host: { stallMs: 500 } })
//   const peer = await WirePeer.connect(rig.dht, rig.host.publicKey, { secret: rig.secret })
//   await rig.host.kill(); await rig.startHost()   // SIGKILL, then the same identity again
//   await rig.restartStandin()                     // killed and back on the same port
//   await rig.close()

import DHT, { type BootstrapNode } from 'hyperdht'
import { parsePairingCode } from '@localllm/protocol'
import { startLocalSystem } from '@localllm/testing'
import { OllamaStandin, type StandinOptions } from '@localllm/ollama-standin'
import { HostProcess, type HostProcessOptions } from './host-process.js'

export interface Rig {
  bootstrap: BootstrapNode[]
  standin: OllamaStandin
  host: HostProcess
  /** The pairing code the host printed. */
  serverId: string
  /** Its access secret: WirePeers with it pair as new devices. */
  secret: Uint8Array
  /** A DHT node for WirePeers (each connection still gets its own key pair). */
  dht: DHT
  /** Starts the host process again on the same config (after kill() or a crash). */
  startHost(): Promise<HostProcess>
  /**
   * Kills the stand-in (open responses are cut) and starts a fresh one on the same port after
   * `downMs`; returns the old one, whose request log is still readable.
   */
  restartStandin(downMs?: number): Promise<OllamaStandin>
  close(): Promise<void>
}

export interface RigOptions {
  standin?: StandinOptions
  host?: Partial<HostProcessOptions>
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const system = await startLocalSystem({ withHost: false, standin: options.standin ?? {} })
  const hostOptions: HostProcessOptions = {
    bootstrap: system.bootstrap,
    ollamaUrl: system.standin.url,
    configDir: system.configDir,
    ...options.host
  }
  let dht: DHT | undefined
  let host: HostProcess | undefined
  try {
    host = await HostProcess.start(hostOptions)
    dht = new DHT({ bootstrap: system.bootstrap, firewalled: false })
    await dht.fullyBootstrapped()
  } catch (err) {
    await host?.kill()
    await dht?.destroy()
    await system.close()
    throw err
  }
  const replaced: OllamaStandin[] = []
  const parsed = parsePairingCode(host.serverId)
  if (!parsed.ok) throw new Error(`the host printed an invalid Server ID: ${host.serverId}`)
  const rig: Rig = {
    bootstrap: system.bootstrap,
    standin: system.standin,
    host,
    serverId: host.serverId,
    secret: parsed.secret,
    dht,
    async startHost() {
      rig.host = await HostProcess.start(hostOptions)
      return rig.host
    },
    async restartStandin(downMs = 0) {
      const port = rig.standin.port
      await rig.standin.close()
      if (downMs > 0) await new Promise<void>((resolve) => setTimeout(() => resolve(), downMs))
      const old = rig.standin
      const next = new OllamaStandin({ ...options.standin, port })
      await next.ready()
      rig.standin = next
      if (old !== system.standin) replaced.push(old)
      return old
    },
    async close() {
      await rig.host.stop().catch(() => rig.host.kill())
      await rig.dht.destroy()
      if (rig.standin !== system.standin) await rig.standin.close()
      for (const old of replaced) await old.close()
      await system.close()
    }
  }
  return rig
}
