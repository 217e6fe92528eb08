// Scenario 5: scale. Our CLI host in its own process (so its memory and CPU are its own),
// read from /proc while:
//   A. five ClientSessions are connected (the host's limit), one streaming a long reply at
//      a realistic pace and the other four idle, counting the server_info updates
//      (busy → ready) the idle ones receive;
//   B. `cycles` connections open and close one after another, each a raw Noise stream
//      from one shared DHT node with one device key pair (paired on the first cycle):
//      hello with a valid proof, wait for server_info, end. Nothing is forced in the host
//      (no GC); its RSS is only observed.
//
//   const result = await scale(system, { cycles: 1000, streamTokens: 500, idleMs: 5000 })

import { once } from 'node:events'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import DHT, { type KeyPair } from 'hyperdht'
import { ClientSession } from '@localllm/core'
import { MessageDecoder, PROTOCOL_VERSION, encodeLine, parsePairingCode } from '@localllm/protocol'
import { pairingProof } from '@localllm/protocol/capability'
import { Wakeup, type LocalSystem } from '@localllm/testing'
import { startHostProcess } from './connect.js'
import { summarize, type Summary } from './stats.js'

const CLIENTS = 5
const TOKENS_PER_SECOND = 50

export interface ScaleOptions {
  /** Connect/disconnect cycles in part B. */
  cycles: number
  /** Tokens in the streamed reply (at 50 tokens/s). */
  streamTokens: number
  /** How long the five clients sit idle before the stream (the idle CPU window). */
  idleMs: number
}

export interface UpdateCounts {
  busy: number
  ready: number
  total: number
}

export interface ScaleResult {
  clients: number
  streamTokens: number
  tokensPerSecond: number
  chunksReceived: number
  /** server_info updates after the first one, per idle client. */
  idleUpdates: UpdateCounts[]
  /** Host RSS in bytes: started with no client, five connected, peak during A, end of A. */
  rss: { start: number; connected: number; peak: number; end: number }
  /** Host CPU (user + system) as % of one core. */
  cpu: { idlePercent: number; idleS: number; streamPercent: number; streamS: number }
  cycles: {
    count: number
    failed: number
    durationS: number
    cycleMs: Summary
    cpuPercent: number
    /** Host RSS (bytes) and open file descriptors after `cycle` cycles. */
    checkpoints: Array<{ cycle: number; rss: number; fds: number }>
    /** Least-squares slope of RSS over the checkpoints after the first tenth, per 100 cycles. */
    growthPer100: number
    /**
     * Host RSS and fds after the last cycle plus SETTLE_MS idle: hyperdht keeps each
     * handshake for 10 s (HANDSHAKE_CLEAR_WAIT) to answer retransmits, so memory measured
     * mid-burst includes every handshake of the last 10 s.
     */
    settled: { rss: number; fds: number; afterMs: number }
  }
}

interface ProcSample {
  at: number
  rss: number
  /** utime + stime, in clock ticks. */
  ticks: number
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
}

function readProc(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s*(\d+)/.exec(status)?.[1] ?? NaN)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return { at: performance.now(), rss: rssKb * 1024, ticks }
}

/** Samples a process every `everyMs` in the background. */
class Sampler {
  readonly samples: ProcSample[] = []
  readonly #timer: ReturnType<typeof setInterval>

  constructor(
    readonly pid: number,
    everyMs = 100
  ) {
    this.now()
    this.#timer = setInterval(() => this.now(), everyMs)
  }

