// The hostile-peer checks, with a 2 s hello timeout so the suite stays short (the command
// runs them with the shipped 10 s).
import test from 'brittle'
import { hostilePeers } from '../src/hostile.js'

test('only holders of the Server ID get in, and a crowd cannot push them out', async (t) => {
  const report = await hostilePeers({ helloTimeoutMs: 2000 })
  t.is(report.checks.length, 5)
  for (const check of report.checks) t.ok(check.held, `${check.name} (${check.detail})`)
})
