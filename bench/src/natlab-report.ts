// Turns a run of the NAT lab table (natlab.ts) into what people read: per NAT pair and relay
// setting the success rate, connect p50/p90/max, first path and switch to direct; replies by
// path; the network-change rows; the issue's targets, each met or missed and by how much.
//
//   const doc = natlabMarkdown(results)        // the section between the natlab markers
//   await writeNatlabReport(results, from, to) // JSON + docs/benchmarks.md (or temp copies)

import { readFile, writeFile } from 'node:fs/promises'
import type {
  MoveAttempt,
  MoveRow,
  Path,
  TimedAttempt,
  TimedRow
} from '@localllm/reliability/natlab'

export const NATLAB_START =
  '<!-- bench:natlab:start (written by `npm run bench -- natlab`; edits here are lost) -->'
export const NATLAB_END = '<!-- bench:natlab:end -->'

export interface NatlabResults {
  machine: { cpus: number; cpuModel: string; node: string; date: string }
  /** 1-minute load average at the start, the end, and the most seen before any attempt. */
  load: { start: number; end: number; max: number }
  durationS: number
  attemptsPerRow: number
  client: 'bare' | 'node'
  tokens: number
  tokensPerSecond: number
  pairs: Array<{ label: string; row: TimedRow; attempts: TimedAttempt[]; labErrors: string[] }>
  moves: Array<{ label: string; row: MoveRow; attempts: MoveAttempt[]; labErrors: string[] }>
}

export interface NatlabTarget {
  name: string
  measured: string
  pass: boolean | null
}

/** Nearest rank: every figure is one that was measured. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

const defined = <T>(values: Array<T | undefined>): T[] =>
  values.filter((v): v is T => v !== undefined)

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—'
}

function millis(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  return Math.abs(ms) >= 100 ? ms.toFixed(0) : ms.toFixed(2)
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`

const spread = (values: number[], f: (ms: number) => string) =>
  values.length === 0
    ? '—'
    : `${f(percentile(values, 50))} / ${f(percentile(values, 90))} / ${f(Math.max(...values))}`

function counts(values: string[]): string {
  const n = new Map<string, number>()
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1)
  return [...n].map(([v, k]) => `${v} ×${k}`).join(', ')
}

const nat = (k: string) => (k === 'symmetric' ? 'sym' : k === 'none' ? 'public' : k)
const relayName = { none: 'none', host: 'host only', both: 'host + phone' } as const
/** "sym ↔ cone": a row's pair as the tables name it. */
const pairName = (row: TimedRow) => `${nat(row.home)} ↔ ${nat(row.phone)}`

/** Every chunk's delay and every reply's first token, by the path it took. */
function byPath(results: NatlabResults): Record<Path, { chunks: number[]; firstTokens: number[] }> {
  const out = {
    direct: { chunks: [], firstTokens: [] },
    relayed: { chunks: [], firstTokens: [] }
  } as Record<Path, { chunks: number[]; firstTokens: number[] }>
  for (const pair of results.pairs) {
    for (const a of pair.attempts) {
      for (const r of a.replies) {
        for (const c of r.chunkDelays) out[c.path].chunks.push(c.ms)
        if (r.path && r.firstTokenMs !== undefined) out[r.path].firstTokens.push(r.firstTokenMs)
      }
    }
  }
  return out
}

/** Connections that were relayed and then went direct: the same pair, before and after. */
function paired(results: NatlabResults): { relayed: number[]; direct: number[]; replies: number } {
  const relayed: number[] = []
  const direct: number[] = []
  let replies = 0
  for (const pair of results.pairs) {
    for (const a of pair.attempts) {
      const [first, second] = a.replies
      if (first?.path !== 'relayed' || second?.path !== 'direct') continue
      replies++
      relayed.push(...first.chunkDelays.filter((c) => c.path === 'relayed').map((c) => c.ms))
      direct.push(...second.chunkDelays.filter((c) => c.path === 'direct').map((c) => c.ms))
    }
  }
  return { relayed, direct, replies }
}

