// Turns one run's results into bench/results/latest.json and the Markdown section of
// docs/benchmarks.md between its markers (the rest of that file is prose and stays).
//
//   const doc = join(root, 'docs/benchmarks.md')
//   await writeReport(results, { doc }, { json: join(root, 'bench/results/latest.json'), doc })

import { readFile, writeFile } from 'node:fs/promises'
import type { ConnectFigure, ConnectResult } from './connect.js'
import type { ProfileSummary } from './cpu-profile.js'
import type { ScaleResult } from './scale.js'
import type { PathName } from './paths.js'
import type { Summary } from './stats.js'
import type { PerPath, ThroughputRun } from './streaming.js'
import type { WarmUpResult } from './warm-up.js'

export const START_MARKER = '<!-- bench:start (written by `npm run bench`; edits here are lost) -->'
export const END_MARKER = '<!-- bench:end -->'

export interface Machine {
  cpus: number
  cpuModel: string
  node: string
  date: string
}

export interface Results {
  machine: Machine
  durationS: number
  firstToken: { rounds: number; warmup: number; byPath: PerPath<Summary> }
  perChunk: { rounds: number; tokens: number; tokensPerSecond: number; byPath: PerPath<Summary> }
  throughput: { rounds: number; tokens: number; byPath: PerPath<ThroughputRun> }
  connect: ConnectResult & { rounds: number; crossRounds: number }
  profile: ({ file: string; chunksPerSecond: number[] } & ProfileSummary) | null
  scale: ScaleResult
  warmUp: WarmUpResult
  targets: Target[]
}

export interface Target {
  name: string
  measured: string
  pass: boolean
}

const LABEL: Record<PathName, string> = {
  direct: '(a) direct HTTP',
  localllm: '(b) LocalLLM',
  holesail: '(c) holesail'
}

export function targets(r: Omit<Results, 'targets'>): Target[] {
  const ft = r.firstToken.byPath
  const pc = r.perChunk.byPath
  const tp = r.throughput.byPath
  const cin = r.connect.inProcess
  const firstAdded = ft.localllm.p50 - ft.direct.p50
  const chunkAdded = pc.localllm.p99 - pc.direct.p99
  const ours = cin.localllm?.ok.p50 ?? NaN
  const bare = cin.hyperswarm?.ok.p50 ?? NaN
  const holesailConnect = cin['holesail (unfirewalled)']?.ok.p50 ?? NaN
  const cycles = r.scale.cycles
  const afterTenth = cycles.checkpoints[1]
  const settled = cycles.settled
  const rssGrowth = settled.rss - (afterTenth?.rss ?? NaN)
  const rssAllowed = Math.max(0.1 * (afterTenth?.rss ?? NaN), 10 * MIB)
  return [
    {
      name: 'first-token added (b)−(a) < 2 ms p50',
      measured: `${ms(firstAdded)} ms`,
      pass: firstAdded < 2
    },
    {
      name: 'per-chunk added (b)−(a) < 1 ms p99 at 50 tok/s',
      measured: `${ms(chunkAdded)} ms`,
      pass: chunkAdded < 1
    },
    {
      name: 'throughput ≥ 50,000 chunks/s (LocalLLM p50)',
      measured: `${int(tp.localllm.chunksPerSecond.p50)} chunks/s`,
      pass: tp.localllm.chunksPerSecond.p50 >= 50_000
    },
    {
      name: 'connect ≤ 1.5× bare Hyperswarm (in-process p50)',
      measured: `${ratio(ours / bare)}`,
      pass: ours <= 1.5 * bare
    },
    {
      name: 'first token no worse than holesail (p50)',
      measured: `${ms(ft.localllm.p50)} vs ${ms(ft.holesail.p50)} ms`,
      pass: ft.localllm.p50 <= ft.holesail.p50
    },
    {
      name: 'per-chunk delay no worse than holesail (p99)',
      measured: `${ms(pc.localllm.p99)} vs ${ms(pc.holesail.p99)} ms`,
      pass: pc.localllm.p99 <= pc.holesail.p99
    },
    {
      name: 'throughput no worse than holesail (p50)',
      measured: `${int(tp.localllm.chunksPerSecond.p50)} vs ${int(tp.holesail.chunksPerSecond.p50)} chunks/s`,
      pass: tp.localllm.chunksPerSecond.p50 >= tp.holesail.chunksPerSecond.p50
    },
    {
      name: 'connect no worse than holesail (in-process p50)',
      measured: `${ms(ours)} vs ${ms(holesailConnect)} ms`,
      pass: ours <= holesailConnect
    },
    {
      name:
        `host RSS ${settled.afterMs / 1000} s after ${int(cycles.count)} connect/disconnect cycles ` +
        `within 10 % (or 10 MiB) of RSS after ${int(afterTenth?.cycle ?? NaN)}`,
      measured: `${mib(settled.rss)} vs ${mib(afterTenth?.rss ?? NaN)} MiB (${signed(mib(rssGrowth))} MiB)`,
      pass: rssGrowth <= rssAllowed && cycles.failed === 0
    }
  ]
}

