// The hostile-peer checks, with a 2 s hello timeout and a 300-stranger flood so the suite
// stays short (the command runs them with the shipped 5 s and 1,500).
import test from 'brittle'
import { hostilePeers } from '../src/hostile.js'

test('only holders of the Server ID get in, and a crowd cannot push them out', async (t) => {
  const report = await hostilePeers({ helloTimeoutMs: 2000, flood: 300 })
  t.is(report.checks.length, 8)
  for (const check of report.checks) {
    t.comment(`${check.name}: ${check.detail}`)
    t.ok(check.held, check.name)
  }
})
