// A network namespace inside the lab's sealed one: an `unshare -n sleep N` process, reached
// with `nsenter -t PID -n`. No `ip netns`, no /run/netns: nothing outside the lab's own
// namespace is named or touched, and the namespace goes away when its processes do.
//
//   const ns = await NetNamespace.create(lifeMs)
//   ns.ip(['addr add 11.0.0.1/16 dev eth0', 'link set eth0 up'])   // one `ip -batch`
//   const p = ns.start(['node', 'peer.js'], { lifeMs })               // a LabProcess inside
//   await ns.close()                                                  // after its processes

import { execFileSync } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabProcess, type LabProcessOptions } from './lab-process.js'

export class NetNamespace {
  readonly #holder: LabProcess
  readonly #processes = new Set<LabProcess>()

  private constructor(holder: LabProcess) {
    this.#holder = holder
  }

  /** PID of the process that holds the namespace (for `ip link set … netns PID`). */
  get pid(): number {
    return this.#holder.pid
  }

  static async create(lifeMs: number): Promise<NetNamespace> {
    const seconds = String(Math.ceil(lifeMs / 1000))
    const holder = LabProcess.start(['unshare', '-n', 'sleep', seconds], {
      lifeMs,
      selfBounded: true
    })
    // unshare execs sleep once the namespace exists: wait until the PID is in another one.
    const own = readlinkSync('/proc/self/ns/net')
    for (let i = 0; i < 200; i++) {
      let theirs: string | undefined
      try {
        theirs = readlinkSync(`/proc/${holder.pid}/ns/net`)
      } catch {
        theirs = undefined
      }
      if (theirs && theirs !== own) {
        const ns = new NetNamespace(holder)
        ns.ip(['link set lo up'])
        return ns
      }
      if (holder.exited) break
      await sleep(10)
    }
    await holder.stop()
    throw new Error(`unshare -n did not make a namespace: ${holder.stderr}`)
  }

  /** Runs a command inside and returns its stdout; throws on a non-zero exit. */
  exec(argv: string[], input?: string): string {
    return execFileSync('nsenter', ['-t', String(this.pid), '-n', '--', ...argv], {
      encoding: 'utf8',
      timeout: 10_000,
      ...(input !== undefined ? { input } : {})
    })
  }

  /** `ip` commands, one per entry, in one `ip -batch` run. */
  ip(commands: string[]): void {
    this.exec(['ip', '-batch', '-'], commands.join('\n') + '\n')
  }

  /** Loads an nftables ruleset (`nft -f -`). */
  nft(ruleset: string): void {
    this.exec(['nft', '-f', '-'], ruleset)
  }

  /**
   * Sets a network sysctl of this namespace (/proc/sys/net is per namespace, seen from the
   * writer's). Written directly: the `sysctl` command (procps) is not on a minimal Debian.
   */
  sysctl(name: string, value: string): void {
    const path = `/proc/sys/${name.replaceAll('.', '/')}`
    this.exec(['sh', '-c', 'printf %s "$1" > "$2"', 'sh', value, path])
  }

  /** Starts a process inside; `close()` stops it. */
  start(argv: string[], options: Omit<LabProcessOptions, 'netns'>): LabProcess {
    const proc = LabProcess.start(argv, { ...options, netns: this.pid })
    this.#processes.add(proc)
    return proc
  }

  /** Stops every process started inside, then the holder: the namespace is gone. */
  async close(): Promise<void> {
    await Promise.all([...this.#processes].map((p) => p.stop()))
    this.#processes.clear()
    await this.#holder.stop(500)
  }
}
