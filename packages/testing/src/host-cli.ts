// `localllm host` as its own process, started and ready, for tests and benchmarks that need
// the host's own memory and CPU, or to SIGKILL it like a crash would. A CliProcess that
// resolves once the host printed its Server ID.
//
//   const host = await startHostCli({ bootstrap, ollamaUrl, configDir })
//   host.serverId; host.pid; host.kill(); await host.close()

import type { ChildProcess } from 'node:child_process'
import type { BootstrapNode } from 'hyperdht'
import { formatBootstrap } from '@localllm/core'
import { CliProcess, type JsonLine } from './cli-process.js'

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
  /** SIGTERM, and wait for the exit (clients are told the host stopped); SIGKILL after 15 s. */
  close(): Promise<void>
}

export async function startHostCli(options: HostCliOptions): Promise<HostCli> {
  const cli = new CliProcess([
    'host',
    '--bootstrap',
    formatBootstrap(options.bootstrap),
    '--ollama',
    options.ollamaUrl,
    ...(options.name ? ['--name', options.name] : []),
    '--json',
    '--config-dir',
    options.configDir
  ])
  let started: JsonLine
  try {
    started = await cli.waitForJson((e) => e.event === 'started', options.timeoutMs ?? 15000)
  } catch (err) {
    await cli.stop()
    throw new Error(`the host did not start: ${(err as Error).message}`, { cause: err })
  }
  return {
    child: cli.child,
    serverId: String(started.server_id),
    pid: cli.pid,
    kill: () => cli.signal('SIGKILL'),
    close: async () => {
      cli.signal('SIGTERM')
      await cli.exited(15000).catch(() => cli.stop())
    }
  }
}
