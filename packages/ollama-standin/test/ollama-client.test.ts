// The real `ollama` npm client (0.6.3) against the stand-in: if these pass, code written for
// Ollama sees the same results, errors and error types here.

import test from 'brittle'
import { Ollama } from 'ollama'
import { startStandin } from './helpers/index.js'

const messages = [{ role: 'user', content: 'Hello there' }]

test('ollama client: a streamed chat yields the reply and ends with done', async (t) => {
  const standin = await startStandin(t, { reply: 'Hi from the stand-in' })
  const ollama = new Ollama({ host: standin.url })
  const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true })
  let text = ''
  let last
  for await (const part of stream) {
    text += part.message.content
    last = part
  }
  t.is(text, 'Hi from the stand-in')
  t.is(last?.done, true)
  t.is(last?.done_reason, 'stop')
  t.is(last?.eval_count, 4)
})

test('ollama client: list, show and a non-streamed chat', async (t) => {
  const standin = await startStandin(t, { reply: 'Whole reply' })
  const ollama = new Ollama({ host: standin.url })
  t.alike(
    (await ollama.list()).models.map((m) => m.name),
    ['llama3.2:latest']
  )
  t.is((await ollama.show({ model: 'llama3.2' })).details.family, 'llama')
  const reply = await ollama.chat({ model: 'llama3.2', messages })
  t.is(reply.message.content, 'Whole reply')
  t.is(reply.done, true)
})

test('ollama client: an unknown model is a ResponseError with status_code 404', async (t) => {
  const standin = await startStandin(t)
  const ollama = new Ollama({ host: standin.url })
  const error = await ollama.chat({ model: 'nosuch', messages, stream: true }).then(
    () => null,
    (err: unknown) => err as Error & { status_code?: number }
  )
  t.is(error?.name, 'ResponseError')
  t.is(error?.status_code, 404)
  t.is(error?.message, "model 'nosuch' not found")
})

test('ollama client: an error line mid-stream is a plain Error with its text', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three' })
  standin.enqueue({ failure: { kind: 'error-line', afterTokens: 1, error: 'runner died' } })
  const ollama = new Ollama({ host: standin.url })
  const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true })
  const parts: string[] = []
  const error = await (async () => {
    for await (const part of stream) parts.push(part.message.content)
  })().then(
    () => null,
    (err: unknown) => err as Error
  )
  t.alike(parts, ['one'])
  t.is(error?.name, 'Error')
  t.is(error?.message, 'runner died')
})

test('ollama client: a stream that ends without done is an error', async (t) => {
  const standin = await startStandin(t, { reply: 'one two three' })
  standin.enqueue({ failure: { kind: 'truncate', afterTokens: 2 } })
  const ollama = new Ollama({ host: standin.url })
  const stream = await ollama.chat({ model: 'llama3.2', messages, stream: true })
  await t.exception(
    (async () => {
      for await (const part of stream) void part
    })(),
    /Did not receive done or success response in stream\./
  )
})

test('ollama client: aborting during the load (custom fetch) is recorded cancelled', async (t) => {
  const standin = await startStandin(t, { loadDelayMs: 2000 })
  const controller = new AbortController()
  // ollama-js has no iterator to abort until headers arrive, so merge in our own signal.
  const ollama = new Ollama({
    host: standin.url,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
      })
  })
  const pending = ollama.chat({ model: 'llama3.2', messages, stream: true })
  await standin.waitFor((r) => r.state === 'loading')
  controller.abort()
  await t.exception(pending, /abort/i)

  const record = await standin.waitFor((r) => !r.active)
  t.is(record.outcome, 'cancelled')
  t.is(record.headersSentAt, null)
  t.is(record.tokensSent, 0)
})
