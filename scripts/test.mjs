// `npm test`: every suite, under every runtime it must run on, inside a loopback-only
// network namespace. Prints each suite's result and ends with one "N passed, N failed" line.
//
//   npm test                  # all suites
//   npm test -- protocol      # suites whose name contains "protocol"
//
// Suites are brittle files compiled to dist/ by `tsc -b` (npm test builds first).

import { spawn } from 'node:child_process'
import { readdirSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { enterLoopbackNamespaceWithOllama, ollamaBridgeUrl } from './ollama-bridge.mjs'
import { buildWebIfStale } from './web-build.mjs'

// The web suite drives the app's web build in Chromium: (re)build it first, while the
// npm registry is still reachable (it is a no-op after apps/client/app/ci.sh).
// A failed build is handed to the namespace, where it fails the web suite (the rest run).
const filter = process.argv[2]
if (process.env.LOCALLLM_LOOPBACK_NETNS !== '1' && (!filter || 'web'.includes(filter))) {
  const build = buildWebIfStale()
  if (!build.ok) process.env.LOCALLLM_WEB_BUILD_ERROR = build.error
}

// A real Ollama on this machine (OLLAMA_HOST) is bridged in for the real-Ollama suite.
await enterLoopbackNamespaceWithOllama(import.meta.url)
const realOllama = await ollamaBridgeUrl()
if (realOllama) {
  process.env.LOCALLLM_REAL_OLLAMA_URL = realOllama.url
  console.log(`real Ollama at ${realOllama.origin}: bridged in as ${realOllama.url}`)
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const brittle = join(root, 'node_modules/brittle/cmd.js')
// Whichever platform's runtime npm installed (they are optional dependencies, one per
// platform); where none is, the Bare runs are reported as skipped, not passed.
const bare = join(root, 'node_modules/.bin/bare')
const hasBare = existsSync(bare)

// name, test folder (compiled), runtimes it must pass on
const SUITES = [
  { name: 'protocol', dir: 'packages/protocol/dist/test', runtimes: ['node', 'bare'] },
  { name: 'core', dir: 'packages/core/dist/test', runtimes: ['node', 'bare'] },
  { name: 'ollama-standin', dir: 'packages/ollama-standin/dist/test', runtimes: ['node'] },
  { name: 'host', dir: 'apps/host/dist/test', runtimes: ['node'] },
  { name: 'menubar', dir: 'apps/menubar/dist/test', runtimes: ['node'] },
  { name: 'client', dir: 'apps/client/worklet/dist/test', runtimes: ['node'] },
  { name: 'web', dir: 'apps/client/web/dist/test', runtimes: ['node'] },
  { name: 'reliability', dir: 'reliability/dist/test', runtimes: ['node'] },
  // Real kernel NATs between host and phone (reliability/natlab); needs nft and root or
  // user namespaces, like the loopback namespace itself.
  { name: 'natlab', dir: 'reliability/dist/test/natlab', runtimes: ['node'] }
]

const totals = { passed: 0, failed: 0, skipped: 0 }

for (const suite of SUITES) {
  if (filter && !suite.name.includes(filter)) continue
  if (suite.name === 'web' && process.env.LOCALLLM_WEB_BUILD_ERROR) {
    console.log(`\n## web: not run: ${process.env.LOCALLLM_WEB_BUILD_ERROR}`)
    totals.failed++
    continue
  }
  const dir = join(root, suite.dir)
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.test.js'))
        .sort()
        .map((f) => join(suite.dir, f))
    : []
  if (files.length === 0) {
    console.log(`\n## ${suite.name}: no test files in ${suite.dir} (did the build run?)`)
    totals.failed++
    continue
  }
  for (const runtime of suite.runtimes) {
    const label = `${suite.name} under ${runtime}`
    if (runtime === 'bare' && !hasBare) {
      console.log(
        `\n## ${label}: skipped: no bare runtime for ${process.platform}-${process.arch} in node_modules`
      )
      totals.skipped++
      continue
    }
    console.log(`\n## ${label}`)
    const command = runtime === 'bare' ? bare : process.execPath
    const result = await run(command, [brittle, '--timeout', '120000', ...files])
    // A runner that crashed or ran nothing counts as a failure even if no test said so.
    let failed = result.total - result.passed
    if (failed === 0 && (result.code !== 0 || result.total === 0)) failed = 1
    totals.passed += result.passed
    totals.failed += failed
    console.log(
      `## ${label}: ${result.passed}/${result.total} tests pass` +
        (result.code === 0 ? '' : ` (exit code ${result.code})`)
    )
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed === 0 ? 0 : 1)

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    let passed = 0
    let total = 0
    let pending = ''
    child.stdout.on('data', (data) => {
      process.stdout.write(data)
      pending += data
      const lines = pending.split('\n')
      pending = lines.pop()
      for (const line of lines) {
        const m = /^# tests = (\d+)\/(\d+) pass/.exec(line)
        if (m) {
          passed += Number(m[1])
          total += Number(m[2])
        }
      }
    })
    child.on('close', (code, signal) => resolve({ passed, total, code: code ?? signal }))
  })
}
