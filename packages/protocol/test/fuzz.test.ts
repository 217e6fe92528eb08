import test from 'brittle'
import { LIMITS } from '../src/index.js'
import { runFuzz } from './helpers/fuzz.js'

// A slice of `npm run fuzz` (which runs a million frames); a different seed every run of
// the slice would make failures hard to replay, so the seeds are fixed.
for (const seed of [1, 2]) {
  test(`20,000 hostile frames (seed ${seed}): no throw, bounded memory, only protocol errors`, (t) => {
    const report = runFuzz({ frames: 20_000, seed })
    t.is(report.throws, 0, report.firstThrow ?? 'no throws')
    t.is(report.unexpected, 0, 'every rejection is BAD_MESSAGE or UNSUPPORTED_VERSION')
    t.ok(report.maxBuffered <= LIMITS.maxLineBytes, `max buffered ${report.maxBuffered} bytes`)
    t.ok(report.accepted > 1000, `${report.accepted} valid messages still got through`)
    t.ok(report.rejected > 1000, `${report.rejected} bad lines reported`)
    t.ok(Object.keys(report.byKind).length >= 10, `kinds: ${Object.keys(report.byKind).join(', ')}`)
  })
}
