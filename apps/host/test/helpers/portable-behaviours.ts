// Host behaviours that hold whatever Ollama is behind the host, written once and checked only
// through what a client sees. errors.test.ts and lifecycle.test.ts run them on the stand-in
// and add what only the stand-in can tell (what Ollama saw); real-ollama.test.ts runs them on
// a real Ollama.
//
//   const w = await startWorld(t, { ollamaUrl, host: { model } })
//   const first = await secondPromptWhileBusyGetsModelBusy(t, w, { prompt: LONG_PROMPT })
//
// The prompts are only there for a real model: the stand-in's reply is scripted.

import type { ClientBoundMessage } from '@localllm/protocol'
import type { ChatReply } from '@localllm/testing'
import type { World } from './world.js'

/** Long enough that a real model is still streaming when the test acts on it. */
export const LONG_PROMPT = 'Count from 1 to 300, one number per line, and write nothing else.'
export const SHORT_PROMPT = 'Reply with the single word: hello.'

export interface BehaviourOptions {
  /** The prompt that must still be generating when the test acts (default LONG_PROMPT). */
  prompt?: string
  /** The prompt that checks the gate is free afterwards (default SHORT_PROMPT). */
  followUp?: string
  /** For each wait on the model (a real one may have to load first). Default 20 s. */
  timeoutMs?: number
}

type Host = Pick<World, 'connect'>

export function errorCode(m: ClientBoundMessage): string | undefined {
  return m.type === 'error' ? m.payload.code : undefined
}

export async function aPromptStreamsBack(
  t: TestContext,
  w: Host,
  options: BehaviourOptions = {}
): Promise<ChatReply> {
  const c = await w.connect()
  const reply = await c.chat(options.prompt ?? SHORT_PROMPT, { timeoutMs: timeout(options) })
  t.is(reply.terminal.type, 'chat_end', 'ends with chat_end')
  t.ok(reply.chunks.length > 1, `${reply.chunks.length} chunks, not one blob`)
  t.ok(reply.text.trim().length > 0, 'some text came back')
  t.alike(reply.after, [], 'nothing after the terminal message')
  if (reply.terminal.type === 'chat_end') {
    const { stats } = reply.terminal.payload
    t.ok(stats.completion_tokens > 0, `${stats.completion_tokens} completion tokens`)
    t.ok(stats.total_ms >= stats.first_token_ms, 'first token before the end')
  }
  return reply
}

/** abort mid-stream → GENERATION_ABORTED, and the next prompt is served at once. */
export async function abortFreesTheGate(
  t: TestContext,
  w: Host,
  options: BehaviourOptions = {}
): Promise<{ aborted: ChatReply; abortedAt: number; reportedAt: number }> {
  const c = await w.connect()
  const id = c.startChat(options.prompt ?? LONG_PROMPT)
  await c.waitFor(chunkOf(id), { timeoutMs: timeout(options) })
  const abortedAt = Date.now()
  c.send({ type: 'abort', request_id: id })
  const aborted = await c.reply(id, { timeoutMs: timeout(options) })
  const reportedAt = Date.now()
  t.is(errorCode(aborted.terminal), 'GENERATION_ABORTED')
  t.alike(aborted.after, [], 'nothing for the request after GENERATION_ABORTED')
  const next = await c.chat(options.followUp ?? SHORT_PROMPT, { timeoutMs: timeout(options) })
  t.is(next.terminal.type, 'chat_end', 'the gate is free right after')
  return { aborted, abortedAt, reportedAt }
}

/** MODEL_BUSY for another client and for the same one; the running reply is untouched. */
export async function secondPromptWhileBusyGetsModelBusy(
  t: TestContext,
  w: Host,
  options: BehaviourOptions = {}
): Promise<ChatReply> {
  const a = await w.connect()
  const b = await w.connect()
  const first = a.startChat(options.prompt ?? LONG_PROMPT)
  await a.waitFor(chunkOf(first), { timeoutMs: timeout(options) })
  const busy = await b.chat('me too')
  t.is(errorCode(busy.terminal), 'MODEL_BUSY', 'another client is refused')
  t.is(busy.terminal.type === 'error' && busy.terminal.payload.retryable, true, 'retryable')
  const own = await a.chat('and me, from the same client')
  t.is(errorCode(own.terminal), 'MODEL_BUSY', 'the same client is refused too')
  const done = await a.reply(first, { timeoutMs: timeout(options) })
  t.is(done.terminal.type, 'chat_end', 'the running request is untouched')
  return done
}

/** The client leaving mid-generation frees the gate: another client is served next. */
export async function disconnectFreesTheGate(
  t: TestContext,
  w: Host,
  options: BehaviourOptions = {}
): Promise<{ leftAt: number }> {
  const leaver = await w.connect()
  const other = await w.connect()
  const id = leaver.startChat(options.prompt ?? LONG_PROMPT)
  await leaver.waitFor(chunkOf(id), { timeoutMs: timeout(options) })
  const from = other.messages.length
  const leftAt = Date.now()
  await leaver.close()
  // The host says 'ready' only once the gate is released, i.e. Ollama's stream is closed.
  await other.waitFor((m) => m.type === 'server_info' && m.payload.status === 'ready', {
    from,
    timeoutMs: timeout(options)
  })
  t.pass('the others are told the host is ready again')
  const reply = await other.chat(options.followUp ?? SHORT_PROMPT, { timeoutMs: timeout(options) })
  t.is(reply.terminal.type, 'chat_end', 'the next client is served')
  return { leftAt }
}

function chunkOf(id: string): (m: ClientBoundMessage) => boolean {
  return (m) => m.type === 'chat_chunk' && m.request_id === id
}

function timeout(options: BehaviourOptions): number {
  return options.timeoutMs ?? 20000
}
