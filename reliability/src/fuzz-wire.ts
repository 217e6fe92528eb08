// `npm run fuzz:wire`: hostile frames against a live host over a real testnet. Authenticated
// peers spend their bad-message budget on random bytes, mutated messages, oversized lines,
// invalid UTF-8, huge numbers, deep nesting, wrong and unknown types, and fill the rest with
// storms of chat_start and abort, reused request ids and lines cut into single bytes;
// unauthenticated peers (no, wrong or replayed proof, topic only) try the same. Meanwhile a
// real ClientSession keeps chatting. Prints the counts; exits 1 on any violation.
//
//   npm run fuzz:wire                    # 1,000,000 frames, seed 1
//   npm run fuzz:wire -- 200000 7        # frames, seed
//
// A frame counts once written to a connection the host still had open. The host process's
// uncaught exceptions and unhandled rejections are counted by host-worker.ts.

import DHT from 'hyperdht'
import { ClientSession } from '@localllm/core'
import { HostileFrames, prng } from './hostile-frames.js'
import { startRig, type Rig } from './host-rig.js'
import { WirePeer, type Hello } from '@localllm/testing'
import { isMain, runCommand } from './cli-entry.js'

export interface FuzzWireOptions {
  frames: number
  seed?: number
  /** Authenticated fuzz connections at once (the host takes 5 clients; one is the chatter). */
  concurrency?: number
  /** Frames one connection sends before it hangs up and a new one takes its place. */
  framesPerConnection?: number
  onProgress?: (report: FuzzWireReport) => void
}

export interface FuzzWireReport {
  frames: number
  bytes: number
  byKind: Record<string, number>
  connections: { authenticated: number; unauthenticated: number; cutByHost: number }
  /** Replies the fuzzers got, by type. */
  replies: Record<string, number>
  /** Unauthenticated peers that got anything but silence (UNSUPPORTED_VERSION excepted). */
  unauthenticatedAnswered: number
  /** Messages for a request id after its terminal message (fuzz peers and the chatter). */
  afterTerminal: number
  chatter: { sent: number; completed: number; busy: number; failed: number; disconnects: number }
  host: {
    crashed: boolean
    uncaughtExceptions: number
    unhandledRejections: number
    peakRss: number
    rssSamples: number[]
    firstError?: string
  }
  seconds: number
  violations: string[]
}

export async function fuzzWire(options: FuzzWireOptions): Promise<FuzzWireReport> {
  const seed = options.seed ?? 1
  const rig = await startRig({
    standin: { reply: 'Fuzzed but fine.', tokens: 6 },
    host: { stallMs: 2000 }
  })
  const started = Date.now()
  const report: FuzzWireReport = {
    frames: 0,
    bytes: 0,
    byKind: {},
    connections: { authenticated: 0, unauthenticated: 0, cutByHost: 0 },
    replies: {},
    unauthenticatedAnswered: 0,
    afterTerminal: 0,
    chatter: { sent: 0, completed: 0, busy: 0, failed: 0, disconnects: 0 },
    host: {
      crashed: false,
      uncaughtExceptions: 0,
      unhandledRejections: 0,
      peakRss: 0,
      rssSamples: []
    },
    seconds: 0,
    violations: []
  }
  let closing = false
  rig.host.on('exit', () => (report.host.crashed ||= !closing))
  let stop = false
  const chatter = runChatter(rig, report, () => stop)
  const sampler = setInterval(() => {
    rig.host
      .sample()
      .then((s) => report.host.rssSamples.push(s.rss))
      .catch(() => {})
  }, 2000)
  try {
    await chatter.ready
    const workers: Promise<void>[] = []
    for (let i = 0; i < (options.concurrency ?? 4); i++) {
      workers.push(runFuzzer(rig, seed * 1000 + i, options, report))
    }
    workers.push(runUnauthenticated(rig, seed, options, report))
    let lastProgress = Date.now()
    const progress = setInterval(() => {
      if (Date.now() - lastProgress < 10000) return
      lastProgress = Date.now()
      options.onProgress?.(report)
    }, 1000)
    await Promise.all(workers)
    clearInterval(progress)
    // The chatter must still get answers once the storm is over.
    await new Promise((resolve) => setTimeout(resolve, 1000))
  } finally {
    stop = true
    clearInterval(sampler)
    await chatter.done
    report.seconds = (Date.now() - started) / 1000
    if (!report.host.crashed) {
      const last = await rig.host.sample().catch(() => undefined)
      if (last) {
        report.host.peakRss = last.peakRss
        report.host.uncaughtExceptions = last.uncaughtExceptions
        report.host.unhandledRejections = last.unhandledRejections
        if (last.firstError) report.host.firstError = last.firstError
      }
    }
    closing = true
    await rig.close()
  }
  const v = report.violations
  if (report.host.crashed) v.push('the host process died')
  if (report.host.uncaughtExceptions > 0) v.push('uncaught exceptions in the host')
  if (report.host.unhandledRejections > 0) v.push('unhandled rejections in the host')
  if (report.unauthenticatedAnswered > 0) v.push('an unauthenticated peer got an answer')
  if (report.afterTerminal > 0) v.push('messages after a terminal message')
  if (report.chatter.disconnects > 0) v.push('the well-behaved client was disconnected')
  if (report.chatter.failed > 0) v.push('the well-behaved client had requests fail')
  if (report.chatter.completed === 0) v.push('the well-behaved client completed no request')
  return report
}

