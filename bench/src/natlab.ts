// `npm run bench -- natlab`: the NAT lab's table (issue 16). For every NAT pair (cone,
// symmetric, public on each side) with no relay, with only `localllm host --relay`, and with
// the phone knowing the relay too: success rate, connect p50/p90/max, first path, the switch
// to direct, and replies timed by path; then a phone changing networks mid-reply.
//
//   npm run bench -- natlab                  # 10 per row, ~1 h; bench/results/natlab.json
//   npm run bench -- natlab --quick          # 2 per row, to a temp folder (not the tracked files)
//   npm run bench -- natlab --n 3 --rows sym --client node --no-moves
//   npm run bench -- natlab --report-only    # re-render docs/benchmarks.md from the JSON
//
// run.ts enters the loopback-only namespace first; the lab builds its internet inside it.

import { mkdtempSync, readFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import {
  NatLab,
  moveAttempt,
  moveLabel,
  startProductRelay,
  timedAttempt,
  timedLabel,
  type MoveAttempt,
  type MoveRow,
  type NatKind,
  type ProductClient,
  type TimedAttempt,
  type TimedRow
} from '@localllm/reliability/natlab'
import { natlabTargets, writeNatlabReport, type NatlabResults } from './natlab-report.js'

const KINDS: NatKind[] = ['cone', 'symmetric', 'none']
const TOKENS = 50
const TOKENS_PER_SECOND = 50
const CONNECT_TIMEOUT_MS = 30_000

function pairRows(client: ProductClient): TimedRow[] {
  return (['none', 'host', 'both'] as const).flatMap((relay) =>
    KINDS.flatMap((home) => KINDS.map((phone) => ({ home, phone, relay, client })))
  )
}

function moveRows(client: ProductClient): MoveRow[] {
  return [
    { home: 'cone', from: 'cone', to: 'cone', relay: 'none', client },
    { home: 'cone', from: 'cone', to: 'symmetric', relay: 'none', client },
    { home: 'cone', from: 'cone', to: 'symmetric', relay: 'both', client },
    { home: 'symmetric', from: 'symmetric', to: 'symmetric', relay: 'host', client }
  ]
}

interface Plan {
  n: number
  quick: boolean
  client: ProductClient
  filter: string | undefined
  moves: boolean
  pairs: boolean
}

function parse(args: string[]): Plan {
  const value = (flag: string) => {
    const i = args.indexOf(flag)
    return i === -1 ? undefined : args[i + 1]
  }
  const quick = args.includes('--quick')
  const n = Number(value('--n') ?? (quick ? 2 : 10))
  if (!Number.isInteger(n) || n < 1) throw new Error('--n needs a positive whole number')
  const client = value('--client') ?? 'bare'
  if (client !== 'bare' && client !== 'node') throw new Error('--client is bare or node')
  return {
    n,
    quick,
    client,
    filter: value('--rows'),
    moves: !args.includes('--no-moves'),
    pairs: !args.includes('--only-moves')
  }
}

/** Runs the table; resolves with the process exit code. */
export async function runNatlabBench(args: string[], root: string): Promise<number> {
  if (args.includes('--report-only')) {
    // Re-renders docs/benchmarks.md from bench/results/natlab.json, running nothing.
    const json = join(root, 'bench/results/natlab.json')
    const results = JSON.parse(readFileSync(json, 'utf8')) as NatlabResults
    const doc = join(root, 'docs/benchmarks.md')
    await writeNatlabReport(results, { doc }, { json, doc })
    console.log(`re-rendered ${relative(root, doc)} from ${relative(root, json)}`)
    return 0
  }
  const plan = parse(args)
  const began = performance.now()
  const log = (msg: string) =>
    console.error(`[natlab ${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}`)
  const keep = (label: string) => !plan.filter || label.includes(plan.filter)
  const pairs = plan.pairs ? pairRows(plan.client).filter((row) => keep(timedLabel(row))) : []
  const moves = plan.moves ? moveRows(plan.client).filter((row) => keep(moveLabel(row))) : []
  const load = { start: loadavg()[0] as number, end: 0, max: loadavg()[0] as number }
  const sampleLoad = () => (load.max = Math.max(load.max, loadavg()[0] as number))
  // Generous: every process has its own, shorter bound; this one is the DHT's and the relay's.
  const budget = (pairs.length + moves.length) * plan.n * 120_000 + 300_000
  const lab = await NatLab.start({ lifeMs: budget })
  const results: NatlabResults = {
    machine: machine(),
    load,
    durationS: 0,
    attemptsPerRow: plan.n,
    client: plan.client,
    tokens: TOKENS,
    tokensPerSecond: TOKENS_PER_SECOND,
    pairs: [],
    moves: []
  }
  try {
    const relay = await startProductRelay(lab)
    log(`${pairs.length} NAT pair rows and ${moves.length} network-change rows, ${plan.n} each`)
    for (const row of pairs) {
      const entry = {
        label: timedLabel(row),
        row,
        attempts: [] as TimedAttempt[],
        labErrors: [] as string[]
      }
      for (let i = 0; i < plan.n; i++) {
        sampleLoad()
        try {
          const a = await timedAttempt(lab, row, {
            relayKey: relay.key,
            connectTimeoutMs: CONNECT_TIMEOUT_MS,
            tokens: TOKENS,
            tokensPerSecond: TOKENS_PER_SECOND
          })
          entry.attempts.push(a)
          log(
            `${entry.label} #${i + 1}: ${a.connected ? `${a.path} in ${ms(a.connectMs)}${a.switchMs !== undefined ? `, direct ${ms(a.switchMs)} later` : ''}` : `not connected (${a.errors.join(', ') || 'no error said'})`}`
          )
        } catch (err) {
          entry.labErrors.push((err as Error).message.slice(0, 300))
          log(`${entry.label} #${i + 1}: the lab failed: ${(err as Error).message.slice(0, 200)}`)
        }
      }
      results.pairs.push(entry)
    }
    for (const row of moves) {
      const entry = {
        label: moveLabel(row),
        row,
        attempts: [] as MoveAttempt[],
        labErrors: [] as string[]
      }
      for (let i = 0; i < plan.n; i++) {
        sampleLoad()
        try {
          const m = await moveAttempt(lab, row, { relayKey: relay.key })
          entry.attempts.push(m)
          log(
            `${entry.label} #${i + 1}: reply ${m.firstReply?.ok ? 'ended normally' : m.firstReply?.code}, ${m.reconnected ? `connected again ${ms(m.reconnectMs)} after the move (${m.pathAfter}), next prompt ${m.secondReply?.ok ? 'streamed' : m.secondReply?.code}` : 'not connected again'}`
          )
        } catch (err) {
          entry.labErrors.push((err as Error).message.slice(0, 300))
          log(`${entry.label} #${i + 1}: the lab failed: ${(err as Error).message.slice(0, 200)}`)
        }
      }
      results.moves.push(entry)
    }
  } finally {
    await lab.close()
  }
  load.end = loadavg()[0] as number
  sampleLoad()
  results.durationS = (performance.now() - began) / 1000
  const out = plan.quick
    ? (() => {
        const dir = mkdtempSync(join(tmpdir(), 'localllm-bench-natlab-'))
        return { json: join(dir, 'natlab.json'), doc: join(dir, 'benchmarks.md') }
      })()
    : { json: join(root, 'bench/results/natlab.json'), doc: join(root, 'docs/benchmarks.md') }
  await writeNatlabReport(results, { doc: join(root, 'docs/benchmarks.md') }, out)
  for (const t of natlabTargets(results)) {
    console.log(`${t.pass === null ? '—   ' : t.pass ? 'met ' : 'MISS'}  ${t.name}: ${t.measured}`)
  }
  log(
    `wrote ${plan.quick ? `${out.json} and ${out.doc} (--quick: not the tracked files)` : `${relative(root, out.json)} and ${relative(root, out.doc)}`}`
  )
  return 0
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : `${(value / 1000).toFixed(2)} s`
}

function machine(): NatlabResults['machine'] {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
  return {
    cpus: cpus().length,
    cpuModel: model ?? cpus()[0]?.model ?? 'unknown',
    node: process.version,
    date: new Date().toISOString().slice(0, 10)
  }
}
