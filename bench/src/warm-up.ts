// Scenario 6, issue 17's warm-up figure: time from a friend connecting to the first token of
// their first prompt, on a cold model (the stand-in's load delay), with the host's warm-up on
// and off. The prompt goes either at once or after a moment of typing (`thinkMs`).
//
//   const r = await warmUpFirstToken({ rounds: 3, loadDelayMs: 3000, thinkMs: [0, 1500] })
//   r.on['1500'].p50   // connect → first token, ms, warm-up on
//
// Each round unloads the model, then a new device (a ClientSession) connects.

import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { ClientSession } from '@localllm/core'
import { startLocalSystem } from '@localllm/testing'
import { summarize, type Summary } from './stats.js'

export interface WarmUpResult {
  rounds: number
  loadDelayMs: number
  thinkMs: number[]
  /** connect → first token by think time, warm-up on and off. */
  on: Record<string, Summary>
  off: Record<string, Summary>
}

export async function warmUpFirstToken(options: {
  rounds: number
  loadDelayMs: number
  thinkMs: number[]
}): Promise<WarmUpResult> {
  const result: WarmUpResult = { ...options, on: {}, off: {} }
  for (const warmUp of [true, false]) {
    const system = await startLocalSystem({
      standin: { loadDelayMs: options.loadDelayMs, reply: 'Ready when you are.' },
      host: { warmUp }
    })
    try {
      for (const think of options.thinkMs) {
        const samples: number[] = []
        for (let i = 0; i < options.rounds; i++) {
          await system.standin.waitForIdle(options.loadDelayMs * 3)
          system.standin.unload()
          samples.push(await firstTokenAfterConnect(system, think))
        }
        result[warmUp ? 'on' : 'off'][String(think)] = summarize(samples)
      }
    } finally {
      await system.close()
    }
  }
  return result
}

async function firstTokenAfterConnect(
  system: Awaited<ReturnType<typeof startLocalSystem>>,
  thinkMs: number
): Promise<number> {
  const connectAt = performance.now()
  const session = new ClientSession({ code: system.serverId, bootstrap: system.bootstrap })
  try {
    const info = once(session, 'info')
    await session.open()
    await info
    if (thinkMs > 0) await sleep(thinkMs)
    const request = session.send('Hi')
    await once(request, 'chunk')
    const firstAt = performance.now()
    await request.result
    return firstAt - connectAt
  } finally {
    await session.close()
  }
}
