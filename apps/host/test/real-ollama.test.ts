// The host's portable behaviours (helpers/portable-behaviours.ts) against a real Ollama, when
// one answers at LOCALLLM_REAL_OLLAMA_URL (else OLLAMA_HOST, else Ollama's default address).
// Otherwise every test here is reported as SKIP, with the reason on a `# SKIPPED:` line.
//
// The suite runs in a network namespace with only loopback, so the developer's Ollama is not
// reachable from it as it is. One way in is a Unix socket, which namespaces do not separate:
//
//   socat UNIX-LISTEN:/tmp/ollama.sock,fork TCP:127.0.0.1:11434 &        # outside
//   cd apps/host && LOCALLLM_REAL_OLLAMA_URL=http://127.0.0.1:11435 unshare -n sh -c \
//     'ip link set lo up && (socat TCP-LISTEN:11435,bind=127.0.0.1,fork UNIX-CONNECT:/tmp/ollama.sock &) &&
//      node ../../node_modules/brittle/cmd.js dist/test/real-ollama.test.js'

import test from 'brittle'
import { resolveOllamaUrl } from '../src/ollama-url.js'
import { startWorld } from './helpers/world.js'
import {
  aPromptStreamsBack,
  abortFreesTheGate,
  disconnectFreesTheGate,
  secondPromptWhileBusyGetsModelBusy,
  type BehaviourOptions
} from './helpers/portable-behaviours.js'

const HOW = 'set LOCALLLM_REAL_OLLAMA_URL; inside the test namespace only loopback is reachable'
const given = process.env.LOCALLLM_REAL_OLLAMA_URL ?? process.env.OLLAMA_HOST
const url = resolveOllamaUrl(given)
const ollama = url
  ? await findOllama(url)
  : { ok: false as const, reason: `${JSON.stringify(given)} is not an Ollama address` }

if (ollama.ok) {
  console.log(`# real Ollama ${ollama.version} at ${url}, model ${ollama.model}`)
  if (ollama.standin) console.log(`# note: ${url} is the LocalLLM stand-in, not a real Ollama`)
} else {
  console.log(`# SKIPPED: ${ollama.reason} (${HOW})`)
}

// A real model may have to load from disk first, and counting to 300 takes a while.
const options: BehaviourOptions = { timeoutMs: 120_000 }
const slow = { skip: !ollama.ok, timeout: 600_000 }

test('real Ollama: a prompt streams back token by token', slow, async (t) => {
  await aPromptStreamsBack(t, await world(t), options)
})

test('real Ollama: abort cancels the generation and frees the gate', slow, async (t) => {
  await abortFreesTheGate(t, await world(t), options)
})

test('real Ollama: a second prompt while busy gets MODEL_BUSY', slow, async (t) => {
  await secondPromptWhileBusyGetsModelBusy(t, await world(t), options)
})

test('real Ollama: a client leaving mid-generation frees the gate', slow, async (t) => {
  await disconnectFreesTheGate(t, await world(t), options)
})

function world(t: TestContext) {
  if (!ollama.ok) throw new Error('unreachable: the test is skipped')
  return startWorld(t, { ollamaUrl: url, host: { model: ollama.model } })
}

type Found =
  { ok: true; version: string; model: string; standin: boolean } | { ok: false; reason: string }

/** Whether a usable Ollama answers at `base`, and the first installed model that can chat. */
async function findOllama(base: string): Promise<Found> {
  const get = async (path: string): Promise<Response | undefined> => {
    try {
      return await fetch(base + path, { signal: AbortSignal.timeout(3000) })
    } catch {
      return undefined
    }
  }
  const version = await get('/api/version')
  if (!version?.ok) return { ok: false, reason: `no real Ollama answers at ${base}` }
  const tags = await get('/api/tags')
  const body = (tags?.ok ? await tags.json() : {}) as {
    models?: Array<{ name: string; capabilities?: string[] }>
  }
  const models = body.models ?? []
  // Ollama lists newest first; an embedding model cannot chat (capabilities says so).
  const model = (models.find((m) => m.capabilities?.includes('completion') ?? true) ?? models[0])
    ?.name
  if (!model) return { ok: false, reason: `the Ollama at ${base} has no models installed` }
  const standin = (await get('/_standin/state'))?.ok === true
  return {
    ok: true,
    version: ((await version.json()) as { version?: string }).version ?? '?',
    model,
    standin
  }
}
