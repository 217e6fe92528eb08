// Lets code inside the loopback-only namespace reach a real Ollama on this machine, and
// nothing else. Outside, the parent checks whether Ollama answers at OLLAMA_HOST (read by the
// host's own parser, Ollama's rules; only plain http on this machine is accepted) and serves
// a Unix socket that forwards to it; the namespace shares the filesystem, so inside, a TCP
// port on 127.0.0.1 forwards to that socket. No route to any network is ever added.
//
//   await enterLoopbackNamespaceWithOllama(import.meta.url)   // in place of enterLoopbackNamespace
//   const url = await ollamaBridgeUrl()                       // inside: 'http://127.0.0.1:PORT' or undefined

import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { URL, fileURLToPath } from 'node:url'
import { forwardTo, listen } from './forward.mjs'
import { enterLoopbackNamespace, unshareCommand } from './netns.mjs'

const SOCKET_ENV = 'LOCALLLM_OLLAMA_SOCKET'
const ORIGIN_ENV = 'LOCALLLM_OLLAMA_ORIGIN'

/**
 * Like enterLoopbackNamespace, plus the bridge to a local Ollama when one answers. The
 * parent waits without blocking its event loop, so servers it started keep serving.
 */
export async function enterLoopbackNamespaceWithOllama(scriptUrl) {
  if (process.env.LOCALLLM_LOOPBACK_NETNS === '1') return enterLoopbackNamespace(scriptUrl)
  const target = await localOllamaTarget(process.env.OLLAMA_HOST)
  const env = { ...process.env, LOCALLLM_LOOPBACK_NETNS: '1' }
  let server
  let socketPath
  if (target && (await answers(target))) {
    socketPath = join(tmpdir(), `localllm-ollama-${process.pid}.sock`)
    rmSync(socketPath, { force: true })
    server = await listen(forwardTo({ host: target.host, port: target.port }), {
      path: socketPath
    })
    env[SOCKET_ENV] = socketPath
    env[ORIGIN_ENV] = target.url
  }
  const [command, args] = unshareCommand(fileURLToPath(scriptUrl))
  const child = spawn(command, args, { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  const code = await new Promise((resolve) => {
    child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)))
    child.on('error', (err) => {
      console.error(
        `Could not create a loopback-only network namespace (${err.message}).\n` +
          'It needs `unshare` (util-linux) and `ip` (iproute2), and root or user namespaces.'
      )
      resolve(1)
    })
  })
  server?.close()
  if (socketPath) rmSync(socketPath, { force: true })
  process.exit(code)
}

/** Inside the namespace: a local URL that reaches the bridged Ollama, or undefined. */
export async function ollamaBridgeUrl() {
  const socketPath = process.env[SOCKET_ENV]
  const origin = process.env[ORIGIN_ENV]
  if (!socketPath || !origin) return undefined
  const server = await listen(forwardTo({ path: socketPath }), { port: 0, host: '127.0.0.1' })
  server.unref()
  const path = new URL(origin).pathname.replace(/\/$/, '')
  return { url: `http://127.0.0.1:${server.address().port}${path}`, origin }
}

/**
 * OLLAMA_HOST read as Ollama reads it (apps/host's resolveOllamaUrl: `http://h` is port 80, a
 * bare host 11434, the path kept), when it is plain http on this machine; anything else is
 * never bridged. Also undefined while apps/host is not built: a workspace tested alone that
 * does not build the host (protocol, core) has no real-Ollama tests to bridge for.
 */
async function localOllamaTarget(value) {
  const parser = await import('@localllm/host/ollama-url').catch(() => undefined)
  const resolved = parser?.resolveOllamaUrl(value)
  if (!resolved) return undefined
  const url = new URL(resolved)
  // The bridge is raw TCP to 127.0.0.1: TLS to a local name would not survive it.
  if (url.protocol !== 'http:') return undefined
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const local = host === 'localhost' || host === '::1' || /^127\./.test(host)
  if (!local) return undefined
  return {
    url: resolved,
    host: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(url.port || 80),
    path: url.pathname.replace(/\/$/, '')
  }
}

function answers(target) {
  return new Promise((resolve) => {
    const req = request(
      { host: target.host, port: target.port, path: `${target.path}/api/version`, timeout: 1000 },
      (res) => {
        res.resume()
        resolve(res.statusCode === 200)
      }
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}
