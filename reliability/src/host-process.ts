// Runs the host in a child process (host-worker.ts) and talks to it over IPC: its Server ID
// and public key, gate changes as they happen, and samples of its memory, handles and
// listeners. `kill()` is a SIGKILL, like a crash or a pulled plug.
//
//   const host = await HostProcess.start({ bootstrap, ollamaUrl, configDir, stallMs: 500 })
//   host.on('gate', (busy, at) => …)
//   const s = await host.sample()       // s.rss, s.handles, s.unhandledRejections …
//   host.kill()  |  await host.stop()
//
// The same configDir keeps the same Server ID and key pair across restarts.

import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import type { HostOptions } from '@localllm/host'

export interface WorkerSample {
  type: 'sample'
  rss: number
  /** The process's peak resident set size so far (getrusage maxrss). */
  peakRss: number
  heapUsed: number
  /** process.getActiveResourcesInfo(), counted by kind (TCPWrap, UDPWrap, Timeout, …). */
  handles: Record<string, number>
  listeners: { process: number; hostState: number }
  clients: number
  status: string
  unhandledRejections: number
  uncaughtExceptions: number
  firstError?: string
}

export type WorkerMessage =
  | { type: 'started'; serverId: string; publicKey: string }
  | { type: 'gate'; busy: boolean; at: number }
  | WorkerSample

export type HostProcessOptions = Omit<HostOptions, 'log'>

const WORKER = new URL('./host-worker.js', import.meta.url)

export class HostProcess extends EventEmitter<{
  gate: [busy: boolean, at: number]
  exit: [code: number | null, signal: string | null]
}> {
  readonly child: ChildProcess
  readonly serverId: string
  readonly publicKey: Uint8Array
  readonly startedAt: number
  #exited = false
  #lastSample: WorkerSample | undefined

  private constructor(child: ChildProcess, serverId: string, publicKey: string) {
    super()
    this.child = child
    this.serverId = serverId
    this.publicKey = Buffer.from(publicKey, 'hex')
    this.startedAt = Date.now()
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'gate') this.emit('gate', message.busy, message.at)
      if (message.type === 'sample') this.#lastSample = message
    })
    child.on('exit', (code, signal) => {
      this.#exited = true
      this.emit('exit', code, signal)
    })
  }

  static start(options: HostProcessOptions, timeoutMs = 20000): Promise<HostProcess> {
    const child = fork(WORKER, [JSON.stringify(options)], {
      // So a sample can collect garbage first and compare like with like.
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error('the host process did not start in time'))
      }, timeoutMs)
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'started') return
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(new HostProcess(child, message.serverId, message.publicKey))
      }
      const onExit = (code: number | null) => {
        clearTimeout(timer)
        reject(new Error(`the host process exited before starting (${code})`))
      }
      child.on('message', onMessage)
      child.on('exit', onExit)
    })
  }

  /** True once the process is gone (a crash, unless kill() or stop() did it). */
  get exited(): boolean {
    return this.#exited
  }

  /** The last sample received (stop() leaves the final one here). */
  get lastSample(): WorkerSample | undefined {
    return this.#lastSample
  }

  /** Its memory and handles now; after a full GC unless `gc` is false (which pauses it). */
  sample(timeoutMs = 5000, options: { gc?: boolean } = {}): Promise<WorkerSample> {
    return new Promise((resolve, reject) => {
      if (this.#exited) return reject(new Error('the host process has exited'))
      const timer = setTimeout(() => {
        this.child.off('message', onMessage)
        reject(new Error('no sample from the host process'))
      }, timeoutMs)
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'sample') return
        clearTimeout(timer)
        this.child.off('message', onMessage)
        resolve(message)
      }
      this.child.on('message', onMessage)
      this.child.send({ type: 'sample', gc: options.gc !== false })
    })
  }

  /** A graceful stop (clients get server_info 'stopped'); resolves when the process exited. */
  async stop(timeoutMs = 10000): Promise<void> {
    if (this.#exited) return
    const exited = new Promise<void>((resolve) => this.once('exit', () => resolve()))
    const timer = setTimeout(() => void this.kill(), timeoutMs)
    this.child.send({ type: 'stop' })
    await exited
    clearTimeout(timer)
  }

  /** SIGKILL: no goodbye to anyone. Resolves when the process is gone. */
  async kill(): Promise<void> {
    if (this.#exited) return
    const exited = new Promise<void>((resolve) => this.once('exit', () => resolve()))
    this.child.kill('SIGKILL')
    await exited
  }
}
