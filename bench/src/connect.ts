// Scenario 4: how long until a client can send a prompt, and the testnet's fresh-connection
// stall. Each figure starts from nothing (a new DHT node that must bootstrap first):
//   localllm   ClientSession start → server_info (paired and let in)
//   hyperswarm a bare HyperDHT node (createDht) dialing the host's key → the stream opens
//   holesail   a new holesail client → its first HTTP response through the tunnel
// In-process and against a host in another process, where hyperdht's holepunch path can
// hand out a dead first connection (see docs/benchmarks.md); `stalled` counts attempts over
// `stallMs`, which are cut off there rather than waited out.
//
//   const result = await connectTimes(system, { rounds: 15 })

import http from 'node:http'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClientSession, createDht, waitForBootstrap } from '@localllm/core'
import { LIMITS, parsePairingCode } from '@localllm/protocol'
import { startHostCli, type LocalSystem } from '@localllm/testing'
import type { BootstrapNode } from 'hyperdht'
import {
  startHolesailClient,
  startHolesailServer,
  startHolesailServerProcess,
  type HolesailEnd
} from './holesail.js'
import { summarize, type Summary } from './stats.js'

export interface ConnectFigure {
  /** Attempts that finished within stallMs. */
  ok: Summary
  attempts: number
  stalled: number
  stallMs: number
}

type Attempt = () => Promise<void>

async function measure(rounds: number, stallMs: number, attempt: Attempt): Promise<ConnectFigure> {
  const times: number[] = []
  let stalled = 0
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    const ok = await withTimeout(attempt, stallMs)
    if (ok) times.push(performance.now() - started)
    else stalled++
  }
  return { ok: summarize(times), attempts: rounds, stalled, stallMs }
}

