// One attempt with the real product through the NAT lab: the Ollama stand-in and
// `localllm host` behind the home site, and behind the carrier site either `localllm chat
// --prompt` (Node, ClientSession) or the iPhone app's worklet under `bare` (NDJSON commands
// on stdin). Paths (direct or relayed) are what the product itself reports: the host's
// `--json` state (`connected[].path`), the chat's and the worklet's `path` events.
//
//   const relay = await startProductRelay(lab)            // `localllm relay` at RELAY_HOST
//   const a = await productAttempt(lab, { home: 'symmetric', phone: 'symmetric',
//     relay: 'host', client: 'node' }, { relayKey: relay.key })
//   a.connected, a.connectMs, a.path, a.switchMs, a.replied, a.notes

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBootstrap } from '@localllm/core'
import type { Attempt } from './lab-table.js'
import type { LabEvent, LabProcess } from './lab-process.js'
import { LabClient, type ProductClient } from './lab-client.js'
import { LabHost, LOCALLLM } from './lab-host.js'
import { RELAY_HOST, type NatKind, type NatLab, type Site } from './nat-lab.js'

export type { ProductClient } from './lab-client.js'

export interface ProductRow {
  home: NatKind
  phone: NatKind
  /**
   * 'host': only `localllm host --relay`, the client knows no relay before it connects (a
   * first contact); 'both': the client knows the relay too (from an earlier server_info).
   */
  relay: 'none' | 'host' | 'both'
  client: ProductClient
}

export interface ProductOptions {
  relayKey?: string
  /** How long the client may take to connect (the chat's own limit is 20 s). */
  timeoutMs?: number
  /** Reply length and pace: long enough to see a relayed connection go direct. */
  tokens?: number
  tokensPerSecond?: number
}

export interface ProductAttempt extends Attempt {
  /** The prompt's reply streamed and ended normally. */
  replied: boolean
  /** What the host saw: the path of its connection to this client. */
  hostPath?: 'direct' | 'relayed'
  /** When a client that did not connect said why first (ms from its start). */
  firstErrorMs?: number
}

export interface ProductRelay {
  /** z-base32, as `localllm relay` prints it. */
  key: string
  process: LabProcess
}

/** `localllm relay` on the lab's internet, with its own config folder. */
export async function startProductRelay(lab: NatLab): Promise<ProductRelay> {
  const ns = await lab.internetHost(RELAY_HOST)
  const dir = await mkdtemp(join(tmpdir(), 'natlab-relay-'))
  const relay = ns.start(
    [
      process.execPath,
      LOCALLLM,
      'relay',
      '--bootstrap',
      formatBootstrap(lab.bootstrap),
      '--json',
      '--config-dir',
      dir
    ],
    { lifeMs: lab.lifeMs }
  )
  const listening = await relay.waitFor((e) => e.event === 'listening', 20_000)
  return { key: String(listening.public_key), process: relay }
}

export function productLabel(row: ProductRow): string {
  const short = (k: NatKind) => (k === 'symmetric' ? 'sym' : k === 'none' ? 'public' : k)
  return `${short(row.home)}↔${short(row.phone)} relay:${row.relay} ${row.client}`
}

export async function productAttempt(
  lab: NatLab,
  row: ProductRow,
  options: ProductOptions = {}
): Promise<ProductAttempt> {
  const timeoutMs = options.timeoutMs ?? 25_000
  const home = await lab.site('home', row.home)
  const phone = await lab.site('carrier', row.phone)
  let host: LabHost | undefined
  try {
    host = await LabHost.start(lab, home, {
      relayKey: row.relay === 'none' ? undefined : options.relayKey,
      ...(options.tokens !== undefined ? { tokens: options.tokens } : {}),
      ...(options.tokensPerSecond !== undefined ? { tokensPerSecond: options.tokensPerSecond } : {})
    })
    const from = host.process.events.length
    const clientRelay = row.relay === 'both' ? options.relayKey : undefined
    const result =
      row.client === 'node'
        ? await chatOnce(lab, phone, host.serverId, timeoutMs, clientRelay)
        : await workletOnce(lab, phone, host.serverId, timeoutMs, clientRelay)
    const hostPath = host.firstPath(from)
    if (hostPath) result.hostPath = hostPath
    return result
  } finally {
    await phone.close()
    await home.close()
    await host?.close()
  }
}

/** `localllm chat <id> --prompt … --json`: connect time counts from the process start. */
async function chatOnce(
  lab: NatLab,
  phone: Site,
  serverId: string,
  timeoutMs: number,
  relayKey: string | undefined
): Promise<ProductAttempt> {
  const clientDir = await mkdtemp(join(tmpdir(), 'natlab-chat-'))
  try {
    const chat = phone.peer.start(
      [
        process.execPath,
        LOCALLLM,
        'chat',
        serverId,
        '--bootstrap',
        formatBootstrap(lab.bootstrap),
        '--config-dir',
        clientDir,
        '--wait',
        String(Math.ceil(timeoutMs / 1000)),
        ...(relayKey ? ['--relay', relayKey] : []),
        '--prompt',
        'Hello through the NATs',
        '--json'
      ],
      { lifeMs: timeoutMs + 60_000 }
    )
    await chat.exitWithin(timeoutMs + 45_000)
    const connected = chat.events.find((e) => e.event === 'status' && e.status === 'connected')
    const notes = errorCodes(chat.events)
    const firstError = chat.events.find((e) => e.event === 'error')
    if (!connected) {
      return {
        connected: false,
        replied: false,
        notes,
        ...(firstError ? { firstErrorMs: firstError.at } : {})
      }
    }
    return {
      ...clientView(chat.events),
      connected: true,
      connectMs: connected.at,
      replied: chat.exitCode === 0 && chat.events.some((e) => e.event === 'end'),
      notes
    }
  } finally {
    await rm(clientDir, { recursive: true, force: true })
  }
}

/** The worklet under `bare`: connect time counts from the `connect` command. */
async function workletOnce(
  lab: NatLab,
  phone: Site,
  serverId: string,
  timeoutMs: number,
  relayKey: string | undefined
): Promise<ProductAttempt> {
  const worklet = await LabClient.start(lab, phone, {
    kind: 'bare',
    serverId,
    relayKey,
    lifeMs: timeoutMs + 60_000
  })
  try {
    const connected = await worklet.connected(timeoutMs)
    if (!connected) return { connected: false, replied: false, notes: worklet.errorCodes() }
    const reply = await worklet.reply(worklet.send('Hello through the NATs'), 60_000)
    return {
      ...clientView(worklet.events),
      connected: true,
      connectMs: Math.round(connected.wall - worklet.connectFrom),
      replied: reply.ok,
      notes: worklet.errorCodes()
    }
  } finally {
    await worklet.close()
  }
}

/** The client's first path, and how long after it the connection went direct. */
function clientView(events: LabEvent[]): Pick<ProductAttempt, 'path' | 'switchMs'> {
  const reports = events.filter((e) => e.event === 'path')
  const first = reports[0]
  if (!first) return {}
  const path = first.path === 'relayed' ? 'relayed' : 'direct'
  const direct = reports.find((e) => e.path === 'direct' && e.at >= first.at)
  return {
    path,
    ...(path === 'relayed' && direct ? { switchMs: direct.at - first.at } : {})
  }
}

function errorCodes(events: LabEvent[]): string[] {
  return events.filter((e) => e.event === 'error').map((e) => String(e.code))
}
