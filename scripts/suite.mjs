// One workspace's brittle suite under one runtime, inside a loopback-only network namespace:
// every workspace's `test` (and `test:bare`) script ends with this. It shows the TAP as it
// comes and ends with "N passed, M failed, K skipped", counted from the TAP (brittle's own
// "# tests = X/Y pass" counts a skipped test as passed).
//
//   node ../../scripts/suite.mjs node    # in a workspace: dist/test/*.test.js under Node
//   node ../../scripts/suite.mjs bare    # the same files under the bare runtime
//   node ../scripts/suite.mjs node dist/test/natlab   # another folder of the workspace's tests
//
// Where no bare runtime is installed (one optional package per platform), the Bare run is not
// run and its tests count as skipped (count-tests.mjs counts them without running them).

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Parser } from 'tap-parser'
import { enterLoopbackNamespaceWithOllama, ollamaBridgeUrl } from './ollama-bridge.mjs'

const runtime = process.argv[2] ?? 'node'
if (runtime !== 'node' && runtime !== 'bare') {
  console.error(`usage: suite.mjs node|bare (not ${runtime})`)
  process.exit(2)
}

// A real Ollama on this machine is bridged in for the host's real-Ollama tests, unless the
// caller (scripts/test.mjs) already did.
await enterLoopbackNamespaceWithOllama(import.meta.url)
if (!process.env.LOCALLLM_REAL_OLLAMA_URL) {
  const realOllama = await ollamaBridgeUrl()
  if (realOllama) {
    process.env.LOCALLLM_REAL_OLLAMA_URL = realOllama.url
    console.log(`real Ollama at ${realOllama.origin}: bridged in as ${realOllama.url}`)
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const name = JSON.parse(readFileSync('package.json', 'utf8')).name.replace(/^@localllm\//, '')
const testDir = process.argv[3] ?? 'dist/test'
const label =
  testDir === 'dist/test'
    ? `${name} under ${runtime}`
    : `${name} ${testDir.replace(/^dist\/test\//, '')} under ${runtime}`
const bare = join(root, 'node_modules/.bin/bare')
const files = existsSync(testDir)
  ? readdirSync(testDir)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => join(testDir, f))
  : []

if (files.length === 0) {
  console.log(`\n## ${label}: no test files in ${testDir} (did \`npm run build\` run?)`)
  finish({ passed: 0, failed: 1, skipped: 0 })
} else if (runtime === 'bare' && !existsSync(bare)) {
  const count = spawnSync(process.execPath, [join(root, 'scripts/count-tests.mjs'), ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const tests = Number(count.stdout.trim())
  if (count.status !== 0 || !Number.isInteger(tests)) {
    console.log(`\n## ${label}: no bare runtime, and its tests could not be counted`)
    finish({ passed: 0, failed: 1, skipped: 0 })
  } else {
    console.log(
      `\n## ${label}: not run: no bare runtime for ${process.platform}-${process.arch} in node_modules`
    )
    finish({ passed: 0, failed: 0, skipped: tests })
  }
} else {
  console.log(`\n## ${label}`)
  const command = runtime === 'bare' ? bare : process.execPath
  const brittle = join(root, 'node_modules/brittle/cmd.js')
  finish(await run(command, [brittle, '--timeout', '120000', ...files]))
}

/** Runs brittle, echoing its TAP, and counts its top-level tests. */
function run(command, args) {
  return new Promise((resolve) => {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    const parser = new Parser()
    // Top-level asserts are brittle's tests; their assertions are indented subtests.
    parser.on('assert', (test) => {
      if (test.skip || test.todo) counts.skipped++
      else if (test.ok) counts.passed++
      else counts.failed++
    })
    const complete = new Promise((done) => parser.on('complete', done))
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.on('data', (data) => {
      process.stdout.write(data)
      parser.write(data)
    })
    child.on('close', async (code, signal) => {
      parser.end()
      const results = await complete
      // A crash, a bail-out, a short plan or no test at all is a failure even if no test said so.
      // (Not results.ok: brittle's assertions are subtests without a plan, which the parser
      // calls not ok; a failed assertion fails its test, which is counted above.)
      const { start, end } = results.plan
      const planned = start === null || end === null ? -1 : end - start + 1
      const ran = counts.passed + counts.failed + counts.skipped
      const broken = code !== 0 || results.bailout !== false || planned !== ran || ran === 0
      if (broken && counts.failed === 0) counts.failed = 1
      if (code !== 0) console.log(`## ${label}: exited with ${code ?? signal}`)
      resolve(counts)
    })
  })
}

function finish({ passed, failed, skipped }) {
  const line = `${passed} passed, ${failed} failed, ${skipped} skipped`
  console.log(`## ${label}: ${line}\n\n${line}`)
  process.exit(failed === 0 ? 0 : 1)
}
