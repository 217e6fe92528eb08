import test from 'brittle'
import { untilHostState } from '@localllm/testing'
import { startWorld } from './helpers/world.js'

test('a device with the code gets server_info: name, model, ready, and the limits', async (t) => {
  const w = await startWorld(t, { host: { displayName: 'Dan’s MacBook' } })
  const c = await w.connect()
  t.is(c.serverInfos, 1)
  t.is(c.info?.host_name, 'Dan’s MacBook')
  t.is(c.info?.model, 'llama3.2:latest', 'no model chosen: the first installed one')
  t.is(c.info?.status, 'ready')
  t.is(c.info?.reason, undefined)
  t.alike(c.info?.limits, {
    max_prompt_bytes: 8192,
    max_clients: 5,
    response_timeout_ms: 30000,
    max_reply_tokens: 4096,
    max_reply_ms: 300000
  })
  t.is(w.host.state.clients, 1)
})

test('a prompt streams back token by token and ends with chat_end and stats', async (t) => {
  const w = await startWorld(t, {
    standin: {
      reply: 'Quantum computers use qubits that can be 0 and 1 at once.',
      tokensPerSecond: 200
    }
  })
  const c = await w.connect()
  const reply = await c.chat('Explain quantum computing simply')
  t.is(reply.text, 'Quantum computers use qubits that can be 0 and 1 at once.')
  t.ok(reply.chunks.length >= 10, `${reply.chunks.length} chunks, not one blob`)
  t.is(reply.terminal.type, 'chat_end')
  if (reply.terminal.type === 'chat_end') {
    const { stats, finish_reason } = reply.terminal.payload
    t.is(finish_reason, 'stop')
    t.is(stats.completion_tokens, reply.chunks.length, 'completion tokens from Ollama eval_count')
    t.ok(stats.prompt_tokens > 0)
    t.ok(stats.tokens_per_second > 0)
    t.ok(stats.total_ms >= stats.first_token_ms)
  }
  t.alike(reply.after, [], 'nothing after the terminal message')
  const record = w.standin.requests[0]
  t.is(
    record?.prompt,
    'Explain quantum computing simply',
    'Ollama got the prompt as one user message'
  )
  t.is(record?.messageCount, 1)
})

test('a reply cut short by num_predict ends with finish_reason length', async (t) => {
  const w = await startWorld(t, { standin: { doneReason: 'length' } })
  const c = await w.connect()
  const reply = await c.chat('Tell me everything')
  t.is(reply.terminal.type === 'chat_end' && reply.terminal.payload.finish_reason, 'length')
})

test('a slow model load sends chat_status until the first token, and no timeout', async (t) => {
  const w = await startWorld(t, {
    standin: { loadDelayMs: 1600, reply: 'Loaded.' },
    host: { chatStatusIntervalMs: 400 }
  })
  const c = await w.connect()
  const reply = await c.chat('Hello?')
  t.ok(reply.statuses >= 2, `${reply.statuses} chat_status messages while loading`)
  t.is(reply.text, 'Loaded.')
  t.is(reply.terminal.type, 'chat_end')
  const status = c.messages.find((m) => m.type === 'chat_status')
  t.is(status?.type === 'chat_status' && status.payload.state, 'loading_model')
})

test('a model pulled while the host runs becomes selectable, and clients hear of a change', async (t) => {
  const w = await startWorld(t, { host: { ollamaPollMs: 200 } })
  const c = await w.connect()
  w.standin.addModel('qwen3:8b')
  await untilHostState(w.host, (s) => s.models.includes('qwen3:8b'), 'qwen3:8b listed')
  const before = c.messages.length
  await w.host.setModel('qwen3:8b')
  const info = await c.waitFor((m) => m.type === 'server_info', { from: before })
  t.is(info.type === 'server_info' && info.payload.model, 'qwen3:8b')
  const reply = await c.chat('Hi')
  t.is(reply.terminal.type, 'chat_end')
  t.is(w.standin.requests.at(-1)?.model, 'qwen3:8b', 'generation uses the new model')
})

test('a display name change is pushed to connected clients', async (t) => {
  const w = await startWorld(t)
  const c = await w.connect()
  const before = c.messages.length
  await w.host.setDisplayName('Kitchen iMac')
  const info = await c.waitFor((m) => m.type === 'server_info', { from: before })
  t.is(info.type === 'server_info' && info.payload.host_name, 'Kitchen iMac')
})

test('prompts and replies never reach the log at info level', async (t) => {
  const w = await startWorld(t, { standin: { reply: 'SECRET-REPLY-TEXT' } })
  const c = await w.connect()
  await c.chat('SECRET-PROMPT-TEXT')
  const infoLines = w.logs.filter((l) => (l.level as number) >= 30).map((l) => JSON.stringify(l))
  t.ok(infoLines.length > 0)
  t.absent(
    infoLines.some((l) => l.includes('SECRET-PROMPT-TEXT') || l.includes('SECRET-REPLY-TEXT'))
  )
  t.ok(
    w.logs.some((l) => l.prompt === 'SECRET-PROMPT-TEXT' && l.level === 20),
    'the prompt is there at debug'
  )
})
