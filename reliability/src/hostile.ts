// Hostile peers against a live host: what someone who knows only the host's key (any DHT node
// that stored its announcement) can and cannot do, a holder of the code posing as the host,
// replayed proofs, silent peers, and a crowd arriving at once next to the five connected
// devices. Each check says whether it held and what was measured.
//
//   node reliability/dist/src/hostile.js            # hello timeout as shipped (10 s), then a hostile Ollama
//   const report = await hostilePeers({ helloTimeoutMs: 2000 })
//
// The command also runs the hostile-Ollama cases (hostile-ollama.ts) after the peers.

import DHT from 'hyperdht'
import { ClientSession } from '@localllm/core'
import { LIMITS } from '@localllm/protocol'
import { startRig, type Rig } from './host-rig.js'
import { Impostor, WirePeer, type Hello } from '@localllm/testing'
import { isMain, runCommand } from './cli-entry.js'
import { hostileOllama, printHostileOllamaReport } from './hostile-ollama.js'

export interface HostileOptions {
  helloTimeoutMs?: number
  crowd?: number
  /** Strangers in the pre-hello flood (1,500 for the command, fewer in npm test). */
  flood?: number
}

export interface Check {
  name: string
  held: boolean
  detail: string
}

export interface HostileReport {
  checks: Check[]
  seconds: number
}

export async function hostilePeers(options: HostileOptions = {}): Promise<HostileReport> {
  const helloTimeoutMs = options.helloTimeoutMs ?? LIMITS.helloTimeoutMs
  const rig = await startRig({ standin: { reply: 'Only for friends.' }, host: { helloTimeoutMs } })
  const started = Date.now()
  const checks: Check[] = []
  try {
    checks.push(await keyOnly(rig))
    checks.push(await replayedProof(rig))
    checks.push(await impostorHost(rig))
    checks.push(...(await crowd(rig, options.crowd ?? 50, helloTimeoutMs)))
    checks.push(await preHelloFlood(rig, options.flood ?? 1500))
  } finally {
    await rig.close()
  }
  checks.push(...(await fairUse(helloTimeoutMs)))
  return { checks, seconds: (Date.now() - started) / 1000 }
}

/** Knows the host's key (what the DHT can learn), not the secret. */
async function keyOnly(rig: Rig): Promise<Check> {
  const key = rig.host.publicKey
  const tries: Hello[] = ['none', 'wrong', { proof: '00'.repeat(32) }]
  let answered = 0
  let closed = 0
  for (const hello of tries) {
    const peer = await WirePeer.connect(rig.dht, key, { hello })
    peer.send({ type: 'chat_start', request_id: 'sneak', payload: { prompt: 'let me in' } })
    await peer.waitClosed(3000).catch(() => {})
    if (peer.closed) closed++
    answered += Object.keys(peer.received).length
    peer.destroy()
  }
  const prompts = rig.standin.requests.filter((r) => r.prompt === 'let me in').length
  return {
    name: "a peer that knows only the host's key gets no server_info and submits no prompt",
    held: answered === 0 && closed === tries.length && prompts === 0,
    detail: `${tries.length} tries (no hello, wrong proof, made-up proof): ${answered} messages received, ${closed} closed by the host, ${prompts} prompts reached Ollama`
  }
}

/** A proof taken from one authenticated connection, presented on another. */
async function replayedProof(rig: Rig): Promise<Check> {
  const victim = await WirePeer.connect(rig.dht, rig.host.publicKey, { secret: rig.secret })
  const captured = victim.proofFor(rig.secret)
  const thief = await WirePeer.connect(rig.dht, rig.host.publicKey, { hello: { proof: captured } })
  thief.send({ type: 'chat_start', request_id: 'stolen', payload: { prompt: 'stolen proof' } })
  await thief.waitClosed(3000).catch(() => {})
  const received = Object.keys(thief.received).length
  const held = thief.closed && received === 0 && victim.serverInfos === 1 && !victim.closed
  thief.destroy()
  victim.destroy()
  return {
    name: 'a proof captured on one connection is refused on another',
    held,
    detail: `replayed connection: ${received} messages, closed ${thief.closed}; original connection still up ${!victim.closed}`
  }
}

