// The LocalLLM path alone at full speed, for `node --cpu-prof`: stand-in, host and
// ClientSession in this one process, a few 20,000-token replies, then exit (which is when
// V8 writes the profile). run.ts starts it; it prints one JSON line with what it measured.
//
//   node --cpu-prof --cpu-prof-dir bench/results bench/dist/src/profile-throughput.js 20000 3

import { startLocalSystem } from '@localllm/testing'
import { openSession, sessionPath } from './paths.js'

const tokens = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)

// The reply caps (4,096 tokens by default) would cut a 20,000-token reply: lift them here.
const system = await startLocalSystem({
  standin: { tokens, tokensPerSecond: 0 },
  host: { replyCaps: { maxTokens: 10_000_000, maxMs: 600_000 } }
})
const path = sessionPath(await openSession(system))
const chunksPerSecond: number[] = []
try {
  for (let i = 0; i < rounds; i++) {
    const sentAt = performance.now()
    const timing = await path.chat(`profile ${i}`)
    chunksPerSecond.push(timing.chunks / ((timing.endAt - sentAt) / 1000))
    system.standin.clearRequests()
  }
} finally {
  await path.close()
  await system.close()
}
console.log(JSON.stringify({ chunksPerSecond }))