export function markdown(r: Results): string {
  const paths: PathName[] = ['direct', 'localllm', 'holesail']
  const ft = r.firstToken.byPath
  const pc = r.perChunk.byPath
  const tp = r.throughput.byPath
  const lines: string[] = []
  const m = r.machine
  lines.push(
    `Run ${m.date} on ${m.cpus} × ${m.cpuModel}, Node ${m.node}, in ${Math.round(r.durationS)} s. ` +
      'Loopback-only network namespace, 5-node HyperDHT testnet, Ollama stand-in; stand-in, ' +
      'host, holesail and clients in one process unless marked cross-process (and the host ' +
      'in scenario 5). Times in ms.',
    '',
    '### Targets',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...r.targets.map((t) => `| ${t.name} | ${t.measured} | ${t.pass ? 'pass' : '**miss**'} |`),
    '',
    `### 1. First-token latency (send → first chunk; ${r.firstToken.rounds} requests per path, ${r.firstToken.warmup} warm-up, established connections)`,
    '',
    '| path | p50 | p95 | p99 | added vs (a), p50 | ratio to (a), p50 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...paths.map(
      (p) =>
        `| ${LABEL[p]} | ${ms(ft[p].p50)} | ${ms(ft[p].p95)} | ${ms(ft[p].p99)} | ` +
        `${p === 'direct' ? '—' : ms(ft[p].p50 - ft.direct.p50)} | ${ratio(ft[p].p50 / ft.direct.p50)} |`
    ),
    '',
    `### 2. Per-chunk delay at ${r.perChunk.tokensPerSecond} tokens/s (stand-in write → client; ${r.perChunk.rounds} replies × ${r.perChunk.tokens} tokens per path = ${r.perChunk.rounds * r.perChunk.tokens} chunks)`,
    '',
    '| path | p50 | p95 | p99 | max | added vs (a), p99 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...paths.map(
      (p) =>
        `| ${LABEL[p]} | ${ms(pc[p].p50)} | ${ms(pc[p].p95)} | ${ms(pc[p].p99)} | ${ms(pc[p].max)} | ` +
        `${p === 'direct' ? '—' : ms(pc[p].p99 - pc.direct.p99)} |`
    ),
    '',
    `### 3. Throughput ceiling (${r.throughput.tokens.toLocaleString('en')} tokens as fast as possible, ${r.throughput.rounds} replies per path, send → last chunk)`,
    '',
    '| path | chunks/s p50 | chunks/s min–max | MB/s p50 | ratio to (a), p50 |',
    '| --- | --- | --- | --- | --- |',
    ...paths.map((p) => {
      const c = tp[p].chunksPerSecond
      return (
        `| ${LABEL[p]} | ${int(c.p50)} | ${int(c.min)}–${int(c.max)} | ` +
        `${(tp[p].bytesPerSecond.p50 / 1e6).toFixed(2)} | ${ratio(c.p50 / tp.direct.chunksPerSecond.p50)} |`
      )
    }),
    '',
    `### 4. Connect time (new DHT node → usable; ${r.connect.rounds} attempts in-process, ${r.connect.crossRounds} cross-process)`,
    '',
    '| what | where | p50 | p95 | max | stalled (> limit) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...connectRows('in-process', r.connect.inProcess),
    ...connectRows('cross-process', r.connect.crossProcess),
    '',
    ...scaleSection(r.scale),
    ...warmUpSection(r.warmUp)
  )
  if (r.profile) {
    lines.push(
      `### Profile of the LocalLLM path (\`--cpu-prof\`, ${r.profile.chunksPerSecond.length} × ${r.throughput.tokens.toLocaleString('en')} tokens, ` +
        `${r.profile.chunksPerSecond.map(int).join(', ')} chunks/s; \`${r.profile.file}\`)`,
      '',
      `Busy (non-idle) time ${(r.profile.busyMs / 1000).toFixed(2)} s, including start-up. By area:`,
      '',
      '| self time | share | area |',
      '| --- | --- | --- |',
      ...r.profile.areas.map(
        (a) => `| ${a.ms.toFixed(0)} ms | ${(a.share * 100).toFixed(1)} % | ${a.area} |`
      ),
      '',
      'Top functions by self time:',
      '',
      '| self time | share | function | where |',
      '| --- | --- | --- | --- |',
      ...r.profile.functions.map(
        (t) =>
          `| ${t.ms.toFixed(0)} ms | ${(t.share * 100).toFixed(1)} % | \`${t.function}\` | ${t.location || '(native)'} |`
      ),
      ''
    )
  }
  return lines.join('\n')
}

function warmUpSection(w: WarmUpResult): string[] {
  const rows = w.thinkMs.flatMap((think) =>
    (['on', 'off'] as const).map((side) => {
      const f = w[side][String(think)]
      return `| ${think === 0 ? 'at once' : `after ${think} ms`} | ${side} | ${ms(f?.p50 ?? NaN)} | ${ms(f?.min ?? NaN)}–${ms(f?.max ?? NaN)} |`
    })
  )
  return [
    `### 6. Warm-up (a new device connects to a cold model, stand-in load ${w.loadDelayMs} ms; connect → first token of its first prompt, ${w.rounds} rounds each)`,
    '',
    '| prompt sent | warm-up | p50 | min–max |',
    '| --- | --- | --- | --- |',
    ...rows,
    ''
  ]
}

