// The host side of a lab attempt: the Ollama stand-in and `localllm host --json` in a home
// site's namespace, with a config folder of its own (a new Server ID each time).
//
//   const host = await LabHost.start(lab, home, { relayKey, tokens: 50, tokensPerSecond: 50 })
//   host.serverId                  // for the phone
//   host.firstTokenAt('prompt 1')  // when the stand-in wrote that reply's first token (epoch ms)
//   await host.close()             // the processes die with the site; this removes the folder
//
// The stand-in paces token i of a reply at firstTokenAt + i / tokensPerSecond (no drift), so
// with its `first-token` line the lab knows when every token was due to leave it.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatBootstrap } from '@localllm/core'
import type { LabProcess } from './lab-process.js'
import type { NatLab, Site } from './nat-lab.js'

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
export const LOCALLLM = repo('apps/host/bin/localllm.js')
const STANDIN = repo('packages/ollama-standin/bin/localllm-standin.js')
const STANDIN_PORT = '11434'

export interface LabHostOptions {
  /** `localllm host --relay <key>`. */
  relayKey?: string | undefined
  /** Every reply: this many tokens at this pace (0: as fast as the host reads). */
  tokens?: number
  tokensPerSecond?: number
}

export class LabHost {
  readonly process: LabProcess
  readonly standin: LabProcess
  readonly serverId: string
  readonly tokensPerSecond: number
  readonly #configDir: string

  private constructor(
    process: LabProcess,
    standin: LabProcess,
    serverId: string,
    tokensPerSecond: number,
    configDir: string
  ) {
    this.process = process
    this.standin = standin
    this.serverId = serverId
    this.tokensPerSecond = tokensPerSecond
    this.#configDir = configDir
  }

  static async start(lab: NatLab, home: Site, options: LabHostOptions = {}): Promise<LabHost> {
    const tokensPerSecond = options.tokensPerSecond ?? 0
    const configDir = await mkdtemp(join(tmpdir(), 'natlab-host-'))
    try {
      const standin = home.peer.start(
        [
          process.execPath,
          STANDIN,
          '--port',
          STANDIN_PORT,
          '--json',
          '--reply',
          'A reply from the stand-in, through the NAT lab. ',
          '--tokens',
          String(options.tokens ?? 20),
          '--tokens-per-second',
          String(tokensPerSecond)
        ],
        { lifeMs: lab.lifeMs }
      )
      await standin.waitFor((e) => e.event === 'listening', 15_000)
      const host = home.peer.start(
        [
          process.execPath,
          LOCALLLM,
          'host',
          '--bootstrap',
          formatBootstrap(lab.bootstrap),
          '--ollama',
          `http://127.0.0.1:${STANDIN_PORT}`,
          '--json',
          '--config-dir',
          configDir,
          ...(options.relayKey ? ['--relay', options.relayKey] : [])
        ],
        { lifeMs: lab.lifeMs }
      )
      const started = await host.waitFor((e) => e.event === 'started', 30_000)
      return new LabHost(host, standin, String(started.server_id), tokensPerSecond, configDir)
    } catch (err) {
      await rm(configDir, { recursive: true, force: true })
      throw err
    }
  }

  /** When the stand-in wrote the first token of the reply to `prompt` (epoch ms), if it did. */
  firstTokenAt(prompt: string): number | undefined {
    for (const e of this.standin.events) {
      const record = e.request as { prompt?: string; firstTokenAt?: number } | undefined
      if (e.event === 'first-token' && record?.prompt === prompt) return record.firstTokenAt
    }
    return undefined
  }

  /** The path of the host's connection to its (only) device in the latest state that lists it. */
  pathNow(from = 0): 'direct' | 'relayed' | undefined {
    return devicePaths(this.process.events.slice(from)).at(-1)
  }

  /** The path in the first state that lists a device, from event `from` on. */
  firstPath(from = 0): 'direct' | 'relayed' | undefined {
    return devicePaths(this.process.events.slice(from))[0]
  }

  /** The most devices listed as connected at once in a state line, from event `from` on. */
  mostConnected(from = 0): number {
    let most = 0
    for (const e of this.process.events.slice(from)) {
      if (e.event === 'state' && Array.isArray(e.connected))
        most = Math.max(most, e.connected.length)
    }
    return most
  }

  async close(): Promise<void> {
    await rm(this.#configDir, { recursive: true, force: true })
  }
}

function devicePaths(events: LabProcess['events']): Array<'direct' | 'relayed'> {
  const paths: Array<'direct' | 'relayed'> = []
  for (const e of events) {
    if (e.event !== 'state' || !Array.isArray(e.connected)) continue
    const [device] = e.connected as Array<{ path?: string }>
    if (device) paths.push(device.path === 'relayed' ? 'relayed' : 'direct')
  }
  return paths
}
