// A LocalLLMHost in its own process, for harnesses that must measure, crash-check or SIGKILL
// the host without their own clients, stand-in and DHT in the numbers. Started by HostProcess
// (host-process.ts) with an IPC channel; never run by hand.
//
//   fork('host-worker.js', [JSON.stringify({ bootstrap, ollamaUrl, configDir, … })])
//   → { type: 'started', serverId, publicKey }, { type: 'gate', busy, at } on every change
//   ← { type: 'sample', gc? } → { type: 'sample', … }   ← { type: 'stop' } → exits 0
//
// Uncaught exceptions and unhandled rejections are counted, not fatal, so a run reports how
// many there were instead of dying at the first; either count above 0 fails the harness.

import { LocalLLMHost, createLogger, type HostOptions } from '@localllm/host'
import type { WorkerMessage, WorkerSample } from './host-process.js'

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<HostOptions, 'log'>
const counts = { unhandledRejections: 0, uncaughtExceptions: 0 }
let firstError: string | undefined

process.on('unhandledRejection', (reason) => {
  counts.unhandledRejections++
  firstError ??= `unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`
})
process.on('uncaughtException', (err) => {
  counts.uncaughtExceptions++
  firstError ??= `uncaughtException: ${err.stack ?? String(err)}`
})

const host = new LocalLLMHost({ ...options, log: createLogger({ level: 'silent' }) })
let busy = false
host.on('state', (state) => {
  const now = state.status === 'busy'
  if (now === busy) return
  busy = now
  send({ type: 'gate', busy, at: Date.now() })
})

process.on('message', (message: { type: string; gc?: boolean }) => {
  if (message.type === 'sample') send(sample(message.gc !== false))
  if (message.type === 'stop') {
    void host.stop().then(() => {
      send(sample())
      process.disconnect()
    })
  }
})
process.on('disconnect', () => process.exit(0))

await host.start()
const publicKey = host.publicKey ? Buffer.from(host.publicKey).toString('hex') : ''
send({ type: 'started', serverId: host.state.serverId ?? '', publicKey })

function sample(collect = true): WorkerSample {
  if (collect) (globalThis as { gc?: () => void }).gc?.()
  const handles: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) handles[name] = (handles[name] ?? 0) + 1
  const processListeners = process
    .eventNames()
    .reduce((sum, name) => sum + process.listenerCount(name), 0)
  return {
    type: 'sample',
    rss: process.memoryUsage().rss,
    peakRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: process.memoryUsage().heapUsed,
    handles,
    listeners: { process: processListeners, hostState: host.listenerCount('state') },
    clients: host.state.clients,
    status: host.state.status,
    ...counts,
    ...(firstError ? { firstError } : {})
  }
}

function send(message: WorkerMessage): void {
  process.send?.(message)
}
