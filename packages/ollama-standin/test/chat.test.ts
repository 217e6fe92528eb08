// /api/chat as a client sees it when nothing goes wrong, and the request errors Ollama
// answers before it starts.

import test from 'brittle'
import { contentOf, post, postChat, readLines, startStandin } from './helpers/index.js'

const METRICS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration'
]

test('a streamed reply is NDJSON token lines, then a done line with integer metrics', async (t) => {
  const standin = await startStandin(t, { reply: 'The quick brown fox.', loadDelayMs: 5 })
  const res = await postChat(standin)
  t.is(res.status, 200)
  t.is(res.headers.get('content-type'), 'application/x-ndjson')
  t.is(res.headers.get('transfer-encoding'), 'chunked')

  const lines = await readLines(res)
  const last = lines.pop() as Record<string, unknown>
  t.alike(
    lines.map((line) => (line.message as { content: string }).content),
    ['The', ' quick', ' brown', ' fox.']
  )
  t.alike(lines[0], {
    model: 'llama3.2',
    created_at: lines[0]?.created_at,
    message: { role: 'assistant', content: 'The' },
    done: false
  })
  t.is(last.done, true)
  t.is(last.done_reason, 'stop')
  t.alike(last.message, { role: 'assistant', content: '' })
  t.is(last.eval_count, 4)
  for (const field of METRICS) {
    t.ok(
      Number.isSafeInteger(last[field]) && (last[field] as number) > 0,
      `${field} is a positive integer`
    )
  }
})

test('zero metrics are left out of the done line', async (t) => {
  const standin = await startStandin(t, { reply: '' })
  const lines = await readLines(await postChat(standin))
  t.is(lines.length, 1, 'only the done line')
  t.is(lines[0]?.done, true)
  t.absent('eval_count' in (lines[0] as object), 'eval_count 0 is omitted')
  t.absent('eval_duration' in (lines[0] as object))
})

test('stream false returns one JSON object with the whole message and metrics', async (t) => {
  const standin = await startStandin(t, { reply: 'One two three' })
  const res = await postChat(standin, { stream: false })
  t.is(res.headers.get('content-type'), 'application/json; charset=utf-8')
  const body = (await res.json()) as Record<string, unknown>
  t.alike(body.message, { role: 'assistant', content: 'One two three' })
  t.is(body.done, true)
  t.is(body.done_reason, 'stop')
  t.is(body.eval_count, 3)
})

test('tokens sends exactly that many, and num_predict cuts the reply with done_reason length', async (t) => {
  const standin = await startStandin(t, { reply: 'a b c', tokens: 7 })
  const full = await readLines(await postChat(standin))
  t.is(contentOf(full), 'a b c a b c a')

  const cut = await readLines(await postChat(standin, { options: { num_predict: 2 } }))
  t.is(contentOf(cut), 'a b')
  t.is(cut.at(-1)?.done_reason, 'length')
  t.is(cut.at(-1)?.eval_count, 2)
  t.is((await standin.waitFor((r) => r.id === 2)).options.num_predict, 2, 'options are logged')
})

test('request errors come back as Ollama status codes and {"error"} bodies', async (t) => {
  const standin = await startStandin(t)
  const cases: [string, number, string | null][] = [
    ['', 400, 'missing request body'],
    ['{"model":', 400, null],
    ['{"model":5}', 400, null],
    [JSON.stringify({ messages: [] }), 400, 'model is required'],
    [JSON.stringify({ model: '', messages: [] }), 400, 'model is required'],
    [JSON.stringify({ model: 'nosuch', messages: [] }), 404, "model 'nosuch' not found"],
    [JSON.stringify({ model: 'bad name!', messages: [] }), 400, 'invalid model name']
  ]
  for (const [body, status, error] of cases) {
    const res = await post(standin, '/api/chat', body)
    t.is(res.status, status, `${JSON.stringify(body)} → ${status}`)
    t.is(res.headers.get('content-type'), 'application/json; charset=utf-8')
    const reply = (await res.json()) as { error: string }
    if (error !== null) t.is(reply.error, error)
    else t.ok(typeof reply.error === 'string' && reply.error.length > 0)
  }
  const records = [...standin.requests, ...standin.loads] // empty messages are loads
  t.is(records.length, cases.length)
  t.ok(records.every((r) => r.outcome === 'rejected' && !r.active))
})

