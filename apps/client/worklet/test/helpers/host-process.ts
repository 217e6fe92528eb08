// `localllm host` as its own process, so a test can SIGKILL it like a crash would.
//
//   const host = await HostProcess.start(['host', '--bootstrap', bs, '--ollama', url, '--json', '--config-dir', dir])
//   host.serverId; host.kill()

import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

const here = dirname(fileURLToPath(import.meta.url))
const LOCALLLM = join(here, '..', '..', '..', '..', '..', 'host', 'bin', 'localllm.js')

export class HostProcess {
  readonly child: ChildProcess
  readonly serverId: string

  private constructor(child: ChildProcess, serverId: string) {
    this.child = child
    this.serverId = serverId
  }

  static start(args: string[], timeoutMs = 15000): Promise<HostProcess> {
    const child = spawn(process.execPath, [LOCALLLM, ...args], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`host did not start: ${stderr}`))
      }, timeoutMs)
      const lines = createInterface({ input: child.stdout })
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event?: string; server_id?: string }
        if (event.event === 'started' && event.server_id) {
          clearTimeout(timer)
          resolve(new HostProcess(child, event.server_id))
        }
      })
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`host exited (${code}): ${stderr}`))
      })
    })
  }

  /** SIGKILL: no goodbye to clients, like a crash or a pulled plug. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}
