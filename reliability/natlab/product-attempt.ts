// One attempt with the real product through the NAT lab: the Ollama stand-in and
// `localllm host` behind the home site, and behind the carrier site either `localllm chat
// --prompt` (Node, ClientSession) or the iPhone app's worklet under `bare` (NDJSON commands
// on stdin). Connection paths come from path-probe.ts loaded into the Node processes.
//
//   const relay = await startProductRelay(lab)            // `localllm relay` at RELAY_HOST
//   const a = await productAttempt(lab, { home: 'symmetric', phone: 'symmetric',
//     relay: 'host', client: 'node' }, { relayKey: relay.key })
//   a.connected, a.connectMs, a.path, a.switchMs, a.replied, a.notes

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatBootstrap } from '@localllm/core'
import type { Attempt } from './lab-table.js'
import type { LabEvent, LabProcess } from './lab-process.js'
import { RELAY_HOST, type NatKind, type NatLab, type Site } from './nat-lab.js'

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
const LOCALLLM = repo('apps/host/bin/localllm.js')
const WORKLET_DIR = repo('apps/client/worklet')
const BARE = repo('node_modules/.bin/bare')
const PROBE = new URL('./path-probe.js', import.meta.url).href
const STANDIN_PORT = '11434'

export type ProductClient = 'node' | 'bare'

export interface ProductRow {
  home: NatKind
  phone: NatKind
  /** 'host': only `localllm host --relay`; the client passes nothing (it cannot yet). */
  relay: 'none' | 'host'
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
  const configDir = await mkdtemp(join(tmpdir(), 'natlab-host-'))
  try {
    const host = await startHost(
      lab,
      home,
      configDir,
      row.relay === 'host' ? options.relayKey : undefined,
      options
    )
    const serverId = String((await host.waitFor((e) => e.event === 'started', 30_000)).server_id)
    const from = host.events.length
    const result =
      row.client === 'node'
        ? await chatOnce(lab, phone, serverId, timeoutMs)
        : await workletOnce(lab, phone, serverId, timeoutMs)
    // The host's view: its first connection from this client, and when it went direct.
    const hostView = hostPaths(host.events.slice(from))
    if (hostView.path) result.hostPath = hostView.path
    // The worklet has no probe (bare): its path is the host's.
    if (result.connected && !result.path) Object.assign(result, hostView)
    return result
  } finally {
    await phone.close()
    await home.close()
    await rm(configDir, { recursive: true, force: true })
  }
}

async function startHost(
  lab: NatLab,
  home: Site,
  configDir: string,
  relayKey: string | undefined,
  options: ProductOptions
): Promise<LabProcess> {
  const standin = home.peer.start(
    [
      process.execPath,
      LOCALLLM,
      'standin',
      '--port',
      STANDIN_PORT,
      '--json',
      '--reply',
      'A reply from the stand-in, through the NAT lab. ',
      '--tokens',
      String(options.tokens ?? 20),
      '--tokens-per-second',
      String(options.tokensPerSecond ?? 0)
    ],
    { lifeMs: lab.lifeMs }
  )
  await standin.waitFor((e) => e.event === 'listening', 15_000)
  return home.peer.start(
    [
      process.execPath,
      '--import',
      PROBE,
      LOCALLLM,
      'host',
      '--bootstrap',
      formatBootstrap(lab.bootstrap),
      '--ollama',
      `http://127.0.0.1:${STANDIN_PORT}`,
      '--json',
      '--config-dir',
      configDir,
      ...(relayKey ? ['--relay', relayKey] : [])
    ],
    { lifeMs: lab.lifeMs }
  )
}

/** `localllm chat <id> --prompt … --json`: connect time counts from the process start. */
async function chatOnce(
  lab: NatLab,
  phone: Site,
  serverId: string,
  timeoutMs: number
): Promise<ProductAttempt> {
  const chat = phone.peer.start(
    [
      process.execPath,
      '--import',
      PROBE,
      LOCALLLM,
      'chat',
      serverId,
      '--bootstrap',
      formatBootstrap(lab.bootstrap),
      '--prompt',
      'Hello through the NATs',
      '--json'
    ],
    { lifeMs: timeoutMs + 60_000 }
  )
  await chat.exitWithin(timeoutMs + 45_000)
  const connected = chat.events.find((e) => e.event === 'status' && e.status === 'connected')
  const notes = [...errorCodes(chat.events), ...failedAttempts(chat.events, connected)]
  if (!connected) return { connected: false, replied: false, notes }
  return {
    ...paths(chat.events, connected),
    connected: true,
    connectMs: connected.at,
    replied: chat.exitCode === 0 && chat.events.some((e) => e.event === 'end'),
    notes
  }
}

