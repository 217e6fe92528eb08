// `localllm host` as its own process, for tests and benchmarks that need the host's own
// memory and CPU, or to SIGKILL it like a crash would.
//
//   const host = await startHostCli({ bootstrap, ollamaUrl, configDir })
//   host.serverId; host.pid; host.kill(); await host.close()

import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import type { BootstrapNode } from 'hyperdht'
import { formatBootstrap } from '@localllm/core'

const LOCALLLM = fileURLToPath(new URL('../../bin/localllm.js', import.meta.url))

export interface HostCliOptions {
  bootstrap: BootstrapNode[]
  ollamaUrl: string
  /** The same folder keeps the same Server ID across restarts. */
  configDir: string
  /** The display name clients see (`--name`). */
  name?: string
  timeoutMs?: number
}

export interface HostCli {
  readonly child: ChildProcess
  readonly serverId: string
  readonly pid: number
  /** SIGKILL: no goodbye to clients, like a crash or a pulled plug. */
  kill(): void
  /** SIGTERM, and wait for the exit (clients are told the host stopped). */
  close(): Promise<void>
}

export function startHostCli(options: HostCliOptions): Promise<HostCli> {
  const args = [
    'host',
    '--bootstrap',
    formatBootstrap(options.bootstrap),
    '--ollama',
    options.ollamaUrl,
    ...(options.name ? ['--name', options.name] : [])
  ]
  const child = spawn(
    process.execPath,
    [LOCALLLM, ...args, '--json', '--config-dir', options.configDir],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const alive = () => child.exitCode === null && child.signalCode === null
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the host did not start: ${stderr}`))
    }, options.timeoutMs ?? 15000)
    // Every line is read, so the child never blocks on a full pipe.
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: { event?: string; server_id?: string }
      try {
        event = JSON.parse(line) as typeof event
      } catch {
        return
      }
      if (event.event !== 'started' || !event.server_id) return
      clearTimeout(timer)
      resolve({
        child,
        serverId: event.server_id,
        pid: child.pid as number,
        kill: () => {
          if (alive()) child.kill('SIGKILL')
        },
        close: async () => {
          if (!alive()) return
          const exited = once(child, 'exit')
          child.kill('SIGTERM')
          await exited
        }
      })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the host exited (${code}) before it started: ${stderr}`))
    })
  })
}
