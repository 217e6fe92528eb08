// `npm run bench`: every scenario docs/benchmarks.md reports, in one run, inside a loopback-only
// network namespace on a local testnet, against the Ollama stand-in. Writes
// bench/results/latest.json and the generated section of docs/benchmarks.md. `--quick` runs each
// scenario briefly (for checking the harness, not for numbers) and writes its results, profile and
// a copy of docs/benchmarks.md to a temporary folder instead, so the tracked ones keep real
// numbers; `--cycles N` sets scenario 5's connect/disconnect cycles (default 1,000; 100 with
// --quick).
//
//   npm run bench                      # tsc -b && node bench/dist/src/run.js
//   npm run bench -- --cycles 3000
//   npm run bench -- --quick           # prints the folder it wrote to
//   npm run bench -- natlab            # the NAT lab's table instead (natlab.ts)
//
// Paths take turns request by request, so every comparison is side by side in one run.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Results } from './report.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const netns = (await import(new URL('scripts/netns.mjs', `file://${root}`).href)) as {
  enterLoopbackNamespace(scriptUrl: string): void
}
netns.enterLoopbackNamespace(import.meta.url)

// `npm run bench -- natlab [...]`: the NAT lab's table instead (bench/src/natlab.ts).
if (process.argv[2] === 'natlab') {
  const { runNatlabBench } = await import('./natlab.js')
  process.exit(await runNatlabBench(process.argv.slice(3), root))
}

const { startLocalSystem } = await import('@localllm/testing')
const { openPaths, closePaths } = await import('./paths.js')
const { firstToken, perChunkDelay, throughput } = await import('./streaming.js')
const { connectTimes } = await import('./connect.js')
const { summarizeProfile } = await import('./cpu-profile.js')
const { scale } = await import('./scale.js')
const { warmUpFirstToken } = await import('./warm-up.js')
const { targets, writeReport } = await import('./report.js')

const quick = process.argv.includes('--quick')
const plan = quick
  ? {
      first: 20,
      warmup: 5,
      chunkRounds: 1,
      chunkTokens: 30,
      tpRounds: 1,
      tokens: 2000,
      connect: 2,
      cross: 2,
      cycles: 100,
      scaleTokens: 100,
      scaleIdleMs: 1000,
      warmUpRounds: 1
    }
  : {
      first: 300,
      warmup: 30,
      chunkRounds: 3,
      chunkTokens: 150,
      tpRounds: 5,
      tokens: 20_000,
      connect: 12,
      cross: 8,
      cycles: 1000,
      scaleTokens: 500,
      scaleIdleMs: 5000,
      warmUpRounds: 3
    }
const cyclesArg = process.argv.indexOf('--cycles')
if (cyclesArg !== -1) {
  const n = Number(process.argv[cyclesArg + 1])
  if (!Number.isInteger(n) || n < 1) throw new Error('--cycles needs a positive whole number')
  plan.cycles = n
}
const STALL_MS = 4000
/** Where this run's results, profile and report go: the tracked files, or a temp folder. */
const out = quick
  ? (() => {
      const dir = mkdtempSync(join(tmpdir(), 'localllm-bench-'))
      return { dir, json: join(dir, 'latest.json'), doc: join(dir, 'benchmarks.md') }
    })()
  : {
      dir: join(root, 'bench/results'),
      json: join(root, 'bench/results/latest.json'),
      doc: join(root, 'docs/benchmarks.md')
    }

const began = performance.now()
const log = (msg: string) =>
  console.error(`[bench ${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}`)