/** The worklet under `bare`: connect time counts from the `connect` command. */
async function workletOnce(
  lab: NatLab,
  phone: Site,
  serverId: string,
  timeoutMs: number
): Promise<ProductAttempt> {
  const worklet = phone.peer.start([BARE, join(WORKLET_DIR, 'bin', 'stdio.js')], {
    lifeMs: timeoutMs + 60_000,
    stdin: true,
    cwd: WORKLET_DIR
  })
  try {
    await worklet.waitFor((e) => e.event === 'ready', 15_000)
    const sentAt = Date.now() - worklet.startedAt
    worklet.write(
      JSON.stringify({
        cmd: 'connect',
        server_id: serverId,
        bootstrap: formatBootstrap(lab.bootstrap)
      }) + '\n'
    )
    const connected = await worklet
      .waitFor((e) => e.event === 'status' && e.status === 'connected', timeoutMs)
      .catch(() => undefined)
    if (!connected) return { connected: false, replied: false, notes: errorCodes(worklet.events) }
    worklet.write(
      JSON.stringify({ cmd: 'send', ref: 'r1', prompt: 'Hello through the NATs' }) + '\n'
    )
    const terminal = await worklet
      .waitFor((e) => (e.event === 'end' || e.event === 'error') && e.ref === 'r1', 60_000)
      .catch(() => undefined)
    return {
      connected: true,
      connectMs: connected.at - sentAt,
      replied: terminal?.event === 'end',
      notes: errorCodes(worklet.events)
    }
  } finally {
    worklet.child.stdin?.end()
    await worklet.exitWithin(3000)
    await worklet.stop()
  }
}

/** The first connection's path, and when (after it opened) it went direct. */
function paths(
  events: LabEvent[],
  connected: LabEvent
): Pick<ProductAttempt, 'path' | 'switchMs' | 'fromJoinMs'> {
  const probes = events.filter((e) => e.event === 'probe' && e.at <= connected.at)
  const first = probes.find((e) => e.what === 'connection')
  if (!first) return {}
  const changed = events.find(
    (e) => e.event === 'probe' && e.what === 'remote-changed' && e.at >= first.at
  )
  const joined = probes.find((e) => e.what === 'join')
  return {
    ...(joined ? { fromJoinMs: connected.at - joined.at } : {}),
    path: pathOf(first),
    ...(pathOf(first) === 'relayed' && changed ? { switchMs: changed.at - first.at } : {})
  }
}

function hostPaths(events: LabEvent[]): Pick<ProductAttempt, 'path' | 'switchMs'> {
  const first = events.find((e) => e.event === 'probe' && e.what === 'connection')
  if (!first) return {}
  const changed = events.find(
    (e) => e.event === 'probe' && e.what === 'remote-changed' && e.at >= first.at
  )
  return {
    path: pathOf(first),
    ...(pathOf(first) === 'relayed' && changed ? { switchMs: changed.at - first.at } : {})
  }
}

function pathOf(event: LabEvent): 'direct' | 'relayed' {
  return event.remoteHost === RELAY_HOST ? 'relayed' : 'direct'
}

function errorCodes(events: LabEvent[]): string[] {
  return events.filter((e) => e.event === 'error').map((e) => String(e.code))
}

/** hyperdht's failed connection attempts before connected, counted per code. */
function failedAttempts(events: LabEvent[], connected: LabEvent | undefined): string[] {
  const counts = new Map<string, number>()
  for (const e of events) {
    if (connected && e.at > connected.at) break
    if (e.event !== 'probe' || e.what !== 'attempt-failed') continue
    counts.set(String(e.code), (counts.get(String(e.code)) ?? 0) + 1)
  }
  return [...counts].map(([code, n]) => `${n} attempt${n === 1 ? '' : 's'} ${code}`)
}
