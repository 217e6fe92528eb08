// The lab's reference table with bare Hyperswarm peers (raw-peer.ts): what hyperswarm and
// hyperdht do through each NAT pair, before any LocalLLM code is involved.
//
//   node reliability/dist/natlab/raw-table.js [attempts=3] [timeoutS=20] [row filter]
//   e.g. `… raw-table.js 3 20 sym` runs only the rows whose label contains "sym"
//
// Re-executes itself in a loopback-only namespace (scripts/netns.mjs) and builds the lab
// inside it. Each attempt gets fresh routers, a fresh server and a fresh topic.

import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { isMain, runCommand } from '../src/cli-entry.js'
import { markdownTable, summarize, type Attempt, type RowSummary } from './lab-table.js'
import { NatLab, RELAY_HOST, type NatKind } from './nat-lab.js'
import type { LabProcess } from './lab-process.js'

const RAW_PEER = fileURLToPath(new URL('./raw-peer.js', import.meta.url))

/** Who passes relayThrough: nobody, both peers, or only the server ('always': every time). */
export type RelayUse = 'none' | 'both' | 'host' | 'host-always'

export interface RawRow {
  home: NatKind
  phone: NatKind
  relay: RelayUse
}

export const RAW_ROWS: RawRow[] = [
  { home: 'cone', phone: 'cone', relay: 'none' },
  { home: 'cone', phone: 'symmetric', relay: 'none' },
  { home: 'cone', phone: 'symmetric', relay: 'both' },
  { home: 'symmetric', phone: 'symmetric', relay: 'none' },
  { home: 'symmetric', phone: 'symmetric', relay: 'both' },
  { home: 'cone', phone: 'none', relay: 'none' },
  { home: 'cone', phone: 'none', relay: 'both' },
  // Does the host's setting alone reach the client?
  { home: 'symmetric', phone: 'symmetric', relay: 'host' },
  { home: 'cone', phone: 'symmetric', relay: 'host' },
  { home: 'cone', phone: 'symmetric', relay: 'host-always' },
  { home: 'symmetric', phone: 'cone', relay: 'host' }
]

export function rowLabel(row: RawRow): string {
  const short = (k: NatKind) => (k === 'symmetric' ? 'sym' : k === 'none' ? 'public' : k)
  return `${short(row.home)}↔${short(row.phone)} relay:${row.relay}`
}

export async function rawAttempt(
  lab: NatLab,
  row: RawRow,
  relayKey: string,
  timeoutMs: number
): Promise<Attempt> {
  const home = await lab.site('home', row.home)
  const phone = await lab.site('carrier', row.phone)
  const topic = randomBytes(32).toString('hex')
  const life = timeoutMs + 60_000
  const peer = (role: 'server' | 'client', relay: boolean, policy: string) =>
    JSON.stringify({
      role,
      bootstrap: lab.bootstrap,
      topic,
      relay: relay ? relayKey : null,
      relayPolicy: policy
    })
  const notes: string[] = []
  try {
    const server = home.peer.start(
      [
        process.execPath,
        RAW_PEER,
        peer('server', row.relay !== 'none', row.relay === 'host-always' ? 'always' : 'default')
      ],
      { lifeMs: life }
    )
    const ready = await server.waitFor((e) => e.event === 'ready', 20_000)
    if (ready.randomized) notes.push('host randomized')
    const client = phone.peer.start(
      [process.execPath, RAW_PEER, peer('client', row.relay === 'both', 'default')],
      { lifeMs: life }
    )
    const joining = await client.waitFor((e) => e.event === 'joining', 20_000)
    let connection
    try {
      connection = await client.waitFor((e) => e.event === 'connection', timeoutMs)
    } catch {
      return { connected: false, notes: [...notes, ...failures(client)] }
    }
    const path = connection.remoteHost === RELAY_HOST ? 'relayed' : 'direct'
    let switchMs: number | undefined
    if (path === 'relayed') {
      const changed = await client
        .waitFor((e) => e.event === 'remote-changed', 10_000)
        .catch(() => undefined)
      if (changed) switchMs = changed.at - connection.at
    }
    await client.waitFor((e) => e.event === 'echo', 5_000).catch(() => notes.push('no echo'))
    return {
      connected: true,
      connectMs: connection.at - joining.at,
      path,
      ...(switchMs !== undefined ? { switchMs } : {}),
      notes: [...notes, ...failures(client)]
    }
  } finally {
    await phone.close()
    await home.close()
  }
}

function failures(client: LabProcess): string[] {
  return client.events.filter((e) => e.event === 'attempt-failed').map((e) => String(e.code))
}

/** A relay on the lab's internet, as a raw blind-relay process; resolves with its hex key. */
export async function startRawRelay(lab: NatLab): Promise<string> {
  const ns = await lab.internetHost(RELAY_HOST)
  const relay = ns.start(
    [
      process.execPath,
      RAW_PEER,
      JSON.stringify({
        role: 'relay',
        bootstrap: lab.bootstrap,
        relaySeed: randomBytes(32).toString('hex')
      })
    ],
    { lifeMs: lab.lifeMs }
  )
  const ready = await relay.waitFor((e) => e.event === 'ready', 20_000)
  return String(ready.publicKey)
}

if (isMain(import.meta.url)) {
  await runCommand(import.meta.url, async (args) => {
    const attempts = Number(args[0] ?? 3)
    const timeoutMs = Number(args[1] ?? 20) * 1000
    const filter = args[2]
    const rows = RAW_ROWS.filter((row) => !filter || rowLabel(row).includes(filter))
    const budget = rows.length * attempts * (timeoutMs + 40_000) + 120_000
    const lab = await NatLab.start({ lifeMs: budget })
    const summaries: RowSummary[] = []
    try {
      const relayKey = await startRawRelay(lab)
      for (const row of rows) {
        const results: Attempt[] = []
        for (let i = 0; i < attempts; i++) {
          const result = await rawAttempt(lab, row, relayKey, timeoutMs)
          console.log(`${rowLabel(row)} #${i + 1}: ${JSON.stringify(result)}`)
          results.push(result)
        }
        summaries.push(summarize(rowLabel(row), results))
      }
    } finally {
      await lab.close()
    }
    console.log(
      `\nraw Hyperswarm, ${attempts} per row, ${timeoutMs / 1000} s timeout; connect s from the client's join\n`
    )
    console.log(markdownTable(summaries))
    return true
  })
}
