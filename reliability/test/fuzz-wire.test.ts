// A slice of `npm run fuzz:wire`: the same generators and checks, 15,000 frames.
import test from 'brittle'
import { fuzzWire } from '../src/fuzz-wire.js'

test('hostile frames from many peers never crash the host, and a real client keeps chatting', async (t) => {
  const report = await fuzzWire({ frames: 15_000, seed: 11 })
  t.comment(
    `${report.frames} frames over ${report.connections.authenticated} authenticated and ` +
      `${report.connections.unauthenticated} unauthenticated connections; host peak RSS ` +
      `${(report.host.peakRss / 1024 / 1024).toFixed(1)} MiB; chatter ${JSON.stringify(report.chatter)}`
  )
  t.ok(report.frames >= 15_000, `${report.frames} frames sent`)
  t.absent(report.host.crashed, 'the host process is alive')
  t.is(report.host.uncaughtExceptions, 0, 'no uncaught exception in the host')
  t.is(report.host.unhandledRejections, 0, 'no unhandled rejection in the host')
  t.is(report.unauthenticatedAnswered, 0, 'no unauthenticated peer got an answer')
  t.is(report.afterTerminal, 0, 'nothing after a terminal message')
  t.is(report.chatter.disconnects, 0, 'the well-behaved client stayed connected')
  t.ok(report.chatter.completed > 0, 'the well-behaved client got complete replies')
  t.alike(report.violations, [])
})