/**
 * A holder of the code poses as the host: it listens with its own key and announces itself
 * under the host's key too, with a forged server_info ready. Fresh phone sessions, each a new
 * device, must all reach the real host and hear nothing from the impostor.
 */
async function impostorHost(rig: Rig): Promise<Check> {
  const fake = await Impostor.start({ bootstrap: rig.bootstrap, hostKey: rig.host.publicKey })
  const sessions: ClientSession[] = []
  let answered = 0
  let impostorErrors = 0
  const attempts = 8
  try {
    for (let i = 0; i < attempts; i++) {
      const session = new ClientSession({ code: rig.serverId, bootstrap: rig.bootstrap })
      sessions.push(session)
      session.on('connect-error', () => impostorErrors++)
      await session.open()
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15000)
        session.on('status', (s) => {
          if (s === 'connected') {
            clearTimeout(timer)
            resolve()
          }
        })
      })
      const result = await session.send('for the real host only').result
      if (result.ok) answered++
      // One fresh device at a time, as a phone would: five slots, eight phones.
      await session.close()
    }
  } finally {
    await Promise.all(sessions.map((s) => s.close()))
    await fake.close()
  }
  return {
    name: 'a holder of the code posing as the host gets no phone and no prompt',
    held:
      fake.connections === 0 && fake.prompts === 0 && answered === attempts && impostorErrors === 0,
    detail: `impostor: ${fake.connections} connections, ${fake.hellos} hellos, ${fake.prompts} prompts; ${answered}/${attempts} fresh phone sessions answered by the real host; ${impostorErrors} errors reported by the phones`
  }
}

/**
 * Five connected devices, then a crowd at once: silent strangers, wrong-proof strangers and
 * new devices with the right proof. Strangers past the pre-hello caps are closed at once,
 * the others at the hello timeout or with HOST_FULL; the five keep their slots and answers.
 */
async function crowd(rig: Rig, size: number, helloTimeoutMs: number): Promise<Check[]> {
  const five: WirePeer[] = []
  for (let i = 0; i < LIMITS.maxClients; i++) {
    five.push(await WirePeer.connect(rig.dht, rig.host.publicKey, { secret: rig.secret }))
  }
  const kinds: Array<'silent' | 'wrong' | 'sixth'> = ['silent', 'wrong', 'sixth']
  const connectedAt = Date.now()
  const results = await Promise.allSettled(
    Array.from({ length: size }, (_, i) => {
      const kind = kinds[i % kinds.length] as 'silent' | 'wrong' | 'sixth'
      const hello: Hello = kind === 'silent' ? 'none' : kind === 'wrong' ? 'wrong' : 'right'
      return WirePeer.connect(rig.dht, rig.host.publicKey, {
        secret: rig.secret,
        hello,
        waitForInfo: false,
        timeoutMs: 20000
      }).then((peer) => ({ kind, peer }))
    })
  )
  const refusedBeforeOpen = results.filter((r) => r.status === 'rejected').length
  const crowdPeers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  await Promise.all(
    crowdPeers.map(({ peer }) => peer.waitClosed(helloTimeoutMs + 5000).catch(() => {}))
  )
  const closedMs = ({ peer }: { peer: WirePeer }) => (peer.closedAt ?? Infinity) - connectedAt
  const atOnce = crowdPeers.filter(
    (p) => Object.keys(p.peer.received).length === 0 && closedMs(p) < helloTimeoutMs - 500
  )
  const silentAtTimeout = crowdPeers.filter(
    (p) => p.kind === 'silent' && closedMs(p) >= helloTimeoutMs - 500
  )
  const sixth = crowdPeers.filter((p) => p.kind === 'sixth')
  const full = sixth.filter(({ peer }) => peer.received['error:HOST_FULL'] === 1).length
  const sixthAtOnce = sixth.filter((p) => atOnce.includes(p)).length
  const leaked = crowdPeers.filter(
    ({ kind, peer }) => kind !== 'sixth' && Object.keys(peer.received).length > 0
  ).length
  const stillOpen = crowdPeers.filter(({ peer }) => !peer.closed).length
  let answered = 0
  for (const [i, peer] of five.entries()) {
    const id = peer.startChat('still mine?', `five-${i}`)
    const terminal = await peer.terminal(id, 10000).catch(() => undefined)
    if (terminal?.type === 'chat_end') answered++
  }
  const fiveUp = five.filter((p) => !p.closed).length
  for (const { peer } of crowdPeers) peer.destroy()
  for (const peer of five) peer.destroy()
  const silentMs = silentAtTimeout.map(closedMs)
  return [
    {
      name: `${size} peers connecting at once cannot push out the five connected devices`,
      held:
        fiveUp === 5 &&
        answered === 5 &&
        full + sixthAtOnce === sixth.length &&
        leaked === 0 &&
        stillOpen === 0,
      detail: `${crowdPeers.length + refusedBeforeOpen}/${size} reached the host (${refusedBeforeOpen} refused before the stream opened, ${atOnce.length} closed at once by the pre-hello caps); right-proof newcomers: ${full} HOST_FULL, ${sixthAtOnce} refused at once, of ${sixth.length}; ${leaked} strangers got any message; ${stillOpen} left open; the five: ${fiveUp} still connected, ${answered} answered`
    },
    {
      name: 'a peer that never sends hello is closed after the hello timeout and holds no slot',
      held:
        silentAtTimeout.length > 0 &&
        Math.min(...silentMs) >= helloTimeoutMs - 500 &&
        Math.max(...silentMs) <= helloTimeoutMs + 3000 &&
        answered === 5,
      detail: `${silentAtTimeout.length} silent peers admitted before hello were closed ${Math.round(Math.min(...silentMs))}–${Math.round(Math.max(...silentMs))} ms after connecting (timeout ${helloTimeoutMs} ms) while the five kept their slots`
    }
  ]
}