export function natlabTargets(results: NatlabResults): NatlabTarget[] {
  const targets: NatlabTarget[] = []
  const find = (home: string, phone: string, relay: string) =>
    results.pairs.find((p) => p.row.home === home && p.row.phone === phone && p.row.relay === relay)
  const connectTimes = (a: TimedAttempt[]) => defined(a.map((x) => x.connectMs))
  for (const relay of ['host', 'both'] as const) {
    const rows = results.pairs.filter((p) => p.row.relay === relay)
    if (rows.length === 0) continue
    const missed = rows.filter((p) => p.attempts.some((a) => !a.connected))
    const rate = (p: (typeof rows)[number]) =>
      `${pairName(p.row)} ${p.attempts.filter((a) => a.connected).length}/${p.attempts.length}`
    targets.push({
      name: `with a relay (${relayName[relay]}): every pair 100 % connected`,
      measured: missed.length
        ? `missed: ${missed.map(rate).join('; ')}`
        : `${rows.length} pairs, all connected`,
      pass: missed.length === 0
    })
    const p50s = rows.map((p) => ({ p, p50: percentile(connectTimes(p.attempts), 50) }))
    const slow = p50s.filter(({ p50 }) => !(p50 < 1000))
    targets.push({
      name: `with a relay (${relayName[relay]}): p50 connect under 1 s, every pair`,
      measured: slow.length
        ? `over: ${slow.map(({ p, p50 }) => `${pairName(p.row)} ${seconds(p50)} s`).join('; ')}`
        : `worst p50 ${seconds(Math.max(...p50s.map(({ p50 }) => p50)))} s`,
      pass: slow.length === 0
    })
  }
  const cone = find('cone', 'cone', 'none')
  if (cone) {
    const p50 = percentile(connectTimes(cone.attempts), 50)
    targets.push({
      name: 'without a relay: cone ↔ cone p50 connect under 0.5 s',
      measured: `${seconds(p50)} s`,
      pass: p50 < 500
    })
  }
  const sym = find('symmetric', 'symmetric', 'none')
  if (sym) {
    const said = defined(sym.attempts.map((a) => a.firstError))
    const unreachable = said.filter((e) => e.code === 'HOST_UNREACHABLE')
    const times = unreachable.map((e) => e.ms)
    const allSaid =
      unreachable.length === sym.attempts.length && unreachable.every((e) => e.saysRelay)
    const sentence = unreachable.every((e) => e.saysRelay) ? ', with the relay sentence' : ''
    const connected = sym.attempts.some((a) => a.connected) ? '; some connected' : ''
    targets.push({
      name: 'without a relay: sym ↔ sym reported unreachable (HOST_UNREACHABLE, "a relay fixes it") in under 5 s',
      measured: `${unreachable.length}/${sym.attempts.length} said HOST_UNREACHABLE first${sentence}; after ${spread(times, seconds)} s (p50 / p90 / max)${connected}`,
      pass: allSaid && Math.max(...times) < 5000
    })
  }
  const paths = byPath(results)
  const relayed = percentile(paths.relayed.chunks, 50)
  const direct = percentile(paths.direct.chunks, 50)
  const gap = relayed - direct
  const same = paired(results)
  const sameText = same.replies
    ? `; on the same connection before and after it went direct (${same.replies}): ${millis(percentile(same.relayed, 50))} vs ${millis(percentile(same.direct, 50))} ms`
    : ''
  targets.push({
    name: "a relayed reply's per-chunk delay within 1 ms p50 of a direct one's",
    measured: Number.isFinite(gap)
      ? `${millis(relayed)} vs ${millis(direct)} ms (${gap >= 0 ? '+' : ''}${millis(gap)} ms)${sameText}`
      : 'not measured (no replies on one of the paths)',
    pass: Number.isFinite(gap) ? Math.abs(gap) <= 1 : null
  })
  return targets
}

