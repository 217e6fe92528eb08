// A slice of the host-restart run: two SIGKILLs with five clients connected.
import test from 'brittle'
import { distribution, hostRestarts } from '../src/restarts.js'

test('a host killed and restarted twice gets every client back on its own', async (t) => {
  const report = await hostRestarts({ restarts: 2, clients: 5 })
  t.comment(
    `reconnect ms after the new host started: ${JSON.stringify(distribution(report.sinceStartMs))}`
  )
  t.is(report.restarts, 2)
  t.is(report.sinceStartMs.length, 10, 'five clients back after each restart')
  t.is(report.missed, 0)
  t.is(report.answeredAfter, 5, 'every client is answered afterwards')
})
