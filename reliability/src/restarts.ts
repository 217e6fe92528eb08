// Host restarts: the host process is SIGKILLed and started again (same Server ID and key
// pair) while real clients (ClientSession) are connected, over and over. Every client must
// reconnect on its own; the report gives the reconnect times, measured from the moment the
// new host process announced itself and from the kill.
//
//   node reliability/dist/src/restarts.js            # 20 restarts, 5 clients
//   const report = await hostRestarts({ restarts: 2, clients: 5 })

import { ClientSession } from '@localllm/core'
import { Wakeup } from '@localllm/testing'
import { startRig } from './host-rig.js'
import { isMain, runCommand } from './cli-entry.js'

export interface RestartsOptions {
  restarts: number
  clients?: number
  /** Give up on a client reconnecting after this long. */
  reconnectTimeoutMs?: number
}

export interface RestartsReport {
  restarts: number
  clients: number
  /** Per client and restart: ms from the new host's start to the client being connected. */
  sinceStartMs: number[]
  /** The same, from the SIGKILL. */
  sinceKillMs: number[]
  /** Clients that did not reconnect in time (must be 0). */
  missed: number
  /** After the last restart, each client's prompt was answered. */
  answeredAfter: number
  seconds: number
  violations: string[]
}

export async function hostRestarts(options: RestartsOptions): Promise<RestartsReport> {
  const clients = options.clients ?? 5
  const timeoutMs = options.reconnectTimeoutMs ?? 30000
  const rig = await startRig({ standin: { reply: 'Back again.' } })
  const started = Date.now()
  const report: RestartsReport = {
    restarts: 0,
    clients,
    sinceStartMs: [],
    sinceKillMs: [],
    missed: 0,
    answeredAfter: 0,
    seconds: 0,
    violations: []
  }
  const sessions = Array.from(
    { length: clients },
    () => new ClientSession({ code: rig.serverId, bootstrap: rig.bootstrap })
  )
  const connectedAt = sessions.map(() => 0)
  const statusChanged = new Wakeup()
  sessions.forEach((session, i) =>
    session.on('status', (status) => {
      if (status === 'connected') connectedAt[i] = Date.now()
      statusChanged.wake()
    })
  )
  /** Resolves once every session connected after `since`, or after `timeoutMs` (counted as missed). */
  const allConnected = (since: number) =>
    statusChanged
      .until(
        () =>
          connectedAt.every((t, i) => t > since && sessions[i]?.status === 'connected') ||
          undefined,
        timeoutMs,
        () => new Error('not all connected')
      )
      .catch(() => {})
  try {
    await Promise.all(sessions.map((s) => s.open()))
    await allConnected(0)
    for (let round = 1; round <= options.restarts; round++) {
      const killedAt = Date.now()
      await rig.host.kill()
      const host = await rig.startHost()
      await allConnected(host.startedAt)
      report.restarts++
      for (const t of connectedAt) {
        if (t <= host.startedAt) {
          report.missed++
          continue
        }
        report.sinceStartMs.push(t - host.startedAt)
        report.sinceKillMs.push(t - killedAt)
      }
      if (report.missed > 0) break
    }
    for (const session of sessions) {
      if ((await session.send('Still there?').result).ok) report.answeredAfter++
    }
  } finally {
    await Promise.all(sessions.map((s) => s.close()))
    report.seconds = (Date.now() - started) / 1000
    await rig.close()
  }
  if (report.missed > 0) report.violations.push(`${report.missed} reconnects missed`)
  if (report.answeredAfter < clients)
    report.violations.push('a client was not answered after the restarts')
  return report
}

/** min / median / p90 / max of a list of milliseconds. */
export function distribution(values: number[]): {
  min: number
  p50: number
  p90: number
  max: number
} {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { min: sorted[0] ?? 0, p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] ?? 0 }
}

export function printRestartsReport(report: RestartsReport): void {
  console.log(`restarts        ${report.restarts} (SIGKILL, then started again)`)
  console.log(`clients         ${report.clients}`)
  console.log(`reconnects      ${report.sinceStartMs.length}; missed ${report.missed}`)
  console.log(`since start ms  ${JSON.stringify(distribution(report.sinceStartMs))}`)
  console.log(`since kill ms   ${JSON.stringify(distribution(report.sinceKillMs))}`)
  console.log(`answered after  ${report.answeredAfter}/${report.clients}`)
  console.log(`time            ${report.seconds.toFixed(1)} s`)
  console.log(
    `violations      ${report.violations.length === 0 ? 0 : report.violations.join('; ')}`
  )
}

if (isMain(import.meta.url)) {
  await runCommand(import.meta.url, async (args) => {
    const report = await hostRestarts({
      restarts: Number(args[0] ?? 20),
      clients: Number(args[1] ?? 5)
    })
    printRestartsReport(report)
    return report.violations.length === 0
  })
}