test('a name without a tag matches name:latest, and the reply echoes the name as sent', async (t) => {
  const standin = await startStandin(t, { models: ['llama3.2:latest'] })
  const lines = await readLines(await postChat(standin, { model: 'llama3.2' }))
  t.is(lines[0]?.model, 'llama3.2')
  const tagged = await readLines(await postChat(standin, { model: 'llama3.2:latest' }))
  t.is(tagged[0]?.model, 'llama3.2:latest')
})

test('empty messages load the model: one JSON object, done_reason load, no timings', async (t) => {
  const standin = await startStandin(t)
  const res = await postChat(standin, { messages: [], stream: true })
  t.is(res.status, 200)
  t.is(res.headers.get('content-type'), 'application/json; charset=utf-8')
  const body = (await res.json()) as Record<string, unknown>
  t.is(body.done, true)
  t.is(body.done_reason, 'load')
  t.alike(body.message, { role: 'assistant', content: '' })
  t.absent('total_duration' in body)
  t.ok(standin.models[0]?.loaded, 'the model is loaded')

  const unload = (await (await postChat(standin, { messages: [], keep_alive: 0 })).json()) as {
    done_reason: string
  }
  t.is(unload.done_reason, 'unload')
  t.absent(standin.models[0]?.loaded, 'keep_alive 0 unloads it')
  t.is(standin.requests.length, 0, 'loads are not generations…')
  t.alike(
    standin.loads.map((r) => [r.doneReason, r.keepAliveMs, r.outcome]),
    [
      ['load', null, 'completed'],
      ['unload', 0, 'completed']
    ],
    '…they are logged apart'
  )
})

test('think on a model without thinking is a 400; a thinking model thinks first', async (t) => {
  const standin = await startStandin(t, {
    models: ['llama3.2', { name: 'qwen3', thinking: true }],
    thinking: 'Hmm ok',
    reply: 'Hi'
  })
  const refused = await postChat(standin, { think: true })
  t.is(refused.status, 400)
  t.alike(await refused.json(), { error: '"llama3.2" does not support thinking' })

  const lines = await readLines(await postChat(standin, { model: 'qwen3' }))
  t.alike(
    lines.slice(0, 3).map((line) => line.message),
    [
      { role: 'assistant', content: '', thinking: 'Hmm' },
      { role: 'assistant', content: '', thinking: ' ok' },
      { role: 'assistant', content: 'Hi' }
    ]
  )
  const quiet = await readLines(await postChat(standin, { model: 'qwen3', think: false }))
  t.is(quiet.length, 2, 'think: false skips the thinking')
})

test('the request log keeps each message (role, content, order), think, options and keep_alive', async (t) => {
  const standin = await startStandin(t, { models: [{ name: 'qwen3', thinking: true }] })
  const messages = [
    { role: 'user', content: 'My name is Ana.' },
    { role: 'assistant', content: 'Hi Ana!' },
    { role: 'user', content: 'What is my name?' }
  ]
  const body = {
    model: 'qwen3',
    messages,
    think: true,
    options: { num_predict: 7 },
    keep_alive: '1m'
  }
  await (await postChat(standin, body)).text()
  const [record] = standin.requests
  t.alike(record?.messages, messages)
  t.is(record?.messageCount, 3)
  t.is(record?.prompt, 'What is my name?')
  t.is(record?.think, true)
  t.alike(record?.options, { num_predict: 7 })
  t.is(record?.keepAliveMs, 60_000)
})