export function natlabMarkdown(results: NatlabResults): string {
  const r = results
  const out: string[] = []
  const client =
    r.client === 'bare'
      ? "the iPhone worklet under `bare`; connect counts from its `connect` command (the runtime already started), so it includes the worklet's DHT bootstrap"
      : '`localllm chat --json` over a pipe; connect counts from the process start (Node start-up and DHT bootstrap included)'
  const cpu = r.machine.cpuModel.split(' ').slice(0, 2).join(' ')
  const loaded =
    r.load.max > r.machine.cpus
      ? '**a loaded machine: connect and first-token times are slower than on a quiet one**'
      : 'a quiet machine'
  const attempts = `${r.attemptsPerRow} ${r.attemptsPerRow === 1 ? 'attempt' : 'attempts'}`
  out.push(
    `Run ${r.machine.date} on ${r.machine.cpus} × ${cpu}, Node ${r.machine.node}, in ${Math.round(r.durationS / 60)} min; 1-minute load average ${r.load.start.toFixed(1)} at the start, up to ${r.load.max.toFixed(1)}, ${r.load.end.toFixed(1)} at the end (${loaded}). ${attempts} per row, each with a fresh host, fresh routers and a fresh phone. The phone: ${client}. Replies: ${r.tokens} tokens at ${r.tokensPerSecond} tokens/s from the stand-in.`,
    ''
  )
  out.push(
    'How to read it: "home ↔ phone" is the host\'s network, then the phone\'s. cone: a NAT that keeps one public port per socket (most home routers); sym: symmetric, a new public port per destination (carrier-grade and corporate NATs); public: no NAT. relay: none; host only (`localllm host --relay <key>`); host + phone (the phone knows the key too: `localllm chat` remembers the key a host announced, and every client uses it for redials within a session; the iPhone app keeps it with the host in Recent hosts; each attempt here is a fresh phone that learned it from an earlier connection). Connect times are seconds, the rest milliseconds where marked.',
    ''
  )
  out.push('### Targets', '')
  out.push('| target | measured | |', '| --- | --- | --- |')
  for (const t of natlabTargets(r)) {
    out.push(
      `| ${t.name} | ${t.measured} | ${t.pass === null ? '—' : t.pass ? 'met' : '**missed**'} |`
    )
  }
  out.push('')
  out.push(
    '### Connecting, per NAT pair (connect s: p50 / p90 / max)',
    '',
    `"after bootstrap": from the DHT's bootstrap to connected (dial, hole punch or relay, Noise, \`hello\`), p50${r.client === 'node' ? " (the product's own `connect_ms`: from the session's start, after Node start-up)" : ''}. "to direct": from connected to the switch, for connections that started relayed. "first said": what the phone said first when it was not connected yet, and when.`,
    '',
    '| home ↔ phone | relay | connected | connect s | after bootstrap s | first path | to direct s, p50 (max) | first said |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |'
  )
  for (const p of r.pairs) {
    const ok = p.attempts.filter((a) => a.connected)
    const connect = defined(ok.map((a) => a.connectMs))
    const after =
      r.client === 'bare'
        ? defined(
            ok.map((a) =>
              a.bootstrapMs !== undefined && a.connectMs !== undefined
                ? a.connectMs - a.bootstrapMs
                : undefined
            )
          )
        : defined(ok.map((a) => a.productConnectMs))
    const relayedFirst = ok.filter((a) => a.path === 'relayed')
    const switches = defined(relayedFirst.map((a) => a.switchMs))
    const said = defined(p.attempts.map((a) => a.firstError))
    const firstSaid = said.map((e) => (e.cause ? `${e.code} (${e.cause})` : e.code))
    const labErrors = p.labErrors.length ? ` (+${p.labErrors.length} lab errors)` : ''
    const toDirect = switches.length
      ? `: ${seconds(percentile(switches, 50))} (${seconds(Math.max(...switches))})`
      : ''
    out.push(
      row([
        `${nat(p.row.home)} ↔ ${nat(p.row.phone)}`,
        relayName[p.row.relay],
        `${ok.length}/${p.attempts.length}${labErrors}`,
        spread(connect, seconds),
        seconds(percentile(after, 50)),
        counts(defined(ok.map((a) => a.path))) || '—',
        relayedFirst.length ? `${switches.length}/${relayedFirst.length}${toDirect}` : '—',
        said.length
          ? `${counts(firstSaid)}, ${seconds(
              percentile(
                said.map((e) => e.ms),
                50
              )
            )} s p50`
          : '—'
      ])
    )
  }
  out.push('')
  const paths = byPath(r)
  const pair = paired(r)
  out.push(
    '### Replies by path (ms)',
    '',
    "First token: the prompt written to the phone → its first chunk back. Per chunk: a chunk's arrival minus the moment the stand-in was due to write that token; each chunk counted on the path the phone reported when it arrived. Both include the phone's stdin/stdout pipes to the lab, the same on every path.",
    '',
    '| path | replies | first token p50 / p90 / max | chunks | per chunk p50 | p90 | p99 | max |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |'
  )
  for (const path of ['direct', 'relayed'] as const) {
    const c = paths[path].chunks
    out.push(
      `| ${path} | ${paths[path].firstTokens.length} | ${spread(paths[path].firstTokens, millis)} | ${c.length} | ${millis(percentile(c, 50))} | ${millis(percentile(c, 90))} | ${millis(percentile(c, 99))} | ${millis(Math.max(...c))} |`
    )
  }
  if (pair.replies > 0) {
    out.push(
      `| relayed, then direct on the same connection (${pair.replies} pairs of replies) | — | — | ${pair.relayed.length} + ${pair.direct.length} | ${millis(percentile(pair.relayed, 50))} → ${millis(percentile(pair.direct, 50))} | ${millis(percentile(pair.relayed, 90))} → ${millis(percentile(pair.direct, 90))} | ${millis(percentile(pair.relayed, 99))} → ${millis(percentile(pair.direct, 99))} | — |`
    )
  }
  out.push('')
  if (r.moves.length > 0) {
    out.push(
      '### Network change: the phone moves to another carrier NAT while a reply streams',
      '',
      '`NatLab.move`: a new router, a new public and LAN address; times from the switch. "noticed": the reply ended (the client found the connection silent); "product": its own `connect_ms`, from noticing the drop to connected again; "redial via relay": the first dial after the move went through the relay (the worklet\'s log). s: p50 / p90 / max.',
      '',
      '| home ↔ phone: before → after | relay | reply ended with | noticed s | connected again | move → connected s | product s | redial via relay | path after | next prompt |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'
    )
    for (const m of r.moves) {
      const a = m.attempts.filter((x) => x.connected)
      const back = a.filter((x) => x.reconnected)
      out.push(
        `| ${nat(m.row.home)} ↔ ${nat(m.row.from)} → ${nat(m.row.to)} | ${relayName[m.row.relay]} | ${counts(a.map((x) => (x.firstReply?.ok ? 'end' : (x.firstReply?.code ?? 'nothing')))) || '—'} | ${spread(defined(a.map((x) => x.dropMs)), seconds)} | ${back.length}/${m.attempts.length}${m.labErrors.length ? ` (+${m.labErrors.length} lab errors)` : ''} | ${spread(defined(back.map((x) => x.reconnectMs)), seconds)} | ${spread(defined(back.map((x) => x.productReconnectMs)), seconds)} | ${redials(a)} | ${counts(defined(back.map((x) => x.pathAfter))) || '—'} | ${back.filter((x) => x.secondReply?.ok).length}/${back.length} streamed |`
      )
    }
    out.push('')
  }
  return out.join('\n')
}

