// `npm run demo`: the whole system on this machine, inside a loopback-only network
// namespace: a local HyperDHT testnet, the Ollama stand-in, a LocalLLM host and a terminal
// chat client that finds the host by its Server ID over the testnet; a real Ollama on this
// machine is used when one answers at OLLAMA_HOST. In a terminal you chat;
// without one (CI, a pipe) it sends one prompt, streams the reply and exits.
//
//   npm run demo
//   npm run demo -- "Why is the sky blue?"     # one prompt, then exit

import { join } from 'node:path'
import QRCode from 'qrcode'
import { enterLoopbackNamespaceWithOllama, ollamaBridgeUrl } from './ollama-bridge.mjs'

// A real Ollama answering at OLLAMA_HOST (on this machine) is used; otherwise the stand-in.
await enterLoopbackNamespaceWithOllama(import.meta.url)
const realOllama = await ollamaBridgeUrl()

const { startLocalSystem } = await import('@localllm/testing')
const { runChat } = await import('@localllm/host/cli')
const { formatBootstrap } = await import('@localllm/core')

const REPLY =
  'Quantum computers use qubits, which can hold a blend of 0 and 1 at the same time. ' +
  'By letting many qubits interfere with each other, a quantum computer can explore lots of ' +
  'possibilities at once and amplify the right answer, which makes some problems, like ' +
  'factoring large numbers or simulating molecules, dramatically faster.'

const started = Date.now()
const system = await startLocalSystem({
  standin: {
    reply: REPLY,
    tokensPerSecond: 40,
    loadDelayMs: 300,
    models: ['llama3.2:latest', 'qwen3:8b']
  },
  host: { displayName: 'LocalLLM demo host' },
  ...(realOllama ? { ollamaUrl: realOllama.url } : {})
})
const state = system.host.state
const bootstrap = formatBootstrap(system.bootstrap)
const qr = await QRCode.toString(state.connectLink ?? '', { type: 'terminal', small: true })

process.stdout.write(`
LocalLLM demo: everything runs on this machine, in a loopback-only network namespace.
  DHT testnet      ${bootstrap} (${system.testnet.nodes.length} nodes)
  Ollama           ${realOllama ? `your Ollama at ${realOllama.origin}, bridged into the namespace` : `the stand-in at ${system.standin.url} (no Ollama answers at OLLAMA_HOST)`} (models: ${state.models.join(', ') || 'none'})
  Host             "${state.displayName}" serving ${state.model}, ready in ${Date.now() - started} ms

${qr}
Server ID  ${state.serverId}
The same from two terminals:  localllm host --bootstrap ${bootstrap} …  /  localllm chat <id> --bootstrap ${bootstrap}

`)

const prompt =
  process.argv[2] ?? (process.stdin.isTTY ? undefined : 'Explain quantum computing simply')
if (prompt !== undefined) process.stdout.write(`› ${prompt}\n`)
const code = await runChat({
  code: state.serverId,
  bootstrap: system.bootstrap,
  // The demo's terminal client keeps its device key with the demo, not in your config folder.
  configDir: join(system.configDir, 'chat-client'),
  ...(prompt !== undefined ? { prompt } : {})
})
await system.close()
process.exit(code)
