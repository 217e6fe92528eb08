// The hostile-peer checks, with a 2 s hello timeout and a 300-stranger flood so the suite
// stays short (the command runs them with the shipped 5 s and 1,500).
import test from 'brittle'
import { hostilePeers } from '../src/hostile.js'
import { hostileOllama } from '../src/hostile-ollama.js'

test('only holders of the Server ID get in, and a crowd cannot push them out', async (t) => {
  const report = await hostilePeers({ helloTimeoutMs: 2000, flood: 300 })
  t.is(report.checks.length, 8)
  for (const check of report.checks) {
    t.comment(`${check.name}: ${check.detail}`)
    t.ok(check.held, check.name)
  }
})

test('a hostile Ollama (endless line, 20 MiB token, U+0001 × 16,384, 300-character model) hurts no one', async (t) => {
  const report = await hostileOllama({ rounds: 2, roundTripQuantile: 0.5 })
  t.is(report.modelSeen.length, 256, 'the 300-character model name is clamped in server_info')
  t.comment(
    `baseline hello → server_info: ${report.baselineRoundTrips.map((x) => x.toFixed(1)).join(', ')} ms`
  )
  for (const c of report.cases) t.ok(c.held, `${c.name}: ${c.detail}`)
})
