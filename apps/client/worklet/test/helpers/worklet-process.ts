// The worklet running for real: the `bare` binary with bin/stdio.js, commands written to its
// stdin and events read from its stdout, as the app would over bare-kit's IPC.
//
//   const w = await WorkletProcess.start()
//   w.send({ cmd: 'connect', server_id, bootstrap })
//   await w.waitFor((e) => e.event === 'status' && e.status === 'connected')

import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as v from 'valibot'
import { Wakeup } from '@localllm/testing'
import {
  EventDecoder,
  EventSchema,
  encodeIpc,
  type Command,
  type WorkletEvent
} from '../../src/ipc.js'

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = join(here, '..', '..', '..')
const repoRoot = join(packageDir, '..', '..', '..')
const BARE = join(repoRoot, 'node_modules', '.bin', 'bare')

export class WorkletProcess {
  readonly events: WorkletEvent[] = []
  /** Events that do not match the documented IPC schema (must stay empty). */
  readonly invalid: unknown[] = []
  readonly child: ChildProcess
  stderr = ''
  #exit: Promise<number | null>
  readonly #news = new Wakeup()

  private constructor(child: ChildProcess) {
    this.child = child
    const decoder = new EventDecoder()
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (!v.safeParse(EventSchema, event).success) this.invalid.push(event)
        this.events.push(event)
      }
      this.#news.wake()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    this.#exit = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.#news.wake()
        resolve(code)
      })
    )
  }

  static async start(): Promise<WorkletProcess> {
    const child = spawn(BARE, [join(packageDir, 'bin', 'stdio.js')], {
      cwd: packageDir,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const worklet = new WorkletProcess(child)
    await worklet.waitFor((e) => e.event === 'ready', 10000)
    return worklet
  }

  send(command: Command | Record<string, unknown>): void {
    this.child.stdin?.write(encodeIpc(command as Command))
  }

  sendRaw(text: string): void {
    this.child.stdin?.write(text)
  }

  async waitFor(
    match: (e: WorkletEvent) => boolean,
    timeoutMs = 15000,
    from = 0
  ): Promise<WorkletEvent> {
    return this.#news.until(
      () => {
        const found = this.events.slice(from).find(match)
        if (found) return found
        if (this.child.exitCode !== null)
          throw new Error(`worklet exited (${this.child.exitCode}): ${this.stderr}`)
        return undefined
      },
      timeoutMs,
      () =>
        new Error(
          `timed out; events: ${this.events.map((e) => e.event + ('status' in e ? `:${e.status}` : '') + ('code' in e ? `:${e.code}` : '')).join(' ')}`
        )
    )
  }

  /** Sends a prompt and collects its chunks and its one terminal event. */
  async chat(
    refId: string,
    prompt: string,
    timeoutMs = 20000
  ): Promise<{ text: string; chunks: number; terminal: WorkletEvent }> {
    const from = this.events.length
    this.send({ cmd: 'send', ref: refId, prompt })
    const terminal = await this.waitFor(
      (e) => (e.event === 'end' || e.event === 'error') && 'ref' in e && e.ref === refId,
      timeoutMs,
      from
    )
    const chunks = this.events.slice(from).filter((e) => e.event === 'chunk' && e.ref === refId)
    return {
      text: chunks.map((e) => (e.event === 'chunk' ? e.text : '')).join(''),
      chunks: chunks.length,
      terminal
    }
  }

  /** Closes stdin (the app going away) and waits for the worklet to exit. */
  async stop(timeoutMs = 5000): Promise<number | null> {
    this.child.stdin?.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    const code = await this.#exit
    clearTimeout(timer)
    return code
  }
}