// Runs `attempt` with a signal-free deadline: the attempt gets its cleanup via the abort.
async function withTimeout(attempt: Attempt, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([attempt().then(() => true as const), deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** One attempt that cleans up after itself even when the deadline cut it off. */
function sessionAttempt(serverId: string, bootstrap: BootstrapNode[], stallMs: number): Attempt {
  return async () => {
    const session = new ClientSession({ code: serverId, bootstrap })
    const timer = setTimeout(() => void session.close(), stallMs)
    try {
      const info = once(session, 'info')
      await session.open()
      await info
    } finally {
      clearTimeout(timer)
      await session.close()
    }
  }
}

function hyperswarmAttempt(serverId: string, bootstrap: BootstrapNode[], stallMs: number): Attempt {
  const parsed = parsePairingCode(serverId)
  if (!parsed.ok) throw new Error('bad server id')
  const hostKey = parsed.hostKey
  return async () => {
    const dht = createDht({ bootstrap })
    const timer = setTimeout(() => void dht.destroy(), stallMs)
    try {
      await waitForBootstrap(dht, LIMITS.bootstrapWaitMs)
      const stream = dht.connect(hostKey)
      stream.on('error', () => {})
      await new Promise<void>((resolve, reject) => {
        stream.once('open', resolve)
        stream.once('close', () => reject(new Error('closed before it opened')))
      })
      stream.destroy()
    } finally {
      clearTimeout(timer)
      await dht.destroy()
    }
  }
}

function holesailAttempt(
  key: string,
  bootstrap: BootstrapNode[],
  firewalled: boolean,
  stallMs: number
): Attempt {
  return async () => {
    const tunnel = await startHolesailClient(key, { bootstrap, firewalled })
    try {
      await httpGet(`${tunnel.url}/api/version`, stallMs)
    } finally {
      await tunnel.close()
    }
  }
}

function httpGet(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve())
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

export interface ConnectResult {
  inProcess: Record<string, ConnectFigure>
  crossProcess: Record<string, ConnectFigure>
}

export async function connectTimes(
  system: LocalSystem,
  options: { rounds: number; crossRounds: number; stallMs: number }
): Promise<ConnectResult> {
  const { bootstrap, serverId, standin } = system
  const { rounds, crossRounds, stallMs } = options
  const inProcess: Record<string, ConnectFigure> = {}
  const crossProcess: Record<string, ConnectFigure> = {}

  const servers: HolesailEnd[] = []
  try {
    for (const firewalled of [false, true]) {
      servers.push(await startHolesailServer({ bootstrap, port: standin.port, firewalled }))
    }
    const [open, walled] = servers as [HolesailEnd, HolesailEnd]
    // Interleaved, so drift in the machine's load hits every figure alike.
    const figures = {
      localllm: sessionAttempt(serverId, bootstrap, stallMs),
      hyperswarm: hyperswarmAttempt(serverId, bootstrap, stallMs),
      'holesail (unfirewalled)': holesailAttempt(open.key, bootstrap, false, stallMs),
      'holesail (firewalled, default)': holesailAttempt(walled.key, bootstrap, true, stallMs)
    }
    const times: Record<string, number[]> = {}
    const stalls: Record<string, number> = {}
    for (let i = 0; i < rounds; i++) {
      for (const [name, attempt] of Object.entries(figures)) {
        const one = await measure(1, stallMs, attempt)
        ;(times[name] ??= []).push(...(one.stalled ? [] : [one.ok.p50]))
        stalls[name] = (stalls[name] ?? 0) + one.stalled
      }
    }
    for (const name of Object.keys(figures)) {
      inProcess[name] = {
        ok: summarize(times[name] ?? []),
        attempts: rounds,
        stalled: stalls[name] ?? 0,
        stallMs
      }
    }
  } finally {
    for (const server of servers) await server.close()
  }

  // Across processes: our CLI host, and holesail servers, each in a child process.
  const host = await startHostProcess(bootstrap, standin.url)
  try {
    crossProcess.localllm = await measure(
      crossRounds,
      stallMs,
      sessionAttempt(host.serverId, bootstrap, stallMs)
    )
    crossProcess.hyperswarm = await measure(
      crossRounds,
      stallMs,
      hyperswarmAttempt(host.serverId, bootstrap, stallMs)
    )
  } finally {
    await host.close()
  }
  for (const firewalled of [false, true]) {
    const server = await startHolesailServerProcess({ bootstrap, port: standin.port, firewalled })
    try {
      const name = firewalled ? 'holesail (firewalled, default)' : 'holesail (unfirewalled)'
      crossProcess[name] = await measure(
        crossRounds,
        stallMs,
        holesailAttempt(server.key, bootstrap, firewalled, stallMs)
      )
      // A new tunnel connection per request through one running client (its DHT node is
      // warm): where plain Hyperswarm clients stalled 13 s (docs/benchmarks.md).
      const tunnel = await startHolesailClient(server.key, { bootstrap, firewalled })
      try {
        crossProcess[`${name}, connection per request`] = await measure(crossRounds, stallMs, () =>
          httpGet(`${tunnel.url}/api/version`, stallMs)
        )
      } finally {
        await tunnel.close()
      }
    } finally {
      await server.close()
    }
  }
  return { inProcess, crossProcess }
}

export interface HostProcess {
  serverId: string
  /** The CLI host's process id (for reading its /proc figures). */
  pid: number
  close(): Promise<void>
}

/** Our CLI host (`localllm host --json`) in a child process, with a config folder of its own. */
export async function startHostProcess(
  bootstrap: BootstrapNode[],
  ollamaUrl: string
): Promise<HostProcess> {
  const configDir = await mkdtemp(join(tmpdir(), 'localllm-bench-host-'))
  try {
    const host = await startHostCli({ bootstrap, ollamaUrl, configDir })
    return {
      serverId: host.serverId,
      pid: host.pid,
      async close() {
        await host.close()
        await rm(configDir, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await rm(configDir, { recursive: true, force: true })
    throw err
  }
}
