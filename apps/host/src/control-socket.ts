// The running host's local control door, for `localllm devices`: a Unix socket in the host's
// config folder. Owner-only by the filesystem (the folder is 0700, the socket 0600): no
// network, no token to leak. One NDJSON request per connection, one answer.
//
//   const control = await ControlServer.listen(configDir, { devices: () => …, remove: (q) => … })
//   const answer = await controlRequest(configDir, { cmd: 'devices' })   // undefined: no host runs
//   await control.close()
//
// A socket left by a host that crashed is replaced; one that answers means another host runs
// on the same config folder (the same key), which is refused.

import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { chmod, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { NdjsonDecoder, encodeLine } from '@localllm/protocol'

export type ControlRequest = { cmd: 'devices' } | { cmd: 'remove'; device: string }
export type ControlAnswer = { ok: true; [key: string]: unknown } | { ok: false; error: string }

export interface ControlHandlers {
  devices(): Promise<unknown>
  remove(device: string): Promise<unknown>
}

const MAX_REQUEST_BYTES = 4096
const REQUEST_TIMEOUT_MS = 5000

export function controlSocketPath(configDir: string): string {
  return join(configDir, 'control.sock')
}

export class ControlServer {
  readonly path: string
  readonly #server: Server
  readonly #sockets = new Set<Socket>()

  private constructor(path: string, server: Server) {
    this.path = path
    this.#server = server
  }

  static async listen(configDir: string, handlers: ControlHandlers): Promise<ControlServer> {
    const path = controlSocketPath(configDir)
    if (await answers(path)) {
      throw new Error(`another LocalLLM host is already running with ${configDir}; stop it first`)
    }
    await unlink(path).catch(() => {})
    const server = createServer()
    const control = new ControlServer(path, server)
    server.on('connection', (socket) => control.#serve(socket, handlers))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
    await chmod(path, 0o600)
    return control
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
    await unlink(this.path).catch(() => {})
  }

  #serve(socket: Socket, handlers: ControlHandlers): void {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => {})
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy())
    const decoder = new NdjsonDecoder({ maxLineBytes: MAX_REQUEST_BYTES })
    let answered = false
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (answered) return
        answered = true
        void answer(frame.ok ? frame.value : undefined, handlers).then((reply) =>
          socket.end(encodeLine(reply, 1024 * 1024))
        )
      }
    })
  }
}

async function answer(request: unknown, handlers: ControlHandlers): Promise<ControlAnswer> {
  const r = request as Partial<{ cmd: string; device: unknown }> | undefined
  try {
    if (r?.cmd === 'devices') return { ok: true, devices: await handlers.devices() }
    if (r?.cmd === 'remove' && typeof r.device === 'string' && r.device.length <= 256) {
      return { ok: true, removed: await handlers.remove(r.device) }
    }
    return { ok: false, error: 'unknown request' }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
}

/** Asks the host running on `configDir`; undefined when none is running there. */
export function controlRequest(
  configDir: string,
  request: ControlRequest
): Promise<ControlAnswer | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(controlSocketPath(configDir))
    const decoder = new NdjsonDecoder({ maxLineBytes: 1024 * 1024 })
    let settled = false
    const done = (value: ControlAnswer | undefined) => {
      if (settled) return
      settled = true
      socket.destroy()
      resolve(value)
    }
    socket.setTimeout(REQUEST_TIMEOUT_MS, () =>
      done({ ok: false, error: 'the host did not answer' })
    )
    socket.on('error', () => done(undefined))
    socket.on('connect', () => socket.write(encodeLine(request)))
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        done(frame.ok ? (frame.value as ControlAnswer) : { ok: false, error: 'a bad answer' })
      }
    })
    socket.on('end', () => done({ ok: false, error: 'the host closed without answering' }))
  })
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path)
    socket.on('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}
