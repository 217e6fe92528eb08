import test from 'brittle'
import { protocolError } from '@localllm/protocol'
import { ChatRequest } from '../src/chat-request.js'

const stats = {
  prompt_tokens: 1,
  completion_tokens: 2,
  first_token_ms: 3,
  total_ms: 4,
  tokens_per_second: 5
}

test('chunks build the reply and the one terminal result carries it', async (t) => {
  const r = new ChatRequest('r1', 'hi', () => {})
  const seen: string[] = []
  r.on('chunk', (text) => seen.push(text))
  r._chunk({ text: 'Hel' })
  r._chunk({ text: 'lo' })
  r._end({ finishReason: 'stop', stats })
  const result = await r.result
  t.alike(seen, ['Hel', 'lo'])
  t.ok(result.ok && result.text === 'Hello' && result.requestId === 'r1')
})

test('chunks and ends after the terminal result are dropped', async (t) => {
  const r = new ChatRequest('r2', 'hi', () => {})
  const seen: string[] = []
  const ends: unknown[] = []
  r.on('chunk', (text) => seen.push(text))
  r.on('end', (result) => ends.push(result))
  r._chunk({ text: 'partial' })
  r._end({ error: protocolError('GENERATION_ABORTED') })
  r._chunk({ text: 'late chunk' })
  r._end({ finishReason: 'stop', stats })
  const result = await r.result
  t.alike(seen, ['partial'])
  t.is(ends.length, 1, 'exactly one terminal result')
  t.ok(!result.ok && result.error.code === 'GENERATION_ABORTED' && result.text === 'partial')
  t.is(!result.ok && result.error.request_id, 'r2')
})

test('iterating yields every chunk, then ends with the result', async (t) => {
  const r = new ChatRequest('r3', 'hi', () => {})
  setTimeout(() => {
    r._chunk({ text: 'a' })
    r._chunk({ text: 'b' })
    setTimeout(() => {
      r._chunk({ text: 'c' })
      r._end({ finishReason: 'length', stats })
    }, 5)
  }, 5)
  const chunks: string[] = []
  for await (const text of r) chunks.push(text)
  t.alike(chunks, ['a', 'b', 'c'])
  t.ok((await r.result).ok)
})

test('abort goes to the session once, and not after the end', (t) => {
  let aborts = 0
  const r = new ChatRequest('r4', 'hi', () => aborts++)
  r.abort()
  r._end({ error: protocolError('GENERATION_ABORTED') })
  r.abort()
  t.is(aborts, 1)
})