function scaleSection(s: ScaleResult): string[] {
  // One figure when every idle client got the same, else one per client.
  const updates = (pick: (u: ScaleResult['idleUpdates'][number]) => number) => {
    const counts = s.idleUpdates.map(pick)
    return new Set(counts).size === 1 ? String(counts[0]) : `(${counts.join(', ')})`
  }
  const c = s.cycles
  return [
    `### 5. Scale (our CLI host in its own process, read from \`/proc\`; ${s.clients} clients, one streaming ${s.streamTokens} tokens at ${s.tokensPerSecond} tokens/s; then ${int(c.count)} connect/disconnect cycles)`,
    '',
    '| what | measured |',
    '| --- | --- |',
    `| host RSS: started, no client | ${mib(s.rss.start)} MiB |`,
    `| host RSS: ${s.clients} clients connected, idle | ${mib(s.rss.connected)} MiB |`,
    `| host RSS: peak during the above (sampled every 100 ms) | ${mib(s.rss.peak)} MiB |`,
    `| host RSS: after the stream, ${s.clients} still connected | ${mib(s.rss.end)} MiB |`,
    `| host CPU, ${s.clients} clients idle (${s.cpu.idleS.toFixed(1)} s) | ${pct(s.cpu.idlePercent)} of one core |`,
    `| host CPU, one streaming, ${s.clients - 1} idle (${s.cpu.streamS.toFixed(1)} s) | ${pct(s.cpu.streamPercent)} of one core |`,
    `| chunks received by the streaming client | ${int(s.chunksReceived)} |`,
    `| server_info updates per idle client (busy / ready / all; ${s.idleUpdates.length} idle clients) | ${updates((u) => u.busy)} / ${updates((u) => u.ready)} / ${updates((u) => u.total)} |`,
    '',
    `Connect/disconnect cycles: one after another, each a new connection of one device (one key pair) from one shared DHT node: hello with a valid proof, \`server_info\`, end. ` +
      `${int(c.count)} cycles in ${c.durationS.toFixed(1)} s (${c.failed} failed), ${ms(c.cycleMs.p50)} ms p50 / ${ms(c.cycleMs.p99)} ms p99 per cycle, ` +
      `host CPU ${pct(c.cpuPercent)} of one core. RSS growth after the first ${int(c.checkpoints[1]?.cycle ?? NaN)}: ` +
      `${signed(mib(c.growthPer100))} MiB per 100 cycles (least squares).`,
    '',
    '| after cycles | host RSS (MiB) | open fds |',
    '| --- | --- | --- |',
    ...c.checkpoints.map((p) => `| ${int(p.cycle)} | ${mib(p.rss)} | ${p.fds} |`),
    `| ${int(c.count)}, then ${c.settled.afterMs / 1000} s idle | ${mib(c.settled.rss)} | ${c.settled.fds} |`,
    ''
  ]
}

function connectRows(where: string, figures: Record<string, ConnectFigure>): string[] {
  return Object.entries(figures).map(
    ([name, f]) =>
      `| ${name} | ${where} | ${ms(f.ok.p50)} | ${ms(f.ok.p95)} | ${ms(f.ok.max)} | ${f.stalled}/${f.attempts} (> ${f.stallMs / 1000} s) |`
  )
}

/**
 * Writes the results as JSON to `to.json`, and `from.doc` with its generated section replaced
 * to `to.doc` (the same file for a real run; a copy in a temp folder for `--quick`).
 */
export async function writeReport(
  results: Results,
  from: { doc: string },
  to: { json: string; doc: string }
): Promise<void> {
  await writeFile(to.json, JSON.stringify(results, null, 2) + '\n')
  const docPath = from.doc
  const doc = await readFile(docPath, 'utf8').catch(
    () => `# Benchmarks\n\n${START_MARKER}\n${END_MARKER}\n`
  )
  const start = doc.indexOf(START_MARKER)
  const end = doc.indexOf(END_MARKER)
  if (start === -1 || end < start) throw new Error(`${docPath}: benchmark markers missing`)
  const section = `${START_MARKER}\n\n${markdown(results)}\n${END_MARKER}`
  const text = doc.slice(0, start) + section + doc.slice(end + END_MARKER.length)
  // Formatted as `npm run lint` expects, so a fresh run leaves the tree lint-clean.
  const prettier = await import('prettier')
  const config = await prettier.resolveConfig(docPath)
  await writeFile(to.doc, await prettier.format(text, { ...config, filepath: docPath }))
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '—'
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 10
      ? value.toFixed(1)
      : value.toFixed(2)
}

const MIB = 1024 * 1024

function mib(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / MIB).toFixed(1) : '—'
}

function pct(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} %` : '—'
}

function signed(text: string): string {
  return text.startsWith('-') || text === '—' ? text : `+${text}`
}

function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '—'
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—'
}
