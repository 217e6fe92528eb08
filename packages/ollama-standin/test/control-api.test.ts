// Scripting and inspecting a stand-in over HTTP, as a test or benchmark does when the
// stand-in runs in another process.

import test from 'brittle'
import { contentOf, postChat, readLines, startStandin } from './helpers/index.js'

function control(url: string, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(url + '/_standin/' + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

test('control API: settings and a one-shot script change replies', async (t) => {
  const standin = await startStandin(t)
  const settings = await control(standin.url, 'settings', 'PATCH', { reply: 'from settings' })
  t.is(((await settings.json()) as { reply: string }).reply, 'from settings')

  const queued = await control(standin.url, 'script', 'POST', { reply: 'just once' })
  t.alike(await queued.json(), { queuedScripts: 1 })

  t.is(contentOf(await readLines(await postChat(standin))), 'just once')
  t.is(contentOf(await readLines(await postChat(standin))), 'from settings')
})

test('control API: a bad script is a 400 that says what is wrong', async (t) => {
  const standin = await startStandin(t)
  const typo = await control(standin.url, 'script', 'POST', { replyy: 'x' })
  t.is(typo.status, 400)
  t.ok(((await typo.json()) as { error: string }).error.includes('replyy'))

  const badFailure = await control(standin.url, 'script', 'POST', {
    failure: { kind: 'explode', afterTokens: 1 }
  })
  t.is(badFailure.status, 400)
  const notJson = await fetch(standin.url + '/_standin/settings', { method: 'PATCH', body: '{' })
  t.is(notJson.status, 400)
  t.is(standin.queuedScripts, 0)
})

test('control API: models can be added and removed, and ps follows unload', async (t) => {
  const standin = await startStandin(t, { models: ['llama3.2'] })
  const added = await control(standin.url, 'models', 'POST', { name: 'qwen3:8b', thinking: true })
  t.is(added.status, 200)
  const tags = (await (await fetch(standin.url + '/api/tags')).json()) as {
    models: { name: string }[]
  }
  t.is(tags.models[0]?.name, 'qwen3:8b')

  const removed = await control(standin.url, 'models?name=qwen3:8b', 'DELETE')
  t.is(removed.status, 200)
  t.is((await control(standin.url, 'models?name=qwen3:8b', 'DELETE')).status, 404)

  await (await postChat(standin)).text()
  await control(standin.url, 'unload', 'POST')
  t.alike(await (await fetch(standin.url + '/api/ps')).json(), { models: [] })
})

test('control API: the request log and an idle wait', async (t) => {
  const standin = await startStandin(t, { tokens: 5, tokensPerSecond: 100 })
  const reply = postChat(standin, { messages: [{ role: 'user', content: 'logged prompt' }] })
  await standin.waitFor((r) => r.state === 'generating')

  const idle = (await (await control(standin.url, 'idle?timeout_ms=3000')).json()) as {
    idle: boolean
  }
  t.is(idle.idle, true)
  await (await reply).text()

  const { requests } = (await (await control(standin.url, 'requests')).json()) as {
    requests: Record<string, unknown>[]
  }
  t.is(requests.length, 1)
  t.is(requests[0]?.prompt, 'logged prompt')
  t.is(requests[0]?.outcome, 'completed')
  t.is(requests[0]?.tokensSent, 5)

  await control(standin.url, 'requests', 'DELETE')
  t.is(standin.requests.length, 0)
})

test('control API: reset brings back the constructor settings and models', async (t) => {
  const standin = await startStandin(t, { reply: 'original', models: ['llama3.2'] })
  standin.configure({ reply: 'changed' })
  standin.addModel('gemma3')
  standin.enqueue({ reply: 'queued' })
  const reset = await control(standin.url, 'reset', 'POST')
  t.is(reset.status, 200)
  t.is(standin.settings.reply, 'original')
  t.alike(
    standin.models.map((m) => m.name),
    ['llama3.2:latest']
  )
  t.is(standin.queuedScripts, 0)
})
