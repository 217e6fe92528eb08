// A phone that changes networks while a reply streams, through the NAT lab: connected to
// the host, a prompt streaming, then NatLab.move puts the phone behind another carrier NAT
// (new router, new LAN address). What did the reply end with, how soon was the phone
// connected again on its own, by which path, and does the next prompt stream?
//
//   const m = await moveAttempt(lab, { home: 'cone', from: 'cone', to: 'symmetric',
//     relay: 'none', client: 'bare' }, { relayKey })
//   m.firstReply.code  // 'HOST_DISCONNECTED'      m.reconnectMs  // move → connected again
//
// Times count from the move (the `ip -batch` that swaps the phone's link), on the wall clock.

import { LabClient, type ProductClient, type ReplyResult } from './lab-client.js'
import { LabHost } from './lab-host.js'
import type { NatKind, NatLab } from './nat-lab.js'

export interface MoveRow {
  home: NatKind
  /** The phone's network before and after the move (both carrier side). */
  from: NatKind
  to: NatKind
  /** As in ProductRow: nobody, only `localllm host --relay`, or the phone knows it too. */
  relay: 'none' | 'host' | 'both'
  client: ProductClient
}

export interface MoveOptions {
  relayKey?: string
  /** How long the phone may take to connect, before and after the move. */
  connectTimeoutMs?: number
  reconnectTimeoutMs?: number
  /** Each reply: tokens at this pace; the move comes `moveAfterChunks` chunks into the first. */
  tokens?: number
  tokensPerSecond?: number
  moveAfterChunks?: number
}

export interface MoveAttempt {
  connected: boolean
  pathBefore?: 'direct' | 'relayed'
  /** How long the switch itself took (the `ip -batch` in the phone's namespace). */
  switchMs?: number
  firstReply?: ReplyResult
  /** Move → the streaming reply ended (the phone noticed the connection was gone). */
  dropMs?: number
  reconnected: boolean
  /** Move → `connected` again. */
  reconnectMs?: number
  /** The product's own figure: from noticing the drop to connected (`path.connect_ms`). */
  productReconnectMs?: number
  pathAfter?: 'direct' | 'relayed'
  /** The next prompt, sent once connected again. */
  secondReply?: ReplyResult & { firstTokenMs?: number }
  /** Move → the worklet's DHT said 'network changed' (bare: its log lines), if it did. */
  networkChangeMs?: number
  /** bare: whether the first dial after the move went through the relay (its log line). */
  redialRelayed?: boolean
  /** Most devices the host listed at once after the move (1: the new connection replaced the old). */
  hostDevicesAfter: number
  /** Error codes the phone reported after the move, in order. */
  notes: string[]
}

export function moveLabel(row: MoveRow): string {
  const short = (k: NatKind) => (k === 'symmetric' ? 'sym' : k === 'none' ? 'public' : k)
  return `${short(row.home)}↔${short(row.from)}→${short(row.to)} relay:${row.relay} ${row.client}`
}

export async function moveAttempt(
  lab: NatLab,
  row: MoveRow,
  options: MoveOptions = {}
): Promise<MoveAttempt> {
  const tokens = options.tokens ?? 80
  const tokensPerSecond = options.tokensPerSecond ?? 20
  const replyMs = (tokens / tokensPerSecond) * 1000
  const home = await lab.site('home', row.home)
  const phone = await lab.site('carrier', row.from)
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
      lifeMs: 180_000
    })
    const connectTimeoutMs = options.connectTimeoutMs ?? 25_000
    const connected = await client.connected(connectTimeoutMs)
    if (!connected) {
      return {
        connected: false,
        reconnected: false,
        hostDevicesAfter: 0,
        notes: client.errorDetails()
      }
    }
    const pathBefore = await firstPath(client, client.events.indexOf(connected))
    const first = client.send('prompt 1: before the move')
    const enough = options.moveAfterChunks ?? 10
    await client.process.waitFor(
      (e) => e.event === 'chunk' && chunkCount(client as LabClient, first.from) >= enough,
      connectTimeoutMs,
      first.from
    )
    const hostFrom = host.process.events.length
    const clientFrom = client.events.length
    const { at: movedAt, doneAt } = await lab.move(phone, row.to)
    const firstReply = await client.reply(first, replyMs + 30_000)
    const reconnectTimeoutMs = options.reconnectTimeoutMs ?? 60_000
    const back = await client.connected(reconnectTimeoutMs, clientFrom)
    const ended = client.events.slice(clientFrom)
    const network = ended.find((e) => e.event === 'log' && e.msg === 'network changed')
    const redial = ended.find((e) => e.event === 'log' && e.msg === 'dialing the host')
    const redialFields = redial?.fields as { relay?: boolean } | undefined
    const base = {
      connected: true,
      ...(pathBefore ? { pathBefore } : {}),
      firstReply,
      ...(firstReply.endWall !== undefined ? { dropMs: firstReply.endWall - movedAt } : {}),
      ...(network ? { networkChangeMs: network.wall - movedAt } : {}),
      ...(redialFields ? { redialRelayed: redialFields.relay === true } : {}),
      switchMs: doneAt - movedAt
    }
    if (!back) {
      return {
        ...base,
        reconnected: false,
        hostDevicesAfter: host.mostConnected(hostFrom),
        notes: client.errorDetails(clientFrom)
      }
    }
    const pathEvent = await client.process
      .waitFor((e) => e.event === 'path', 5000, client.events.indexOf(back))
      .catch(() => undefined)
    const second = client.send('prompt 2: after the move')
    const secondReply = await client.reply(second, replyMs + 30_000)
    const firstChunk = secondReply.chunks[0]
    return {
      ...base,
      reconnected: true,
      reconnectMs: back.wall - movedAt,
      ...(typeof pathEvent?.connect_ms === 'number'
        ? { productReconnectMs: pathEvent.connect_ms }
        : {}),
      ...(pathEvent ? { pathAfter: pathEvent.path === 'relayed' ? 'relayed' : 'direct' } : {}),
      secondReply: {
        ...secondReply,
        ...(firstChunk !== undefined ? { firstTokenMs: firstChunk - secondReply.sentWall } : {})
      },
      hostDevicesAfter: host.mostConnected(hostFrom),
      notes: client.errorDetails(clientFrom)
    }
  } finally {
    await client?.close()
    await phone.close()
    await home.close()
    await host?.close()
  }
}

function chunkCount(client: LabClient, from: number): number {
  return client.events.slice(from).filter((e) => e.event === 'chunk').length
}

/** The path the client reported with (just after) the `connected` at event `from`. */
async function firstPath(
  client: LabClient,
  from: number
): Promise<'direct' | 'relayed' | undefined> {
  const path = await client.process
    .waitFor((e) => e.event === 'path', 5000, from)
    .catch(() => undefined)
  if (!path) return undefined
  return path.path === 'relayed' ? 'relayed' : 'direct'
}
