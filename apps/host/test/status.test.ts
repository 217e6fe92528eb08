// Honest status: server_info says `unavailable`, with the reason, while Ollama is down or the
// chosen model is not installed, and `ready` again once that is fixed; every connected client
// hears each change.

import test from 'brittle'
import { OllamaStandin } from '@localllm/ollama-standin'
import type { ClientBoundMessage } from '@localllm/protocol'
import { startWorld } from './helpers/world.js'

type Info = Extract<ClientBoundMessage, { type: 'server_info' }>['payload']

function infoAfter(
  c: {
    waitFor: (
      m: (x: ClientBoundMessage) => boolean,
      o?: { from?: number }
    ) => Promise<ClientBoundMessage>
    messages: ClientBoundMessage[]
  },
  check: (info: Info) => boolean
) {
  return c.waitFor((m) => m.type === 'server_info' && check(m.payload), {
    from: 0
  }) as Promise<Extract<ClientBoundMessage, { type: 'server_info' }>>
}

test('Ollama stopping makes the host unavailable (ollama_unreachable); it is ready again when Ollama is back', async (t) => {
  const w = await startWorld(t, { host: { ollamaPollMs: 100 } })
  const c = await w.connect()
  t.is(c.info?.status, 'ready')
  const port = w.standin.port
  await w.standin.close()
  const down = await infoAfter(c, (i) => i.status === 'unavailable')
  t.is(down.payload.reason, 'ollama_unreachable')
  t.is(w.host.state.reason, 'ollama_unreachable')

  const refused = await c.chat('anyone there?')
  t.is(refused.terminal.type === 'error' && refused.terminal.payload.code, 'OLLAMA_NOT_FOUND')

  const back = new OllamaStandin({ port, reply: 'Back again.' })
  await back.ready()
  t.teardown(() => back.close())
  const from = c.messages.length
  const ready = await c.waitFor((m) => m.type === 'server_info' && m.payload.status === 'ready', {
    from
  })
  t.is(ready.type === 'server_info' && ready.payload.reason, undefined, 'no reason when ready')
  t.is((await c.chat('hello?')).text, 'Back again.')
})

test('the chosen model missing makes the host unavailable (model_missing); pulling it makes it ready', async (t) => {
  const w = await startWorld(t, {
    standin: { models: ['llama3.2', 'qwen3:8b'] },
    host: { ollamaPollMs: 100, model: 'qwen3:8b' }
  })
  const c = await w.connect()
  const other = await w.connect()
  t.is(c.info?.status, 'ready')
  w.standin.removeModel('qwen3:8b')
  for (const client of [c, other]) {
    const info = await infoAfter(client, (i) => i.status === 'unavailable')
    t.is(info.payload.reason, 'model_missing', 'every client is told why')
    t.is(info.payload.model, 'qwen3:8b')
  }
  const from = c.messages.length
  w.standin.addModel('qwen3:8b')
  await c.waitFor((m) => m.type === 'server_info' && m.payload.status === 'ready', { from })
  t.is(w.host.state.status, 'ready')
  t.is((await c.chat('hi')).terminal.type, 'chat_end')
})

test('a model and a host name of 300 characters are clamped to 256: every client connects', async (t) => {
  const model = `${'registry-'.repeat(31)}x.example/library/llama3.2:latest`
  const hostName = 'H'.repeat(300)
  const w = await startWorld(t, {
    standin: { models: [model] },
    host: { displayName: hostName }
  })
  const c = await w.connect()
  t.is(c.undecodable, 0)
  t.is(c.info?.model.length, 256)
  t.ok(c.info?.model.startsWith('registry-registry-'))
  t.ok(c.info?.model.endsWith('…'))
  t.is(c.info?.host_name, 'H'.repeat(255) + '…')
  t.is(c.info?.status, 'ready')
  const reply = await c.chat('hi')
  t.is(reply.terminal.type, 'chat_end')
  t.is(w.standin.requests[0]?.model, model, 'Ollama still gets the full name')
})