  now(): ProcSample {
    const sample = readProc(this.pid)
    this.samples.push(sample)
    return sample
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}

function cpuPercent(from: ProcSample, to: ProcSample, hz: number): number {
  return ((to.ticks - from.ticks) / hz / ((to.at - from.at) / 1000)) * 100
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function scale(system: LocalSystem, options: ScaleOptions): Promise<ScaleResult> {
  const hz = clockTicks()
  const host = await startHostProcess(system.bootstrap, system.standin.url)
  const sampler = new Sampler(host.pid)
  try {
    await sleep(500)
    const start = sampler.now()
    const startIndex = sampler.samples.length - 1
    const partA = await streamWithIdleClients(system, host.serverId, sampler, hz, options)
    const partB = await connectCycles(system, host.serverId, sampler, hz, options.cycles)
    const peak = Math.max(
      ...sampler.samples.slice(startIndex, partA.samplesUntil).map((s) => s.rss)
    )
    return {
      clients: CLIENTS,
      streamTokens: options.streamTokens,
      tokensPerSecond: TOKENS_PER_SECOND,
      chunksReceived: partA.chunks,
      idleUpdates: partA.idleUpdates,
      rss: { start: start.rss, connected: partA.connected, peak, end: partA.end },
      cpu: partA.cpu,
      cycles: partB
    }
  } finally {
    sampler.stop()
    await host.close()
  }
}

async function streamWithIdleClients(
  system: LocalSystem,
  serverId: string,
  sampler: Sampler,
  hz: number,
  options: ScaleOptions
) {
  const sessions: ClientSession[] = []
  const updates: UpdateCounts[] = []
  const heard = new Wakeup()
  try {
    for (let i = 0; i < CLIENTS; i++) {
      const session = new ClientSession({ code: serverId, bootstrap: system.bootstrap })
      sessions.push(session)
      const counts: UpdateCounts = { busy: 0, ready: 0, total: 0 }
      updates.push(counts)
      const first = once(session, 'info')
      await session.open()
      await first
      session.on('info', (info) => {
        counts.total++
        if (info.status === 'busy') counts.busy++
        if (info.status === 'ready') counts.ready++
        heard.wake()
      })
    }
    const [streamer] = sessions as [ClientSession]
    const idleFrom = sampler.now()
    await sleep(options.idleMs)
    const idleTo = sampler.now()

    system.standin.enqueue({ tokens: options.streamTokens, tokensPerSecond: TOKENS_PER_SECOND })
    let chunks = 0
    const request = streamer.send('Tell me a long story.')
    request.on('chunk', () => chunks++)
    const streamFrom = sampler.now()
    const result = await request.result
    const streamTo = sampler.now()
    if (!result.ok) throw new Error(`scale stream: ${result.error.code}`)
    // The idle clients hear 'ready' right after the stream's end: give it a moment.
    const idle = updates.slice(1)
    await heard
      .until(
        () => idle.every((c) => c.ready > 0) || undefined,
        2000,
        () => new Error('not every idle client heard ready')
      )
      .catch(() => {}) // counted as it is
    const end = sampler.now()
    return {
      chunks,
      idleUpdates: idle,
      connected: idleFrom.rss,
      end: end.rss,
      samplesUntil: sampler.samples.length,
      cpu: {
        idlePercent: cpuPercent(idleFrom, idleTo, hz),
        idleS: (idleTo.at - idleFrom.at) / 1000,
        streamPercent: cpuPercent(streamFrom, streamTo, hz),
        streamS: (streamTo.at - streamFrom.at) / 1000
      }
    }
  } finally {
    for (const session of sessions) await session.close().catch(() => {})
  }
}

/** The parts of a HyperDHT node and its streams used here (the shared types omit them). */
interface NoiseStream {
  readonly handshakeHash: Uint8Array
  write(data: Uint8Array): boolean
  end(): void
  destroy(): void
  on(event: 'data', listener: (data: Uint8Array) => void): this
  on(event: 'open' | 'close' | 'end', listener: () => void): this
  on(event: 'error', listener: (err: Error) => void): this
}
interface DhtWithConnect {
  connect(publicKey: Uint8Array, options: { keyPair: KeyPair }): NoiseStream
}

/**
 * One connection of the same device: connect, hello with the proof, server_info, end;
 * resolves once closed. (A new key pair each time would pair a new device every cycle.)
 */
function cycle(
  dht: DhtWithConnect,
  hostKey: Uint8Array,
  secret: Uint8Array,
  keyPair: KeyPair,
  timeoutMs: number
): Promise<boolean> {
  return new Promise((resolve) => {
    const stream = dht.connect(hostKey, { keyPair })
    const decoder = MessageDecoder.forClient()
    let informed = false
    const timer = setTimeout(() => stream.destroy(), timeoutMs)
    stream.on('error', () => {})
    stream.on('open', () => {
      stream.write(
        encodeLine({
          type: 'hello',
          payload: {
            protocol_version: PROTOCOL_VERSION,
            proof: pairingProof(secret, stream.handshakeHash),
            client: { name: 'bench', platform: 'node' }
          }
        })
      )
    })
    stream.on('data', (data) => {
      if (informed) return
      for (const message of decoder.push(data)) {
        if (message.ok && message.message.type === 'server_info') {
          informed = true
          stream.end()
          return
        }
      }
    })
    stream.on('end', () => stream.end())
    stream.on('close', () => {
      clearTimeout(timer)
      resolve(informed)
    })
  })
}

async function connectCycles(
  system: LocalSystem,
  serverId: string,
  sampler: Sampler,
  hz: number,
  cycles: number
): Promise<ScaleResult['cycles']> {
  const parsed = parsePairingCode(serverId)
  if (!parsed.ok) throw new Error('bad server id')
  const dht = new DHT({ bootstrap: system.bootstrap })
  const device = DHT.keyPair()
  try {
    await dht.fullyBootstrapped()
    const raw = dht as unknown as DhtWithConnect
    const hostKey = parsed.hostKey
    const every = Math.max(1, Math.round(cycles / 10))
    const checkpoints: ScaleResult['cycles']['checkpoints'] = []
    const checkpoint = async (n: number) => {
      // A moment for the host to finish the last close, the same for every checkpoint.
      await sleep(250)
      checkpoints.push({
        cycle: n,
        rss: sampler.now().rss,
        fds: readdirSync(`/proc/${sampler.pid}/fd`).length
      })
    }
    await checkpoint(0)
    const times: number[] = []
    let failed = 0
    const from = sampler.now()
    for (let i = 1; i <= cycles; i++) {
      const started = performance.now()
      if (await cycle(raw, hostKey, parsed.secret, device, 5000))
        times.push(performance.now() - started)
      else failed++
      if (i % every === 0 || i === cycles) await checkpoint(i)
    }
    const to = sampler.now()
    await sleep(SETTLE_MS)
    const settled = {
      rss: sampler.now().rss,
      fds: readdirSync(`/proc/${sampler.pid}/fd`).length,
      afterMs: SETTLE_MS
    }
    const fit = checkpoints.filter((c) => c.cycle >= every)
    return {
      count: cycles,
      failed,
      durationS: (to.at - from.at) / 1000,
      cycleMs: summarize(times),
      cpuPercent: cpuPercent(from, to, hz),
      checkpoints,
      growthPer100: slope(fit.map((c) => [c.cycle, c.rss] as const)) * 100,
      settled
    }
  } finally {
    await dht.destroy()
  }
}

/** Longer than hyperdht's 10 s HANDSHAKE_CLEAR_WAIT. */
const SETTLE_MS = 12_000

function slope(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return NaN
  const n = points.length
  const mx = points.reduce((a, [x]) => a + x, 0) / n
  const my = points.reduce((a, [, y]) => a + y, 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  }
  return num / den
}
