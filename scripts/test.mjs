// `npm test`: every workspace's own suites (`test`, and `test:bare` where it runs under Bare),
// inside one loopback-only network namespace, and the sum of their closing lines as one
// "N passed, M failed, K skipped" line. Each suite runs alone too: `npm test -w @localllm/host`.
//
//   npm test                  # all suites
//   npm test -- host          # workspaces whose name or folder contains "host"
//
// The suites themselves run through scripts/suite.mjs, which counts tests from their TAP.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { enterLoopbackNamespaceWithOllama, ollamaBridgeUrl } from './ollama-bridge.mjs'
import { buildWebIfStale } from './web-build.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const filter = process.argv[2]
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces.map(
  (dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    const name = pkg.name.replace(/^@localllm\//, '')
    // `test`, then `test:bare`, `test:natlab`, …: each one suite of the workspace.
    const scripts = Object.keys(pkg.scripts ?? {})
      .filter((script) => script === 'test' || script.startsWith('test:'))
      .sort((a, b) => (a === 'test' ? -1 : b === 'test' ? 1 : a.localeCompare(b)))
    return { dir, name, scripts }
  }
)
// A filter picks workspaces by name or folder, or one suite by its script (`natlab`).
const chosen = workspaces
  .map((w) =>
    !filter || w.name.includes(filter) || w.dir.includes(filter)
      ? w
      : { ...w, scripts: w.scripts.filter((script) => script.includes(`:${filter}`)) }
  )
  .filter(
    (w) => w.scripts.length > 0 || !filter || w.name.includes(filter) || w.dir.includes(filter)
  )
if (chosen.length === 0) {
  console.error(`No workspace matches "${filter}": ${workspaces.map((w) => w.name).join(', ')}`)
  process.exit(1)
}

// The web suite drives the app's web build in Chromium: (re)build it first, while the npm
// registry is still reachable (a no-op after apps/client/app/ci.sh). A failed build fails
// only the web suite, inside the namespace.
if (process.env.LOCALLLM_LOOPBACK_NETNS !== '1' && chosen.some((w) => w.name === 'web-preview')) {
  const build = buildWebIfStale()
  if (!build.ok) process.env.LOCALLLM_WEB_BUILD_ERROR = build.error
}

// A real Ollama on this machine (OLLAMA_HOST) is bridged in for the host's real-Ollama tests.
await enterLoopbackNamespaceWithOllama(import.meta.url)
const realOllama = await ollamaBridgeUrl()
if (realOllama) {
  process.env.LOCALLLM_REAL_OLLAMA_URL = realOllama.url
  console.log(`real Ollama at ${realOllama.origin}: bridged in as ${realOllama.url}`)
}

const totals = { passed: 0, failed: 0, skipped: 0 }
const summary = []
for (const workspace of chosen) {
  if (workspace.scripts.length === 0) {
    console.log(`\n## ${workspace.name}: no test script`)
    continue
  }
  for (const script of workspace.scripts) {
    if (workspace.name === 'web-preview' && process.env.LOCALLLM_WEB_BUILD_ERROR) {
      console.log(`\n## ${workspace.name}: not run: ${process.env.LOCALLLM_WEB_BUILD_ERROR}`)
      totals.failed++
      summary.push(`${workspace.name} ${script}: not run (the web build failed)`)
      continue
    }
    const counts = await runScript(workspace.dir, script)
    summary.push(`${workspace.name} ${script}: ${line(counts)}`)
    totals.passed += counts.passed
    totals.failed += counts.failed
    totals.skipped += counts.skipped
  }
}

console.log(`\n## every suite\n${summary.join('\n')}\n\n${line(totals)}`)
process.exit(totals.failed === 0 ? 0 : 1)

function line({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`
}

/** `npm run <script> -w <dir>`, echoed; its last "N passed, …" line, or one failure if none. */
function runScript(dir, script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script, '--silent', '-w', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, npm_config_update_notifier: 'false' }
    })
    let last
    let pending = ''
    child.stdout.on('data', (data) => {
      process.stdout.write(data)
      const lines = (pending + data).split('\n')
      pending = lines.pop()
      for (const line of lines) {
        const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(line)
        if (m) last = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) }
      }
    })
    child.on('close', (code) => {
      if (!last) {
        console.log(`## ${dir} ${script}: ended (${code}) without a closing line`)
        resolve({ passed: 0, failed: 1, skipped: 0 })
      } else if (code !== 0 && last.failed === 0) resolve({ ...last, failed: 1 })
      else resolve(last)
    })
  })
}
