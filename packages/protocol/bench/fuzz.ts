// `npm run fuzz`: a million hostile frames through both sides' decoders and validators.
// Prints frames, throws (must be 0), frames/s and peak RSS; exits 1 on any throw, any
// unexpected error code or a decoder buffering past the line limit.
//
//   npm run fuzz                 # 1,000,000 frames, seed 1
//   npm run fuzz -- 200000 7     # frames, seed

import { LIMITS } from '../src/index.js'
import { runFuzz } from '../test/helpers/fuzz.js'

const frames = Number(process.argv[2] ?? 1_000_000)
const seed = Number(process.argv[3] ?? 1)

let peakRss = process.memoryUsage().rss
const started = process.hrtime.bigint()
const report = runFuzz({
  frames,
  seed,
  onProgress(done) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    if (done % 100_000 === 0) process.stderr.write(`  ${done.toLocaleString('en')} frames…\n`)
  }
})
const seconds = Number(process.hrtime.bigint() - started) / 1e9
peakRss = Math.max(peakRss, process.memoryUsage().rss)

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`
console.log(`seed            ${seed}`)
console.log(`frames          ${report.frames.toLocaleString('en')}`)
console.log(`bytes           ${mib(report.bytes)}`)
console.log(`throws          ${report.throws}`)
console.log(`unexpected      ${report.unexpected}`)
console.log(`accepted        ${report.accepted.toLocaleString('en')} messages`)
console.log(
  `rejected        ${report.rejected.toLocaleString('en')} lines (BAD_MESSAGE / UNSUPPORTED_VERSION)`
)
console.log(`max buffered    ${report.maxBuffered} bytes (limit ${LIMITS.maxLineBytes})`)
console.log(`frames/s        ${Math.round(report.frames / seconds).toLocaleString('en')}`)
console.log(`peak RSS        ${mib(peakRss)}`)
console.log(`time            ${seconds.toFixed(1)} s`)
console.log(`by kind         ${JSON.stringify(report.byKind)}`)
if (report.firstThrow) console.log(`first throw     ${report.firstThrow}`)

const failed =
  report.throws > 0 || report.unexpected > 0 || report.maxBuffered > LIMITS.maxLineBytes
process.exit(failed ? 1 : 0)
