// Scenarios 1–3: what each path adds to a streamed reply, measured side by side (the paths
// take turns, request by request, in one process on one clock).
//
//   const first = await firstToken(system, paths, { rounds: 300 })
//   const perChunk = await perChunkDelay(system, paths, { rounds: 3, tokens: 150 })
//   const ceiling = await throughput(system, paths, { rounds: 5, tokens: 20_000 })
//
// Per-chunk delay needs the moment the stand-in wrote each token: its request log calls
// every waitFor predicate synchronously right after each write, so a predicate that only
// records (tokensSent, now) gives those moments without touching the stand-in's code.

import type { LocalSystem } from '@localllm/testing'
import type { ChatPath, PathName } from './paths.js'
import { summarize, type Summary } from './stats.js'

export type PerPath<T> = Record<PathName, T>

function perPath<T>(paths: readonly ChatPath[], make: () => T): PerPath<T> {
  return Object.fromEntries(paths.map((p) => [p.name, make()])) as PerPath<T>
}

function summarizeAll(samples: PerPath<number[]>): PerPath<Summary> {
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, summarize(values)])
  ) as PerPath<Summary>
}

let promptCounter = 0
function uniquePrompt(): string {
  return `bench prompt ${++promptCounter}`
}

/** Scenario 1: send → first chunk in the client's hands; a short reply, no model delays. */
export async function firstToken(
  system: LocalSystem,
  paths: readonly ChatPath[],
  options: { rounds: number; warmup: number }
): Promise<PerPath<Summary>> {
  system.standin.configure({ tokens: 8, tokensPerSecond: 0, firstTokenDelayMs: 0 })
  const samples = perPath(paths, (): number[] => [])
  for (let round = -options.warmup; round < options.rounds; round++) {
    for (const path of paths) {
      const sentAt = performance.now()
      const timing = await path.chat(uniquePrompt())
      if (round >= 0) samples[path.name].push(timing.firstChunkAt - sentAt)
    }
    if (round % 50 === 0) system.standin.clearRequests()
  }
  system.standin.clearRequests()
  return summarizeAll(samples)
}

/** Scenario 2: the stand-in paces tokens; each chunk's delay from its write to the client. */
export async function perChunkDelay(
  system: LocalSystem,
  paths: readonly ChatPath[],
  options: { rounds: number; tokens: number; tokensPerSecond: number }
): Promise<PerPath<Summary>> {
  const { standin } = system
  standin.configure({ tokens: options.tokens, tokensPerSecond: options.tokensPerSecond })
  const samples = perPath(paths, (): number[] => [])
  for (let round = 0; round < options.rounds; round++) {
    for (const path of paths) {
      const prompt = uniquePrompt()
      // writtenAt[k]: when token k left the stand-in.
      const writtenAt: number[] = []
      const watched = standin.waitFor((record) => {
        if (record.prompt !== prompt) return false
        const at = performance.now()
        while (writtenAt.length < record.tokensSent) writtenAt.push(at)
        return record.state === 'done'
      }, 60_000)
      const receivedAt: number[] = []
      await path.chat(prompt, (_text, at) => receivedAt.push(at))
      await watched
      if (receivedAt.length !== writtenAt.length) {
        throw new Error(`${path.name}: ${receivedAt.length} chunks for ${writtenAt.length} tokens`)
      }
      receivedAt.forEach((at, k) => samples[path.name].push(at - (writtenAt[k] as number)))
    }
  }
  standin.clearRequests()
  return summarizeAll(samples)
}

export interface ThroughputRun {
  chunksPerSecond: Summary
  bytesPerSecond: Summary
  tokens: number
}

/** Scenario 3: the stand-in as fast as it can; chunks/s and bytes/s as the client sees them. */
export async function throughput(
  system: LocalSystem,
  paths: readonly ChatPath[],
  options: { rounds: number; tokens: number }
): Promise<PerPath<ThroughputRun>> {
  system.standin.configure({ tokens: options.tokens, tokensPerSecond: 0 })
  const chunks = perPath(paths, (): number[] => [])
  const bytes = perPath(paths, (): number[] => [])
  for (let round = -1; round < options.rounds; round++) {
    for (const path of paths) {
      const sentAt = performance.now()
      const timing = await path.chat(uniquePrompt())
      if (timing.chunks !== options.tokens) {
        throw new Error(`${path.name}: ${timing.chunks} chunks for ${options.tokens} tokens`)
      }
      const seconds = (timing.endAt - sentAt) / 1000
      if (round >= 0) {
        chunks[path.name].push(timing.chunks / seconds)
        bytes[path.name].push(timing.bytes / seconds)
      }
    }
    system.standin.clearRequests()
  }
  return Object.fromEntries(
    paths.map((p) => [
      p.name,
      {
        chunksPerSecond: summarize(chunks[p.name]),
        bytesPerSecond: summarize(bytes[p.name]),
        tokens: options.tokens
      }
    ])
  ) as PerPath<ThroughputRun>
}
