// ChatService alone, with an Ollama adapter stubbed at the edge: what it does with pieces and
// results a broken or hostile Ollama (or a bug) could hand it. Nothing invalid reaches the wire.

import test from 'brittle'
import { parseClientBound, type ClientBoundMessage } from '@localllm/protocol'
import { ChatService, type ChatClient } from '../src/chat-service.js'
import { GenerationGate } from '../src/gate.js'
import { createLogger } from '../src/logger.js'
import type { GenerationResult, OllamaAdapter, Piece } from '../src/ollama-adapter.js'

function serviceWith(run: (onPiece: (piece: Piece) => void) => GenerationResult) {
  const gate = new GenerationGate()
  const results: Promise<GenerationResult>[] = []
  const ollama = {
    generate: (_model: string, _messages: unknown, onPiece: (piece: Piece) => void) => {
      const result = Promise.resolve().then(() => run(onPiece))
      results.push(result)
      return { result, abort: () => {} }
    }
  } as unknown as OllamaAdapter
  const service = new ChatService({
    ollama,
    gate,
    model: () => 'llama3.2',
    log: createLogger({ level: 'silent' })
  })
  const sent: ClientBoundMessage[] = []
  const client: ChatClient = {
    id: 'c1',
    deviceKey: 'k1',
    send: (m) => {
      sent.push(m)
      return true
    }
  }
  // Every generation's result, then the turn in which the service handled it.
  const settled = async () => {
    await Promise.all(results)
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { service, gate, sent, client, settled }
}

test('a chat_end that would fail its schema (Ollama stats out of range) is sent as GENERATION_FAILED', async (t) => {
  const { service, gate, sent, client, settled } = serviceWith(() => ({
    outcome: 'completed',
    finishReason: 'stop',
    stats: {
      prompt_tokens: -5,
      completion_tokens: 1.5,
      first_token_ms: Number.NaN,
      total_ms: 1,
      tokens_per_second: 1
    }
  }))
  service.start(client, { type: 'chat_start', request_id: 'r1', payload: { prompt: 'Hi' } })
  await settled()
  t.is(sent.length, 1)
  const [end] = sent
  t.is(end?.type === 'error' && end.payload.code, 'GENERATION_FAILED')
  t.ok(end?.type === 'error' && end.payload.detail?.includes('could not send'))
  t.ok(
    sent.every((m) => parseClientBound(m).ok),
    'everything sent is valid'
  )
  t.absent(gate.busy, 'the gate is free')
})

test('one huge piece of control characters goes out as several valid chunks, then chat_end', async (t) => {
  const text = '\u0001'.repeat(16_384)
  const { service, sent, client, settled } = serviceWith((onPiece) => {
    onPiece({ thinking: 'ok' })
    onPiece({ text })
    return {
      outcome: 'completed',
      finishReason: 'stop',
      stats: {
        prompt_tokens: 1,
        completion_tokens: 2,
        first_token_ms: 1,
        total_ms: 2,
        tokens_per_second: 1
      }
    }
  })
  service.start(client, { type: 'chat_start', request_id: 'r1', payload: { prompt: 'Hi' } })
  await settled()
  const chunks = sent.filter((m) => m.type === 'chat_chunk')
  t.ok(chunks.length >= 7, `${chunks.length} chunks`)
  t.ok(
    sent.every((m) => parseClientBound(m).ok),
    'everything sent is valid'
  )
  t.alike(chunks[0]?.type === 'chat_chunk' && chunks[0].payload, { thinking: 'ok' })
  const joined = chunks.map((m) => (m.type === 'chat_chunk' ? (m.payload.text ?? '') : '')).join('')
  t.is(joined, text)
  t.is(sent.at(-1)?.type, 'chat_end')
})
