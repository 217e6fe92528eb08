// Warm-up: a device connecting while the model is not in memory makes the host load it, once
// however many devices arrive, so the first reply does not pay the cold load; it never takes
// the gate, and a prompt sent during it is answered, not refused.

import { getEventListeners } from 'node:events'
import test from 'brittle'
import { OllamaStandin } from '@localllm/ollama-standin'
import { OllamaAdapter } from '../src/ollama-adapter.js'
import { startWorld } from './helpers/world.js'

const LOAD_MS = 600

test('three devices connecting load the model once, and the first reply pays no cold load', async (t) => {
  const w = await startWorld(t, { standin: { loadDelayMs: LOAD_MS, reply: 'Warm.' } })
  const [a] = await Promise.all([w.connect(), w.connect(), w.connect()])
  const load = await w.standin.waitForLoad((r) => r.doneReason === 'load', 5000)
  t.is(load.messageCount, 0)
  t.ok(w.standin.models[0]?.loaded, 'the model is in memory')
  await w.untilLogs('warm-up done', 1)
  // Counts once the fourth device's warm-up has decided, not after a pause.
  const skipped = w.logs.filter((l) => l.msg === 'warm-up skipped').length
  const d = await w.connect()
  t.ok(d)
  await w.untilLogs('warm-up skipped', skipped + 1)
  const decided = w.logs.filter((l) => l.msg === 'warm-up skipped').at(-1)
  t.is(decided?.reason, 'in memory', 'it found the model in memory')
  t.is(w.standin.loads.length, 1, 'one load for four devices')
  t.is(w.logs.filter((l) => l.msg === 'warm-up done').length, 1)

  const reply = await a.chat('Hi')
  t.is(reply.text, 'Warm.')
  t.is(reply.statuses, 0, 'no chat_status: nothing was loading')
  // On the stand-in's own clock: a cold request waits LOAD_MS before its first token, always.
  const chat = w.standin.requests.at(-1)
  const waited = (chat?.firstTokenAt ?? Infinity) - (chat?.receivedAt ?? 0)
  t.ok(
    waited < LOAD_MS,
    `first token ${Math.round(waited)} ms after Ollama got the prompt (a cold load is ${LOAD_MS} ms)`
  )
})

test('with warm-up off, connecting loads nothing', async (t) => {
  const w = await startWorld(t, { host: { warmUp: false } })
  const a = await w.connect()
  await a.chat('load it')
  t.ok(w.standin.models[0]?.loaded)
  t.is(w.standin.loads.length, 0, 'warm-up off: nothing loaded on connect')
})

test('a device connecting to a loaded model starts no load', async (t) => {
  const w = await startWorld(t)
  const a = await w.connect()
  await w.standin.waitForLoad((r) => !r.active)
  await w.untilLogs('warm-up done', 1)
  await a.chat('hi')
  const skipped = w.logs.filter((l) => l.msg === 'warm-up skipped').length
  await w.connect()
  // Counts once its warm-up has decided, not after a pause.
  await w.untilLogs('warm-up skipped', skipped + 1)
  t.is(w.standin.loads.length, 1, 'only the first connect loaded it')
})

test('a prompt sent while the warm-up loads is answered, shares the same load, and is not busy', async (t) => {
  const w = await startWorld(t, { standin: { loadDelayMs: LOAD_MS, reply: 'Shared load.' } })
  const c = await w.connect()
  await w.standin.waitForLoad((r) => r.state === 'received' || r.active)
  const reply = await c.chat('right away')
  t.is(reply.text, 'Shared load.')
  t.is(reply.terminal.type, 'chat_end')
  const record = w.standin.requests[0]
  t.ok(
    (record?.firstTokenAt ?? 0) - (record?.receivedAt ?? 0) < LOAD_MS,
    'it waited only for the rest of the one load'
  )
  t.is(w.standin.loads.length, 1)
})

test('the cold first reply without warm-up pays the whole load (the difference warm-up makes)', async (t) => {
  const w = await startWorld(t, {
    standin: { loadDelayMs: LOAD_MS, reply: 'Cold.' },
    host: { warmUp: false }
  })
  const c = await w.connect()
  const reply = await c.chat('Hi')
  const firstTokenMs =
    reply.terminal.type === 'chat_end' ? reply.terminal.payload.stats.first_token_ms : 0
  t.ok(firstTokenMs >= LOAD_MS - 50, `first token after ${firstTokenMs} ms`)
})

test("the warm-up's long-lived signal holds nothing once each Ollama request is done, and still cancels", async (t) => {
  const standin = new OllamaStandin({ loadDelayMs: LOAD_MS })
  await standin.ready()
  t.teardown(() => standin.close())
  const ollama = new OllamaAdapter({ url: standin.url })
  // As WarmUp does: one signal for the host's lifetime, passed to a check per device that joins.
  const closing = new AbortController()
  for (let i = 0; i < 20; i++) {
    t.ok((await ollama.loaded(closing.signal)).ok)
    t.ok((await ollama.load('llama3.2', { signal: closing.signal })).ok)
  }
  t.is(heldBy(closing.signal), 0, 'no listeners and no dependent signals left on it')

  await ollama.load('llama3.2', { keepAlive: 0 }) // cold again: the next load takes LOAD_MS
  const started = Date.now()
  const cancelled = ollama.load('llama3.2', { signal: closing.signal })
  setTimeout(() => closing.abort(), 100)
  const result = await cancelled
  t.is(result.ok, false, 'aborting the signal cancels the load under way')
  t.ok(Date.now() - started < LOAD_MS, `cancelled after ${Date.now() - started} ms`)
  t.is(heldBy(closing.signal), 0)
})

/**
 * What a signal keeps for others: its 'abort' listeners, plus the signals AbortSignal.any made
 * from it (Node's internal set, which on Node 20 only grows: nodejs/node#55351).
 */
function heldBy(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find(
    (s) => s.description === 'kDependantSignals'
  )
  const dependants = symbol
    ? (signal as unknown as Record<symbol, Set<unknown>>)[symbol]
    : undefined
  return getEventListeners(signal, 'abort').length + (dependants?.size ?? 0)
}
