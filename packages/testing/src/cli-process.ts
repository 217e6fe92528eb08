// A command-line program of ours (`localllm`, `localllm-standin`) run as a separate
// process, the way a user runs it, and what it prints, read line by line as it comes.
//
//   const host = spawnCli(t, ['host', '--json', '--bootstrap', bs])  // killed at teardown
//   const started = await host.waitForJson((e) => e.event === 'started')
//   host.signal('SIGINT'); const { code } = await host.exited(2000)
//   const help = await runCli(['--help'], { bin: STANDIN_BIN })     // short-lived commands
//
// Every child is SIGKILLed at teardown even when the test failed, and again when this
// process exits, so no test can leave a host or a testnet running.

import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Wakeup } from './wakeup.js'

/** `localllm` (apps/host/bin), found through the host package's main entry (dist/src/index.js). */
export const LOCALLLM_BIN = fileURLToPath(
  new URL('../../bin/localllm.js', import.meta.resolve('@localllm/host'))
)
/** `localllm-standin` (packages/ollama-standin/bin), found the same way. */
export const STANDIN_BIN = fileURLToPath(
  new URL('../../bin/localllm-standin.js', import.meta.resolve('@localllm/ollama-standin'))
)

/** What brittle's `t` offers that spawnCli needs. */
export interface Teardown {
  teardown(fn: () => unknown, options?: { order?: number }): void
}

export interface CliOptions {
  /** The program, a Node script; default `localllm`. */
  bin?: string
  /** Added to this process's environment; OLLAMA_HOST is dropped unless given here. */
  env?: NodeJS.ProcessEnv
  /** Written to its stdin, which then ends (default: no stdin at all). */
  stdin?: string
  /** Its working folder (default: this process's). */
  cwd?: string
}

export type JsonLine = Record<string, unknown>

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

export class CliProcess {
  readonly child: ChildProcess
  /** Every complete stdout line so far. */
  readonly lines: string[] = []
  stderr = ''
  #partial = ''
  #exit: Exit | undefined
  readonly #exited: Promise<Exit>
  readonly #news = new Wakeup()

  constructor(args: string[], options: CliOptions = {}) {
    const env = options.env ?? {}
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
    // The host must use what a test passes with --ollama, never the developer's Ollama.
    if (!('OLLAMA_HOST' in env)) delete childEnv.OLLAMA_HOST
    this.child = spawn(process.execPath, [options.bin ?? LOCALLLM_BIN, ...args], {
      env: childEnv,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    if (options.stdin !== undefined) this.child.stdin?.end(options.stdin)
    live.add(this.child)
    this.child.stdout?.setEncoding('utf8')
    this.child.stderr?.setEncoding('utf8')
    this.child.stdout?.on('data', (text: string) => {
      const parts = (this.#partial + text).split('\n')
      this.#partial = parts.pop() ?? ''
      this.lines.push(...parts)
      this.#news.wake()
    })
    this.child.stderr?.on('data', (text: string) => {
      this.stderr += text
    })
    this.#exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        live.delete(this.child)
        if (this.#partial) this.lines.push(this.#partial)
        this.#partial = ''
        this.#exit = { code, signal }
        this.#news.wake()
        resolve(this.#exit)
      })
    })
  }

  get pid(): number {
    return this.child.pid as number
  }

  get running(): boolean {
    return this.#exit === undefined
  }

  /** stdout so far. */
  get output(): string {
    return this.lines.join('\n')
  }

  /** The stdout lines that are JSON objects, parsed, in order. */
  json(): JsonLine[] {
    return this.lines.flatMap((line) => {
      const value = parseObject(line)
      return value ? [value] : []
    })
  }

  /** The first stdout line matching; rejects if the process exits or time runs out first. */
  async waitForLine(match: (line: string) => boolean, timeoutMs = 10000): Promise<string> {
    return this.#news.until(
      () => {
        const found = this.lines.find(match)
        if (found !== undefined) return found
        if (this.#exit) throw new Error(`exited (${describe(this.#exit)}) first${this.#printed()}`)
        return undefined
      },
      timeoutMs,
      () => new Error(`no such line within ${timeoutMs} ms${this.#printed()}`)
    )
  }

  /** The first JSON line matching. */
  async waitForJson(match: (line: JsonLine) => boolean, timeoutMs = 10000): Promise<JsonLine> {
    await this.waitForLine((line) => {
      const value = parseObject(line)
      return value !== undefined && match(value)
    }, timeoutMs)
    return this.json().find(match) as JsonLine
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal)
  }

  /** How it exited; rejects if it is still running after `timeoutMs`. */
  async exited(timeoutMs = 10000): Promise<Exit> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms${this.#printed()}`)),
        timeoutMs
      )
    })
    try {
      return await Promise.race([this.#exited, late])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Kills it if it is still running and waits until it is gone. Idempotent. */
  async stop(): Promise<void> {
    this.signal('SIGKILL')
    await this.#exited
  }

  #printed(): string {
    return `\n--- stdout ---\n${this.output}\n--- stderr ---\n${this.stderr}`
  }
}

/** Starts `localllm <args>` (or `options.bin`); killed at the test's teardown, before anything else. */
export function spawnCli(t: Teardown, args: string[], options: CliOptions = {}): CliProcess {
  const cli = new CliProcess(args, options)
  t.teardown(() => cli.stop(), { order: -100 })
  return cli
}

/** Runs a command that is expected to finish by itself (help, a bad flag). */
export async function runCli(
  args: string[],
  options: CliOptions & { timeoutMs?: number } = {}
): Promise<Exit & { stdout: string; stderr: string }> {
  const { timeoutMs = 10000, ...cliOptions } = options
  const cli = new CliProcess(args, cliOptions)
  try {
    const exit = await cli.exited(timeoutMs)
    return { ...exit, stdout: cli.output, stderr: cli.stderr }
  } finally {
    await cli.stop()
  }
}

function parseObject(line: string): JsonLine | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    return JSON.parse(line) as JsonLine
  } catch {
    return undefined
  }
}

function describe(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`
}