function redials(attempts: MoveAttempt[]): string {
  const said = defined(attempts.map((a) => a.redialRelayed))
  return said.length ? `${said.filter(Boolean).length}/${said.length}` : '—'
}

/**
 * Writes the results as JSON to `to.json`, and `from.doc` with its natlab section replaced
 * to `to.doc` (the tracked files for a real run; copies in a temp folder for `--quick`).
 */
export async function writeNatlabReport(
  results: NatlabResults,
  from: { doc: string },
  to: { json: string; doc: string }
): Promise<void> {
  await writeFile(to.json, JSON.stringify(results, null, 2) + '\n')
  const doc = await readFile(from.doc, 'utf8')
  const start = doc.indexOf(NATLAB_START)
  const end = doc.indexOf(NATLAB_END)
  if (start === -1 || end < start) throw new Error(`${from.doc}: natlab markers missing`)
  const section = `${NATLAB_START}\n\n${natlabMarkdown(results)}\n${NATLAB_END}`
  const text = doc.slice(0, start) + section + doc.slice(end + NATLAB_END.length)
  // Formatted as `npm run lint` expects, so a fresh run leaves the tree lint-clean.
  const prettier = await import('prettier')
  const config = await prettier.resolveConfig(from.doc)
  await writeFile(to.doc, await prettier.format(text, { ...config, filepath: from.doc }))
}
