// Hostile peers against a live host: what someone who knows only the host's key (any DHT node
// that stored its announcement) can and cannot do, a holder of the code posing as the host,
// replayed proofs, silent peers, and a crowd arriving at once next to the five connected
// devices. Each check says whether it held and what was measured.
//
//   node reliability/dist/src/hostile.js            # hello timeout as shipped (10 s), then a hostile Ollama
//   const report = await hostilePeers({ helloTimeoutMs: 2000 })
//
// The command also runs the hostile-Ollama cases (hostile-ollama.ts) after the peers.

import { ClientSession } from '@localllm/core'
import { LIMITS } from '@localllm/protocol'
import { startRig, type Rig } from './host-rig.js'
import { Impostor, WirePeer, type Hello } from '@localllm/testing'
import { isMain, runCommand } from './cli-entry.js'
import { hostileOllama, printHostileOllamaReport } from './hostile-ollama.js'

export interface HostileOptions {
  helloTimeoutMs?: number
  crowd?: number
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
  } finally {
    await rig.close()
  }
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

/** Five authenticated clients, then a crowd at once: silent, wrong-proof and extra right-proof peers. */
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
  const crowdPeers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  // Everyone in the crowd must be closed by the host: HOST_FULL, wrong proof, or no hello.
  await Promise.all(
    crowdPeers.map(({ peer }) => peer.waitClosed(helloTimeoutMs + 5000).catch(() => {}))
  )
  const silent = crowdPeers.filter((p) => p.kind === 'silent')
  const silentClosedMs = silent.map(({ peer }) => (peer.closedAt ?? Infinity) - connectedAt)
  const sixth = crowdPeers.filter((p) => p.kind === 'sixth')
  const full = sixth.filter(({ peer }) => peer.received['error:HOST_FULL'] === 1).length
  const leaked = crowdPeers.filter(
    ({ kind, peer }) => kind !== 'sixth' && Object.keys(peer.received).length > 0
  ).length
  const stillOpen = crowdPeers.filter(({ peer }) => !peer.closed).length
  // The five are still in, and still served.
  let answered = 0
  for (const [i, peer] of five.entries()) {
    const id = peer.startChat('still mine?', `five-${i}`)
    const terminal = await peer.terminal(id, 10000).catch(() => undefined)
    if (terminal?.type === 'chat_end') answered++
  }
  const fiveUp = five.filter((p) => !p.closed).length
  for (const { peer } of crowdPeers) peer.destroy()
  for (const peer of five) peer.destroy()
  const maxSilent = Math.max(...silentClosedMs)
  const minSilent = Math.min(...silentClosedMs)
  return [
    {
      name: `${size} peers connecting at once cannot push out the authenticated five`,
      held:
        crowdPeers.length === size &&
        fiveUp === 5 &&
        answered === 5 &&
        full === sixth.length &&
        leaked === 0 &&
        stillOpen === 0,
      detail: `${crowdPeers.length}/${size} connected; ${full}/${sixth.length} extra right-proof peers got HOST_FULL; ${leaked} silent/wrong-proof peers got any message; ${stillOpen} left open; the five: ${fiveUp} still connected, ${answered} answered`
    },
    {
      name: 'a peer that never sends hello is closed after the hello timeout and holds no slot',
      held:
        silent.length > 0 &&
        minSilent >= helloTimeoutMs - 500 &&
        maxSilent <= helloTimeoutMs + 3000 &&
        answered === 5,
      detail: `${silent.length} silent peers closed ${Math.round(minSilent)}–${Math.round(maxSilent)} ms after connecting (timeout ${helloTimeoutMs} ms) while the five kept their slots`
    }
  ]
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
