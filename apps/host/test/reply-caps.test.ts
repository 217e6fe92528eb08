// The reply caps: a model that would answer forever is cut at the host's token cap or its
// wall-time cap, and the reply ends with finish_reason `length`, the gate free again.

import test from 'brittle'
import { startWorld } from './helpers/world.js'

test('the token cap ends an endless reply (a model that ignores num_predict) with length', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 1_000_000, ignoreNumPredict: true, tokensPerSecond: 500 },
    host: { replyCaps: { maxTokens: 25, maxMs: 60_000 } }
  })
  const c = await w.connect()
  t.is(c.info?.limits.max_reply_tokens, 25)
  const reply = await c.chat('Count forever')
  t.is(reply.terminal.type === 'chat_end' && reply.terminal.payload.finish_reason, 'length')
  t.is(reply.chunks.length, 25)
  t.is(w.standin.requests[0]?.options.num_predict, 25, 'Ollama was told the cap too')
  const record = await w.standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'cancelled', 'and the HTTP request was closed')
  t.is(w.host.state.status, 'ready')
})

test('the wall-time cap ends an endless reply with length', async (t) => {
  const w = await startWorld(t, {
    standin: { tokens: 1_000_000, tokensPerSecond: 50 },
    host: { replyCaps: { maxTokens: 1_000_000, maxMs: 600 } }
  })
  const c = await w.connect()
  const started = Date.now()
  const reply = await c.chat('Talk forever')
  const took = Date.now() - started
  t.is(reply.terminal.type === 'chat_end' && reply.terminal.payload.finish_reason, 'length')
  t.ok(took >= 550 && took < 3000, `ended after ${took} ms`)
  t.ok(reply.chunks.length > 5 && reply.chunks.length < 100, `${reply.chunks.length} chunks`)
  t.is(w.host.state.status, 'ready')
})
