// When things happen: nothing reaches the client before the first token, a cold load is
// paid once per model, tokens keep their pace, and a fast reply waits for a slow reader.

import test from 'brittle'
import { delay, postChat, readLines, startStandin } from './helpers/index.js'

test('no headers reach the client before the first token (load + first-token delay)', async (t) => {
  const standin = await startStandin(t, { loadDelayMs: 150, firstTokenDelayMs: 100 })
  const started = performance.now()
  const res = await postChat(standin)
  const headersAfter = performance.now() - started
  t.ok(headersAfter >= 240, `headers after ${Math.round(headersAfter)} ms, not before 250`)
  await res.text()

  const [record] = standin.requests
  t.ok(record && record.headersSentAt !== null && record.firstTokenAt !== null)
  t.ok((record?.headersSentAt as number) - (record?.receivedAt as number) >= 240)
  t.ok((record?.headersSentAt as number) >= (record?.firstTokenAt as number) - 1)
})

test('the cold load is paid only by the first request for a model', async (t) => {
  const standin = await startStandin(t, { loadDelayMs: 200 })
  const cold = (await readLines(await postChat(standin))).at(-1)
  const warm = (await readLines(await postChat(standin))).at(-1)
  t.ok((cold?.load_duration as number) >= 190e6, 'first request waited for the load')
  t.ok((warm?.load_duration as number) < 100e6, 'second request did not')

  standin.unload('llama3.2')
  const again = (await readLines(await postChat(standin))).at(-1)
  t.ok((again?.load_duration as number) >= 190e6, 'after unload it loads cold again')
})

test('tokens per second paces the stream', async (t) => {
  const standin = await startStandin(t, { tokens: 11, tokensPerSecond: 100 })
  const started = performance.now()
  const lines = await readLines(await postChat(standin))
  const took = performance.now() - started
  t.is(lines.length, 12)
  // 10 gaps of 10 ms after the first token.
  t.ok(took >= 90, `11 tokens at 100/s took ${Math.round(took)} ms`)
  const last = lines.at(-1) as { eval_duration: number }
  t.ok(last.eval_duration >= 90e6, 'eval_duration covers the paced tokens')
})

test('an unpaced reply to a reader that stops reading is held back by backpressure', async (t) => {
  const standin = await startStandin(t, { tokens: 1_000_000 })
  const controller = new AbortController()
  const res = await postChat(standin, {}, { signal: controller.signal })
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  await reader.read()
  // The client reads nothing more; the stand-in must stop once the socket buffers are full.
  await delay(300)
  const paused = standin.requests[0]?.tokensSent ?? 0
  await delay(100)
  const later = standin.requests[0]?.tokensSent ?? 0
  t.ok(paused < 500_000, `only ${paused} of 1,000,000 tokens went out`)
  t.is(later, paused, 'and no more while the client is not reading')

  controller.abort()
  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'cancelled')
  t.is(record.tokensAfterCancel, 0)
})

test('a load with no delay, an unload, then a load delay: the next request loads cold again', async (t) => {
  const standin = await startStandin(t, { loadDelayMs: 0 })
  await (await postChat(standin)).text()
  t.ok(standin.models[0]?.loaded, 'loaded at once')

  standin.unload()
  standin.configure({ loadDelayMs: 200 })
  const again = (await readLines(await postChat(standin))).at(-1)
  t.ok((again?.load_duration as number) >= 190e6, 'the load delay is paid again')
  t.ok(standin.models[0]?.loaded, 'and the model is loaded after it')
})
