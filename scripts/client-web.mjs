// `npm run client:web`: the iPhone app's screens in your browser, against a real host. Like
// `npm run demo`, a local HyperDHT testnet, the Ollama stand-in (or a real Ollama answering
// at OLLAMA_HOST) and a LocalLLM host run inside a loopback-only network namespace, together
// with the web preview relay (apps/client/web), which runs one real worklet under `bare`
// per open page. Outside the namespace, this process serves http://127.0.0.1:PORT and
// forwards it to the relay through a Unix socket: the browser reaches the page, nothing in
// the namespace reaches any network.
//
//   npm run client:web                  # http://127.0.0.1:8090/
//   npm run client:web -- --port 9000
//   npm run client:web -- --rebuild     # re-export the app for the web first
//
// The page is the app's `expo export --platform web` build (apps/client/app/dist/web); it is
// (re)built here when missing or stale (scripts/web-build.mjs: the first time, npm install
// in apps/client/app, then Metro: a few minutes).

import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { forwardTo, listen } from './forward.mjs'
import { enterLoopbackNamespaceWithOllama, ollamaBridgeUrl } from './ollama-bridge.mjs'
import { WEB_BUILD, buildWebIfStale } from './web-build.mjs'

const SOCKET_ENV = 'LOCALLLM_WEB_SOCKET'

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    rebuild: { type: 'boolean', default: false }
  }
})

if (process.env.LOCALLLM_LOOPBACK_NETNS !== '1') {
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`--port must be a port number (1-65535), not "${flags.port}"`)
    process.exit(2)
  }
  const build = buildWebIfStale({ force: flags.rebuild })
  if (!build.ok) {
    console.error(build.error)
    process.exit(1)
  }
  const socketPath = join(tmpdir(), `localllm-web-${process.pid}.sock`)
  rmSync(socketPath, { force: true })
  process.env[SOCKET_ENV] = socketPath
  await listen(forwardTo({ path: socketPath }), { port, host: '127.0.0.1' }).catch((err) => {
    console.error(`Cannot listen on 127.0.0.1:${port}: ${err.message} (try --port)`)
    process.exit(1)
  })
  process.on('exit', () => rmSync(socketPath, { force: true }))
}

await enterLoopbackNamespaceWithOllama(import.meta.url)

// Inside the namespace from here on.
const realOllama = await ollamaBridgeUrl()
const { startLocalSystem } = await import('@localllm/testing')
const { SAMPLE_REPLY, startWebPreview } = await import('@localllm/web-preview')

const system = await startLocalSystem({
  standin: {
    reply: SAMPLE_REPLY,
    tokensPerSecond: 25,
    loadDelayMs: 300,
    models: ['llama3.2:latest']
  },
  host: { displayName: 'LocalLLM web preview host' },
  ...(realOllama ? { ollamaUrl: realOllama.url } : {})
})
const preview = await startWebPreview({
  webRoot: WEB_BUILD,
  bootstrap: system.bootstrap,
  listen: { path: process.env[SOCKET_ENV] ?? join(tmpdir(), 'localllm-web.sock') },
  log: (line) => process.stderr.write(`relay: ${line}\n`)
})
const state = system.host.state

process.stdout.write(`
LocalLLM web preview: the app's screens in your browser, a real worklet under bare per page.
  Open             http://127.0.0.1:${flags.port}/
  Paste Server ID  ${state.serverId}
  Host             "${state.displayName}" serving ${state.model} (${realOllama ? `your Ollama at ${realOllama.origin}` : 'the Ollama stand-in'})
Everything runs in a loopback-only network namespace. Ctrl-C stops it.

`)

// Ctrl-C stops everything in order; a second Ctrl-C does not wait.
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    preview
      .close()
      .then(() => system.close())
      .then(
        () => process.exit(0),
        (err) => {
          console.error(`stopping: ${err.message}`)
          process.exit(1)
        }
      )
  })
}