/** A real client (ClientSession) that keeps chatting, retrying on MODEL_BUSY. */
function runChatter(rig: Rig, report: FuzzWireReport, stopped: () => boolean) {
  const session = new ClientSession({ code: rig.serverId, bootstrap: rig.bootstrap })
  let connected!: () => void
  const ready = new Promise<void>((resolve) => (connected = resolve))
  let wasConnected = false
  session.on('status', (status) => {
    if (status === 'connected') {
      wasConnected = true
      connected()
    } else if (wasConnected && status !== 'closed') {
      report.chatter.disconnects++
    }
  })
  const done = (async () => {
    await session.open()
    await ready
    while (!stopped()) {
      report.chatter.sent++
      const result = await session.send('Are you still there?').result
      const busy = !result.ok && ['MODEL_BUSY', 'TOO_MANY_REQUESTS'].includes(result.error.code)
      if (result.ok) report.chatter.completed++
      else if (busy) report.chatter.busy++
      else report.chatter.failed++
      // A person tapping Retry, not a loop: asking again every few ms is what fair use stops.
      await new Promise<void>((resolve) => setTimeout(() => resolve(), result.ok ? 100 : 500))
    }
    await session.close()
  })()
  return { ready, done }
}

async function runFuzzer(
  rig: Rig,
  seed: number,
  options: FuzzWireOptions,
  report: FuzzWireReport
): Promise<void> {
  const frames = new HostileFrames(seed)
  const perConnection = options.framesPerConnection ?? 400
  // One device per fuzzer, reconnecting: a new key each time would pair a new device per
  // connection and fill the host's device list.
  const keyPair = DHT.keyPair()
  while (report.frames < options.frames) {
    let peer: WirePeer
    try {
      peer = await WirePeer.connect(rig.dht, rig.host.publicKey, {
        secret: rig.secret,
        keyPair,
        timeoutMs: 5000,
        keepMessages: false
      })
    } catch {
      if (report.host.crashed) return
      continue // HOST_FULL while a closed slot is still being freed, or a slow handshake
    }
    report.connections.authenticated++
    let bad = 0
    let activeId: string | undefined
    for (let i = 0; i < perConnection && report.frames < options.frames; i++) {
      // 19 bad frames a connection: the 20th within a minute is the host's cut-off.
      const frame = frames.next({ badAllowed: bad < 19, ...(activeId ? { activeId } : {}) })
      if (!peer.write(frame.bytes.subarray(0, frame.split ? 1 : undefined))) break
      if (frame.split) {
        for (let at = 1; at < frame.bytes.length; at++) peer.write(frame.bytes.subarray(at, at + 1))
      }
      if (frame.bad) bad++
      if (frame.kind === 'chat_start_storm') activeId = chatStartId(frame.bytes)
      report.frames++
      report.bytes += frame.bytes.length
      report.byKind[frame.kind] = (report.byKind[frame.kind] ?? 0) + 1
      await peer.drained()
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (peer.closed) report.connections.cutByHost++
    peer.destroy()
    report.afterTerminal += peer.afterTerminal
    for (const [type, n] of Object.entries(peer.received)) {
      report.replies[type] = (report.replies[type] ?? 0) + n
    }
  }
}

/** Peers without the secret, or with a wrong or replayed proof: one hostile frame each. */
async function runUnauthenticated(
  rig: Rig,
  seed: number,
  options: FuzzWireOptions,
  report: FuzzWireReport
): Promise<void> {
  const rand = prng(seed + 7)
  const frames = new HostileFrames(seed + 7)
  const stolen = '5f'.repeat(32)
  while (report.frames < options.frames) {
    const hellos: Hello[] = ['none', 'wrong', { proof: stolen }]
    const hello = hellos[Math.floor(rand() * hellos.length)] as Hello
    let peer: WirePeer
    try {
      peer = await WirePeer.connect(rig.dht, rig.host.publicKey, {
        hello,
        timeoutMs: 5000,
        keepMessages: false
      })
    } catch {
      if (report.host.crashed) return
      continue
    }
    report.connections.unauthenticated++
    const frame = frames.next({ badAllowed: true })
    if (peer.write(frame.bytes)) {
      report.frames++
      report.bytes += frame.bytes.length
      const kind = `unauthenticated_${frame.kind}`
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1
    }
    await peer.waitClosed(1000).catch(() => {})
    peer.destroy()
    const answers = Object.entries(peer.received).filter(
      ([type]) => type !== 'error:UNSUPPORTED_VERSION'
    )
    if (answers.length > 0) report.unauthenticatedAnswered++
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function chatStartId(bytes: Uint8Array): string | undefined {
  const match = /"request_id":"([^"]+)"/.exec(Buffer.from(bytes).toString('utf8'))
  return match?.[1]
}

export function printFuzzWireReport(report: FuzzWireReport, seed: number): void {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`
  const rss = report.host.rssSamples
  console.log(`seed            ${seed}`)
  console.log(`frames          ${report.frames.toLocaleString('en')}`)
  console.log(`bytes           ${mib(report.bytes)}`)
  console.log(`frames/s        ${Math.round(report.frames / report.seconds).toLocaleString('en')}`)
  console.log(`connections     ${JSON.stringify(report.connections)}`)
  console.log(`host crashed    ${report.host.crashed ? 'YES' : 'no'}`)
  console.log(`host uncaught   ${report.host.uncaughtExceptions}`)
  console.log(`host unhandled  ${report.host.unhandledRejections} rejections`)
  console.log(`host peak RSS   ${mib(report.host.peakRss)}`)
  if (rss.length > 1) {
    console.log(
      `host RSS        first ${mib(rss[0] as number)}, last ${mib(rss[rss.length - 1] as number)}, max ${mib(Math.max(...rss))}`
    )
  }
  console.log(`unauth answered ${report.unauthenticatedAnswered}`)
  console.log(`after terminal  ${report.afterTerminal}`)
  console.log(`chatter         ${JSON.stringify(report.chatter)}`)
  console.log(`replies         ${JSON.stringify(report.replies)}`)
  console.log(`frame kinds     ${JSON.stringify(report.byKind)}`)
  console.log(`time            ${report.seconds.toFixed(1)} s`)
  if (report.host.firstError) console.log(`first host error ${report.host.firstError}`)
  console.log(
    `violations      ${report.violations.length === 0 ? 0 : report.violations.join('; ')}`
  )
}

if (isMain(import.meta.url)) {
  await runCommand(import.meta.url, async (args, harness) => {
    const frames = Number(args[0] ?? 1_000_000)
    const seed = Number(args[1] ?? 1)
    const report = await fuzzWire({
      frames,
      seed,
      onProgress: (r) =>
        process.stderr.write(
          `  ${r.frames.toLocaleString('en')} frames, chatter ${r.chatter.completed} done…\n`
        )
    })
    printFuzzWireReport(report, seed)
    console.log(
      `harness         ${harness.unhandledRejections} unhandled rejections, ${harness.uncaughtExceptions} uncaught`
    )
    return report.violations.length === 0
  })
}