/**
 * Strangers who reconnect as fast as they can, none of them saying hello: the host stays
 * bounded (pre-hello caps), and a paired phone still reconnects quickly.
 */
async function preHelloFlood(rig: Rig, strangers: number): Promise<Check> {
  const phoneKey = DHT.keyPair()
  const paired = await WirePeer.connect(rig.dht, rig.host.publicKey, {
    secret: rig.secret,
    keyPair: phoneKey
  })
  paired.destroy()
  const before = await rig.host.sample()
  let opened = 0
  let refused = 0
  let stop = false
  const flooder = async () => {
    while (!stop && opened + refused < strangers) {
      const peer = await WirePeer.connect(rig.dht, rig.host.publicKey, {
        hello: 'none',
        waitForInfo: false,
        timeoutMs: 5000
      }).catch(() => undefined)
      if (!peer) {
        refused++
        continue
      }
      opened++
      // Reconnect at once when the host closes it; give up on it after a moment otherwise.
      await peer.waitClosed(1000).catch(() => {})
      peer.destroy()
    }
  }
  const floodStarted = Date.now()
  const flood = Promise.all(Array.from({ length: 24 }, flooder))
  const connectMs: number[] = []
  let peak = before.rss
  while (opened + refused < strangers && Date.now() - floodStarted < 120_000) {
    const started = Date.now()
    const phone = await WirePeer.connect(rig.dht, rig.host.publicKey, {
      secret: rig.secret,
      keyPair: phoneKey,
      hello: 'wrong',
      waitForInfo: true,
      timeoutMs: 10_000
    }).catch(() => undefined)
    connectMs.push(phone ? Date.now() - started : Infinity)
    phone?.destroy()
    peak = Math.max(peak, (await rig.host.sample()).rss)
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 500))
  }
  stop = true
  await flood
  const after = await rig.host.sample()
  const sorted = [...connectMs].sort((a, b) => a - b)
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? Infinity
  const max = sorted[sorted.length - 1] ?? Infinity
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
  return {
    name: `${strangers} reconnecting strangers before hello: the host stays bounded and a paired phone gets in under 1 s`,
    held: connectMs.length > 0 && max < 1000 && peak - before.rss < 100 * 1024 * 1024,
    detail: `${opened} stranger connections opened, ${refused} refused before opening, over ${((Date.now() - floodStarted) / 1000).toFixed(1)} s; paired phone connects p50 ${p50} ms, max ${max} ms (${connectMs.length} tries); host RSS ${mib(before.rss)} → peak ${mib(peak)} → ${mib(after.rss)} MiB`
  }
}

