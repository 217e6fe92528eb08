// The read-only endpoints a host checks before chatting: version, tags, ps, show, and the
// plain-text 404/405 answers for everything else.

import test from 'brittle'
import { chatBody, post, postChat, startStandin } from './helpers/index.js'

test('version answers 0.32.15 as JSON, and HEAD answers without a body', async (t) => {
  const standin = await startStandin(t)
  const get = await fetch(standin.url + '/api/version')
  t.is(get.status, 200)
  t.is(get.headers.get('content-type'), 'application/json; charset=utf-8')
  t.alike(await get.json(), { version: '0.32.15' })

  const head = await fetch(standin.url + '/api/version', { method: 'HEAD' })
  t.is(head.status, 200)
  t.is(await head.text(), '')
})

test('tags lists full model objects newest first, and an empty list when none', async (t) => {
  const standin = await startStandin(t, { models: ['llama3.2', 'qwen3:8b'] })
  const { models } = (await (await fetch(standin.url + '/api/tags')).json()) as {
    models: Record<string, unknown>[]
  }
  t.alike(
    models.map((m) => m.name),
    ['llama3.2:latest', 'qwen3:8b']
  )
  const first = models[0] as Record<string, unknown>
  t.is(first.model, 'llama3.2:latest')
  t.ok(typeof first.modified_at === 'string' && !Number.isNaN(Date.parse(first.modified_at)))
  t.ok(Number.isInteger(first.size) && (first.size as number) > 0)
  t.ok(/^[0-9a-f]{64}$/.test(first.digest as string))
  t.alike(Object.keys(first.details as object).sort(), [
    'families',
    'family',
    'format',
    'parameter_size',
    'parent_model',
    'quantization_level'
  ])

  const empty = await startStandin(t, { models: [] })
  t.alike(await (await fetch(empty.url + '/api/tags')).json(), { models: [] })
})

test('a model added while running (pulled) shows up first in tags and can chat', async (t) => {
  const standin = await startStandin(t, { models: ['llama3.2'] })
  t.is((await postChat(standin, { model: 'gemma3' })).status, 404)

  standin.addModel('gemma3')
  const { models } = (await (await fetch(standin.url + '/api/tags')).json()) as {
    models: { name: string }[]
  }
  t.is(models[0]?.name, 'gemma3:latest')
  t.is((await postChat(standin, { model: 'gemma3', stream: false })).status, 200)

  t.ok(standin.removeModel('gemma3'))
  t.is((await postChat(standin, { model: 'gemma3' })).status, 404)
})

test('ps lists a model only once a request has loaded it', async (t) => {
  const standin = await startStandin(t)
  const ps = async () =>
    ((await (await fetch(standin.url + '/api/ps')).json()) as { models: Record<string, unknown>[] })
      .models
  t.alike(await ps(), [])

  await (await postChat(standin)).text()
  const [loaded] = await ps()
  t.is(loaded?.name, 'llama3.2:latest')
  t.ok(Date.parse(loaded?.expires_at as string) > Date.now(), 'expires in the future')
  t.is(loaded?.context_length, 4096)

  standin.unload()
  t.alike(await ps(), [])
})

test('show describes an installed model and 404s an unknown one with :latest', async (t) => {
  const standin = await startStandin(t, { models: [{ name: 'qwen3:8b', thinking: true }] })
  const found = await post(standin, '/api/show', { model: 'qwen3:8b' })
  t.is(found.status, 200)
  const body = (await found.json()) as { capabilities: string[]; details: object }
  t.alike(body.capabilities, ['completion', 'thinking'])
  t.ok(body.details)

  const missing = await post(standin, '/api/show', { model: 'foo' })
  t.is(missing.status, 404)
  t.alike(await missing.json(), { error: "model 'foo:latest' not found" })
})

test('an unknown path is a plain-text 404 and a wrong method a 405', async (t) => {
  const standin = await startStandin(t)
  const missing = await fetch(standin.url + '/api/nothing')
  t.is(missing.status, 404)
  t.is(missing.headers.get('content-type'), 'text/plain')
  t.is(await missing.text(), '404 page not found')

  const wrong = await fetch(standin.url + '/api/chat')
  t.is(wrong.status, 405)
  t.is(await wrong.text(), '405 method not allowed')

  const putTags = await fetch(standin.url + '/api/tags', {
    method: 'PUT',
    body: JSON.stringify(chatBody())
  })
  t.is(putTags.status, 405)
})
