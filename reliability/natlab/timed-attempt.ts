// One attempt of the lab's benchmark table: a fresh host and phone across a NAT pair, timed
// the way a person would notice. How long to `connected` (and how much of it was the DHT's
// bootstrap), by which path first, how soon a relayed connection went direct, why it failed
// if it did, and each reply's first token and per-chunk delay, by the path each chunk took.
//
//   const a = await timedAttempt(lab, { home: 'cone', phone: 'symmetric', relay: 'both',
//     client: 'bare' }, { relayKey })
//   a.connectMs, a.path, a.switchMs, a.replies[0].chunkDelays   // [{ path, ms }]
//
// Per-chunk delay: a chunk's arrival at the lab minus the moment the stand-in was due to
// write that token (its first token's time + i / tokens per second; the stand-in paces
// without drift). Every reply has the same steady timing, so paths compare side by side.

import { LabClient, type ProductClient } from './lab-client.js'
import { LabHost } from './lab-host.js'
import { wallClock, type LabEvent } from './lab-process.js'
import type { NatKind, NatLab } from './nat-lab.js'

export type Path = 'direct' | 'relayed'

export interface TimedRow {
  home: NatKind
  phone: NatKind
  /** Nobody, only `localllm host --relay`, or the phone knows the relay too. */
  relay: 'none' | 'host' | 'both'
  client: ProductClient
}

export interface TimedOptions {
  relayKey?: string
  /** How long the phone may take to connect (and `localllm chat --wait`). */
  connectTimeoutMs?: number
  /** How long a relayed connection gets to go direct, from `connected`. */
  switchWaitMs?: number
  /** Each reply: this many tokens at this steady pace. */
  tokens?: number
  tokensPerSecond?: number
}

export interface TimedReply {
  ok: boolean
  /** The path its first chunk took. */
  path?: Path
  /** Prompt written to the phone → its first chunk back. */
  firstTokenMs?: number
  chunkDelays: Array<{ path: Path; ms: number }>
}

export interface TimedAttempt {
  connected: boolean
  /** From the start of connecting (bare: the connect command; node: the process start). */
  connectMs?: number
  /** bare: from the connect command to the DHT's bootstrap (the worklet's own log line). */
  bootstrapMs?: number
  /** The product's own figure (`path.connect_ms`): from the session's open to connected. */
  productConnectMs?: number
  path?: Path
  /** Relayed first, then direct: ms from connected to the switch. */
  switchMs?: number
  /** What the host saw first. */
  hostPath?: Path
  /** The first thing the phone said when it could not connect (yet). */
  firstError?: { code: string; ms: number; saysRelay: boolean; cause?: string }
  /** Every error the phone reported, in order: its code, and hyperdht's when it said one. */
  errors: string[]
  replies: TimedReply[]
}

export function timedLabel(row: TimedRow): string {
  const short = (k: NatKind) => (k === 'symmetric' ? 'sym' : k === 'none' ? 'public' : k)
  return `${short(row.home)}↔${short(row.phone)} relay:${row.relay} ${row.client}`
}

export async function timedAttempt(
  lab: NatLab,
  row: TimedRow,
  options: TimedOptions = {}
): Promise<TimedAttempt> {
  const tokens = options.tokens ?? 50
  const tokensPerSecond = options.tokensPerSecond ?? 50
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000
  const switchWaitMs = options.switchWaitMs ?? 10_000
  const replyWaitMs = (tokens / tokensPerSecond) * 1000 + 20_000
  const home = await lab.site('home', row.home)
  const phone = await lab.site('carrier', row.phone)
  let host: LabHost | undefined
  let client: LabClient | undefined
  try {
    host = await LabHost.start(lab, home, {
      relayKey: row.relay === 'none' ? undefined : options.relayKey,
      tokens,
      tokensPerSecond
    })
    client = await LabClient.start(lab, phone, {
      kind: row.client,
      serverId: host.serverId,
      relayKey: row.relay === 'both' ? options.relayKey : undefined,
      lifeMs: connectTimeoutMs + switchWaitMs + 2 * replyWaitMs + 30_000,
      waitMs: connectTimeoutMs
    })
    const connected = await client.connected(connectTimeoutMs)
    const errors = client.errorDetails()
    const failed = client.events.find((e) => e.event === 'error')
    const firstError = failed && {
      code: String(failed.code),
      ms: failed.wall - client.connectFrom,
      saysRelay: typeof failed.message === 'string' && /relay/i.test(failed.message),
      ...(errors[0]?.includes('(') ? { cause: errors[0].replace(/^.*\((.*)\)$/, '$1') } : {})
    }
    if (!connected)
      return { connected: false, errors, replies: [], ...(firstError ? { firstError } : {}) }
    const from = client.events.indexOf(connected)
    const first = await client.process
      .waitFor((e) => e.event === 'path', 5000, from)
      .catch(() => undefined)
    const bootstrapped = client.events.find(
      (e) => e.event === 'log' && e.msg === 'dht bootstrapped'
    )
    const path = pathOf(first)
    const replies = [await timedReply(client, host, 'prompt 1', replyWaitMs)]
    let switchMs: number | undefined
    if (path === 'relayed') {
      const left = connected.wall + switchWaitMs - wallClock()
      const direct = await client.process
        .waitFor((e) => e.event === 'path' && e.path === 'direct', Math.max(0, left), from)
        .catch(() => undefined)
      if (direct) {
        switchMs = direct.wall - connected.wall
        replies.push(await timedReply(client, host, 'prompt 2', replyWaitMs))
      }
    }
    const hostPath = host.firstPath()
    return {
      connected: true,
      connectMs: connected.wall - client.connectFrom,
      ...(bootstrapped ? { bootstrapMs: bootstrapped.wall - client.connectFrom } : {}),
      ...(typeof first?.connect_ms === 'number' ? { productConnectMs: first.connect_ms } : {}),
      ...(path ? { path } : {}),
      ...(switchMs !== undefined ? { switchMs } : {}),
      ...(hostPath ? { hostPath } : {}),
      ...(firstError ? { firstError } : {}),
      errors: client.errorDetails(),
      replies
    }
  } finally {
    await client?.close()
    await phone.close()
    await home.close()
    await host?.close()
  }
}

/** Sends `prompt`, waits for its reply, and times it chunk by chunk against the stand-in. */
async function timedReply(
  client: LabClient,
  host: LabHost,
  prompt: string,
  waitMs: number
): Promise<TimedReply> {
  const sent = client.send(prompt)
  const reply = await client.reply(sent, waitMs)
  const paths = client.events.filter((e) => e.event === 'path')
  const pathAt = (wall: number): Path =>
    pathOf(paths.filter((e) => e.wall <= wall).at(-1)) ?? 'direct'
  const firstChunk = reply.chunks[0]
  const firstTokenAt = host.firstTokenAt(prompt)
  const interval = host.tokensPerSecond > 0 ? 1000 / host.tokensPerSecond : 0
  const chunkDelays =
    firstTokenAt === undefined || interval === 0
      ? []
      : reply.chunks.map((wall, i) => ({
          path: pathAt(wall),
          ms: wall - (firstTokenAt + i * interval)
        }))
  return {
    ok: reply.ok,
    ...(firstChunk !== undefined
      ? { path: pathAt(firstChunk), firstTokenMs: firstChunk - reply.sentWall }
      : {}),
    chunkDelays
  }
}

function pathOf(event: LabEvent | undefined): Path | undefined {
  if (!event) return undefined
  return event.path === 'relayed' ? 'relayed' : 'direct'
}