/**
 * Fair use among paired devices: a device storming chat_start is throttled and an honest one
 * is answered; five idle devices make room for a sixth.
 */
async function fairUse(helloTimeoutMs: number): Promise<Check[]> {
  const rig = await startRig({
    standin: { tokens: 30, tokensPerSecond: 100 },
    host: { helloTimeoutMs, fairUse: { idleEvictMs: 1500 } }
  })
  try {
    const storm = await WirePeer.connect(rig.dht, rig.host.publicKey, {
      secret: rig.secret,
      keepMessages: false
    })
    const honest = new ClientSession({ code: rig.serverId, bootstrap: rig.bootstrap })
    await honest.open()
    await new Promise<void>((resolve) => {
      if (honest.status === 'connected') resolve()
      honest.on('status', (s) => s === 'connected' && resolve())
    })
    let stop = false
    const flood = (async () => {
      while (!stop && !storm.closed) {
        storm.startChat('me, me, me')
        await new Promise<void>((resolve) => setTimeout(() => resolve(), 2))
      }
    })()
    // The honest device asks every half second while the storm goes on for four.
    const tries: Array<{ ok: boolean; ms: number }> = []
    const stormStarted = Date.now()
    while (Date.now() - stormStarted < 4000) {
      const started = Date.now()
      const result = await honest.send('may I?').result
      tries.push({ ok: result.ok, ms: Date.now() - started })
      await new Promise<void>((resolve) => setTimeout(() => resolve(), 500))
    }
    stop = true
    await flood
    const throttled = storm.received['error:TOO_MANY_REQUESTS'] ?? 0
    const firstOk = tries.findIndex((r) => r.ok)
    storm.destroy()
    await honest.close()

    const devices: WirePeer[] = []
    for (let i = 0; i < LIMITS.maxClients; i++) {
      devices.push(await WirePeer.connect(rig.dht, rig.host.publicKey, { secret: rig.secret }))
    }
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 1800))
    const sixth = await WirePeer.connect(rig.dht, rig.host.publicKey, {
      secret: rig.secret,
      waitForInfo: false
    })
    await sixth
      .until(() => sixth.serverInfos > 0 || sixth.closed, 5000, 'an answer')
      .catch(() => {})
    const madeRoom = devices.filter((d) => (d.received['error:HOST_FULL'] ?? 0) > 0).length
    const sixthIn = sixth.serverInfos > 0
    for (const d of [...devices, sixth]) d.destroy()
    return [
      {
        name: 'a device storming chat_start is throttled and an honest device is answered',
        held: firstOk !== -1 && firstOk < 3 && throttled > 0,
        detail: `over 4 s, the storm got ${throttled} TOO_MANY_REQUESTS; the honest device (one ask every 0.5 s) was answered ${tries.filter((r) => r.ok).length}/${tries.length} times, first on try ${firstOk + 1} (${tries.map((r) => `${r.ok ? 'ok' : 'busy'} ${r.ms} ms`).join(', ')})`
      },
      {
        name: 'five idle devices make room for a sixth',
        held: sixthIn && madeRoom === 1,
        detail: `the sixth was let in ${sixthIn}; ${madeRoom} idle device told HOST_FULL to make room (idle limit 1.5 s here, 60 s shipped)`
      }
    ]
  } finally {
    await rig.close()
  }
}

export function printHostileReport(report: HostileReport): void {
  for (const check of report.checks) {
    console.log(`${check.held ? 'held  ' : 'FAILED'}  ${check.name}\n        ${check.detail}`)
  }
  console.log(`time            ${report.seconds.toFixed(1)} s`)
}

if (isMain(import.meta.url)) {
  await runCommand(import.meta.url, async () => {
    const report = await hostilePeers()
    printHostileReport(report)
    const ollama = await hostileOllama()
    printHostileOllamaReport(ollama)
    return (
      report.checks.every((c) => c.held) &&
      ollama.cases.every((c) => c.held) &&
      ollama.modelSeen.length === 256
    )
  })
}
