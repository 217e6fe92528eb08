// The three ways a prompt can reach the stand-in, behind one interface, so each scenario
// measures them side by side with the same code:
//   direct    — an Ollama HTTP client talking to the stand-in
//   localllm  — ClientSession → testnet → LocalLLMHost → stand-in
//   holesail  — the same HTTP client through a holesail tunnel of the stand-in's port
//
//   const paths = await openPaths(system)
//   const t = await paths[0].chat('Hi', (text, at) => …)   // at: performance.now()
//   await closePaths(paths)
//
// The HTTP paths keep one connection alive between requests, as ClientSession keeps its
// stream, so these are "connection already established" numbers.

import http from 'node:http'
import { once } from 'node:events'
import { ClientSession } from '@localllm/core'
import type { LocalSystem } from '@localllm/testing'
import { ollamaChat, type ChatTiming } from './ollama-http.js'
import { startHolesailTunnel, type HolesailTunnel } from './holesail.js'

export type PathName = 'direct' | 'localllm' | 'holesail'
export const PATH_NAMES: readonly PathName[] = ['direct', 'localllm', 'holesail']

export interface ChatPath {
  name: PathName
  chat(prompt: string, onChunk?: (text: string, at: number) => void): Promise<ChatTiming>
  close(): Promise<void>
}

export function httpPath(name: PathName, baseUrl: string, close = async () => {}): ChatPath {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  return {
    name,
    chat: (prompt, onChunk) => ollamaChat(baseUrl, prompt, { agent, onChunk }),
    async close() {
      agent.destroy()
      await close()
    }
  }
}

export async function openSession(system: LocalSystem): Promise<ClientSession> {
  const session = new ClientSession({ code: system.serverId, bootstrap: system.bootstrap })
  const info = once(session, 'info')
  await session.open()
  await info
  return session
}

export function sessionPath(session: ClientSession): ChatPath {
  return {
    name: 'localllm',
    async chat(prompt, onChunk) {
      const timing: ChatTiming = { firstChunkAt: 0, endAt: 0, chunks: 0, bytes: 0 }
      const request = session.send(prompt)
      request.on('chunk', (text) => {
        const at = performance.now()
        if (timing.chunks === 0) timing.firstChunkAt = at
        timing.chunks++
        timing.bytes += Buffer.byteLength(text)
        onChunk?.(text, at)
      })
      const result = await request.result
      timing.endAt = performance.now()
      if (!result.ok) throw new Error(`LocalLLM: ${result.error.code} ${result.error.detail ?? ''}`)
      return timing
    },
    close: () => session.close()
  }
}

export async function openPaths(system: LocalSystem): Promise<ChatPath[]> {
  const session = await openSession(system)
  let tunnel: HolesailTunnel
  try {
    // Firewalled (hyperdht's default), as our own swarms are, so the established-stream
    // figures compare like with like. Connect times cover both settings.
    tunnel = await startHolesailTunnel({
      bootstrap: system.bootstrap,
      port: system.standin.port,
      firewalled: true
    })
  } catch (err) {
    await session.close()
    throw err
  }
  return [
    httpPath('direct', system.standin.url),
    sessionPath(session),
    httpPath('holesail', tunnel.url, () => tunnel.close())
  ]
}

export async function closePaths(paths: readonly ChatPath[]): Promise<void> {
  for (const path of [...paths].reverse()) await path.close().catch(() => {})
}