// The reply caps (4,096 tokens by default) would cut the 20,000-token replies: lift them.
const system = await startLocalSystem({
  host: { replyCaps: { maxTokens: 10_000_000, maxMs: 600_000 } }
})
let results: Results
try {
  const paths = await openPaths(system)
  let streaming
  try {
    log(`first-token latency: ${plan.first} requests per path`)
    const first = await firstToken(system, paths, { rounds: plan.first, warmup: plan.warmup })
    log(`per-chunk delay: ${plan.chunkRounds} × ${plan.chunkTokens} tokens at 50 tok/s per path`)
    const perChunk = await perChunkDelay(system, paths, {
      rounds: plan.chunkRounds,
      tokens: plan.chunkTokens,
      tokensPerSecond: 50
    })
    log(`throughput: ${plan.tpRounds} × ${plan.tokens} tokens per path`)
    const ceiling = await throughput(system, paths, { rounds: plan.tpRounds, tokens: plan.tokens })
    streaming = { first, perChunk, ceiling }
  } finally {
    await closePaths(paths)
  }
  log('connect times (in-process, then cross-process)')
  const connect = await connectTimes(system, {
    rounds: plan.connect,
    crossRounds: plan.cross,
    stallMs: STALL_MS
  })
  log(`warm-up: connect → first token on a cold model, ${plan.warmUpRounds} rounds each`)
  const warmUp = await warmUpFirstToken({
    rounds: plan.warmUpRounds,
    loadDelayMs: 3000,
    thinkMs: [0, 1500]
  })
  log('profiling the LocalLLM path')
  const profile = await profileLocalLLM(plan.tokens, quick ? 1 : 3)
  log(
    `scale: 5 clients, ${plan.scaleTokens} tokens at 50 tok/s, then ${plan.cycles} connect/disconnect cycles`
  )
  // Its own testnet and stand-in, and the host in its own process.
  const scaleSystem = await startLocalSystem({ withHost: false })
  let scaled
  try {
    scaled = await scale(scaleSystem, {
      cycles: plan.cycles,
      streamTokens: plan.scaleTokens,
      idleMs: plan.scaleIdleMs
    })
  } finally {
    await scaleSystem.close()
  }
  const partial = {
    machine: machine(),
    durationS: (performance.now() - began) / 1000,
    firstToken: { rounds: plan.first, warmup: plan.warmup, byPath: streaming.first },
    perChunk: {
      rounds: plan.chunkRounds,
      tokens: plan.chunkTokens,
      tokensPerSecond: 50,
      byPath: streaming.perChunk
    },
    throughput: { rounds: plan.tpRounds, tokens: plan.tokens, byPath: streaming.ceiling },
    connect: { ...connect, rounds: plan.connect, crossRounds: plan.cross },
    profile,
    scale: scaled,
    warmUp
  }
  results = { ...partial, targets: targets(partial) }
} finally {
  await system.close()
}
await writeReport(results, { doc: join(root, 'docs/benchmarks.md') }, out)
for (const t of results.targets)
  console.log(`${t.pass ? 'pass' : 'MISS'}  ${t.name}: ${t.measured}`)
log(
  quick
    ? `wrote ${out.dir} (--quick: not the tracked results)`
    : `wrote ${relative(root, out.json)} and ${relative(root, out.doc)}`
)

async function profileLocalLLM(tokens: number, rounds: number): Promise<Results['profile']> {
  const dir = out.dir
  const name = 'localllm-throughput.cpuprofile'
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      dir,
      '--cpu-prof-name',
      name,
      fileURLToPath(new URL('./profile-throughput.js', import.meta.url)),
      String(tokens),
      String(rounds)
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let stdout = ''
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) {
    log(`profile run failed (exit ${code})`)
    return null
  }
  const { chunksPerSecond } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    chunksPerSecond: number[]
  }
  const file = join(dir, name)
  return {
    file: relative(root, file),
    chunksPerSecond,
    ...(await summarizeProfile(file, 15, root))
  }
}

function machine(): Results['machine'] {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]
  return {
    cpus: cpus().length,
    cpuModel: model ?? cpus()[0]?.model ?? 'unknown',
    node: process.version,
    date: new Date().toISOString().slice(0, 10)
  }
}
