// One process the NAT lab starts: bounded in time, in its own process group, and killed by
// PID when the lab ends, however it ends. Reads the child's stdout as JSON lines.
//
//   const dht = LabProcess.start(['node', 'dht-nodes.js'], { netns: ns.pid, lifeMs: 60_000 })
//   await dht.waitFor((e) => e.event === 'ready', 10_000)
//   await dht.stop()                          // SIGTERM the group, SIGKILL after a grace
//
// Every child runs under `timeout -s KILL` (its own deadline even if the lab dies) and is the
// leader of a new process group, so `kill(-pid)` reaches what it started too (`timeout`'s
// node child, nsenter's exec). The group id is the PID spawn() returned: no shell in between,
// so no `f &` subshell PID that is not the real process.

import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { Wakeup } from '@localllm/testing'

export interface LabEvent {
  event?: string
  /** ms since the lab process was spawned, stamped when the line arrived. */
  at: number
  /**
   * The same moment on the wall clock, epoch ms with a sub-ms fraction
   * (`performance.timeOrigin + performance.now()`, as the stand-in stamps its tokens).
   */
  wall: number
  [key: string]: unknown
}

export interface LabProcessOptions {
  /** PID whose network namespace the process runs in (`nsenter -t PID -n`). */
  netns?: number
  /** Hard deadline: `timeout -s KILL`. */
  lifeMs: number
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Keep stdin open as a pipe (the worklet reads commands from it). */
  stdin?: boolean
  /**
   * The command ends by itself within lifeMs (`sleep N`), so no `timeout` wrapper: the
   * spawned PID is then the command's own (a namespace holder's PID is what nsenter needs).
   */
  selfBounded?: boolean
}

const live = new Set<LabProcess>()
let reaperInstalled = false

export class LabProcess {
  readonly child: ChildProcess
  readonly pid: number
  readonly startedAt = Date.now()
  readonly events: LabEvent[] = []
  readonly lines: string[] = []
  stderr = ''
  #exited = false
  readonly #news = new Wakeup()
  readonly #exit: Promise<void>

  private constructor(child: ChildProcess) {
    this.child = child
    this.pid = child.pid as number
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line)
      const wall = wallClock()
      const at = Date.now() - this.startedAt
      try {
        const value = JSON.parse(line) as unknown
        if (value && typeof value === 'object') this.events.push({ ...value, at, wall })
      } catch {
        // Not JSON: kept in `lines` only.
      }
      this.#news.wake()
    })
    child.stderr?.on('data', (d: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d.toString()
    })
    this.#exit = new Promise((resolve) =>
      child.once('exit', () => {
        this.#exited = true
        live.delete(this)
        this.#news.wake()
        resolve()
      })
    )
  }

  static start(argv: string[], options: LabProcessOptions): LabProcess {
    installReaper()
    const seconds = Math.max(1, Math.ceil(options.lifeMs / 1000))
    const bounded = options.selfBounded ? argv : ['timeout', '-s', 'KILL', String(seconds), ...argv]
    const full = options.netns
      ? ['nsenter', '-t', String(options.netns), '-n', '--', ...bounded]
      : bounded
    const child = spawn(full[0] as string, full.slice(1), {
      detached: true,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {})
    })
    if (child.pid === undefined) throw new Error(`could not start ${argv.join(' ')}`)
    const proc = new LabProcess(child)
    live.add(proc)
    return proc
  }

  get exited(): boolean {
    return this.#exited
  }

  get exitCode(): number | null {
    return this.child.exitCode
  }

  /** The first event `match` accepts (from index `from` on), or an error after `timeoutMs`. */
  waitFor(match: (e: LabEvent) => boolean, timeoutMs: number, from = 0): Promise<LabEvent> {
    return this.#news.until(
      () => {
        const found = this.events.slice(from).find(match)
        if (found) return found
        if (this.#exited) throw new Error(`exited (${this.child.exitCode}) first: ${this.#tail()}`)
        return undefined
      },
      timeoutMs,
      () => new Error(`timed out after ${timeoutMs} ms: ${this.#tail()}`)
    )
  }

  /** Resolves when the process has exited, or false after `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))
    )
    const done = await Promise.race([this.#exit.then(() => true as const), late])
    clearTimeout(timer)
    return done
  }

  write(line: string): void {
    this.child.stdin?.write(line)
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader is gone. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.#exited) {
      signalGroup(this.pid, 'SIGTERM')
      if (!(await this.exitWithin(graceMs))) signalGroup(this.pid, 'SIGKILL')
      await this.#exit
    }
    signalGroup(this.pid, 'SIGKILL') // anything the leader left behind in its group
  }

  #tail(): string {
    const out = this.lines.slice(-5).join(' | ')
    return `${out}${this.stderr ? ` | stderr: ${this.stderr.slice(-800)}` : ''}`
  }
}

/** Epoch ms with a sub-ms fraction, comparable across the lab's processes. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now()
}

/** Kills every lab process still alive, at once (the lab is exiting). */
export function killAllLabProcesses(): void {
  for (const proc of live) signalGroup(proc.pid, 'SIGKILL')
  live.clear()
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is gone already.
  }
}

function installReaper(): void {
  if (reaperInstalled) return
  reaperInstalled = true
  process.once('exit', killAllLabProcesses)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllLabProcesses()
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
    })
  }
}
