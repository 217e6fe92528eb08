// The web preview's server: serves the iPhone app's web build (`expo export --platform web`)
// and gives every page that opens `ws://<origin>/ipc` its own real worklet, the `bare`
// binary running apps/client/worklet/bin/stdio.js, relaying IPC both ways. The page speaks
// exactly what the app speaks to react-native-bare-kit.
//
//   const preview = await startWebPreview({ webRoot, bootstrap, listen: { port: 8090 } })
//   preview.url            // 'http://127.0.0.1:8090/'
//   await preview.close()  // closes every page's socket and ends every worklet
//
// Commands are validated here before a worklet sees them (a bad one gets the worklet's own
// BAD_MESSAGE error event back), and every `connect` is pointed at this relay's DHT: a page
// cannot choose another bootstrap. Only pages from this origin may open the socket.

import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import sirv from 'sirv'
import { WebSocketServer, type WebSocket } from 'ws'
import { formatBootstrap, type Bootstrap } from '@localllm/core'
import { CommandDecoder, encodeIpc, errorEvent, type Command } from '@localllm/worklet'

export { SAMPLE_REPLY } from './sample-reply.js'

export const IPC_PATH = '/ipc'
export const DEFAULT_MAX_SESSIONS = 8
/** A prompt is at most 8 KiB of UTF-8; a WebSocket message is one or a few commands. */
const MAX_MESSAGE_BYTES = 256 * 1024
/** How long a worklet gets to say goodbye to its host after its page went away. */
const WORKLET_EXIT_MS = 3000

const STDIO_ENTRY = fileURLToPath(
  new URL('../../bin/stdio.js', import.meta.resolve('@localllm/worklet'))
)

export interface WebPreviewOptions {
  /** The app's web build: a folder with index.html. */
  webRoot: string
  /** The DHT every worklet uses: a local testnet's nodes, or 'public'. */
  bootstrap: Bootstrap
  /** A TCP port on `host` (default 127.0.0.1; 0 picks one), or a Unix socket path. */
  listen: { port: number; host?: string } | { path: string }
  /** The `bare` binary (default: $LOCALLLM_BARE or this repo's node_modules/.bin/bare). */
  bare?: string
  /** Pages (worklets) at once; more get HTTP 503 on the socket. */
  maxSessions?: number
  log?: (line: string) => void
}

export interface WebPreview {
  /** http://host:port/ for TCP; for a Unix socket, the socket's path. */
  readonly url: string
  readonly server: Server
  /** Worklets running now, one per open page. */
  readonly sessions: number
  close(): Promise<void>
}

export async function startWebPreview(options: WebPreviewOptions): Promise<WebPreview> {
  const log = options.log ?? (() => {})
  const bare = options.bare ?? process.env.LOCALLLM_BARE ?? defaultBare()
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS
  const serve = sirv(options.webRoot, { single: true, etag: true })
  const server = createServer((req, res) => serve(req, res))
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const sessions = new Set<Promise<void>>()

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = refuse(req, sessions.size, maxSessions)
    if (refusal) {
      log(`refused a socket: ${refusal}`)
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const session = relay(ws, bare, options.bootstrap, log).finally(() =>
        sessions.delete(session)
      )
      sessions.add(session)
    })
  })

  const listen = options.listen
  if ('path' in listen) server.listen(listen.path)
  else server.listen(listen.port, listen.host ?? '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const url =
    typeof address === 'string' || address === null
      ? String(address)
      : `http://${formatHost(address)}:${address.port}/`

  return {
    url,
    server,
    get sessions() {
      return sessions.size
    },
    async close() {
      for (const ws of sockets.clients) ws.close(1001, 'the preview is stopping')
      server.close()
      server.closeAllConnections()
      await Promise.all(sessions)
    }
  }
}

/** Why an upgrade is refused (an HTTP status line), or undefined to accept it. */
function refuse(req: IncomingMessage, open: number, max: number): string | undefined {
  if (new URL(req.url ?? '/', 'http://x').pathname !== IPC_PATH) return '404 Not Found'
  // A browser always sends Origin: another site open in the same browser must not drive a
  // worklet through this socket. Clients without one (tests, tools) are local processes.
  const origin = req.headers.origin
  if (origin !== undefined && hostOf(origin) !== req.headers.host) return '403 Forbidden'
  if (open >= max) return '503 Service Unavailable'
  return undefined
}

/** One page's session: a worklet process for as long as its socket is open. */
async function relay(
  ws: WebSocket,
  bare: string,
  bootstrap: Bootstrap,
  log: (line: string) => void
): Promise<void> {
  const child = spawn(bare, [STDIO_ENTRY], { stdio: ['pipe', 'pipe', 'pipe'] })
  const exited = once(child, 'exit').catch(() => undefined)
  log(`page connected: worklet pid ${child.pid}`)
  const commands = new CommandDecoder()
  const toPage = (bytes: Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true })
  }

  child.stdout.on('data', toPage)
  child.stderr.on('data', (d: Buffer) => log(`worklet ${child.pid}: ${d.toString().trimEnd()}`))
  child.on('error', (err) => {
    log(`worklet could not start (${bare}): ${err.message}`)
    ws.close(1011, 'the worklet could not start')
  })
  child.on('exit', (code, signal) => {
    log(`worklet ${child.pid} exited (${signal ?? code})`)
    if (ws.readyState === ws.OPEN) ws.close(1011, 'the worklet exited')
  })
  child.stdin.on('error', () => {}) // a worklet that died mid-write is reported by 'exit'

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    for (const result of commands.push(toBytes(data))) {
      if (!result.ok) toPage(encodeIpc(errorEvent(result.error)))
      else if (child.stdin.writable) child.stdin.write(encodeIpc(pinDht(result.command, bootstrap)))
    }
  })
  ws.on('error', (err) => log(`page socket error: ${err.message}`))
  await once(ws, 'close')
  await stopWorklet(child, exited)
}

/** Ends the worklet's stdin (it disconnects and exits), then kills it if it lingers. */
async function stopWorklet(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.stdin?.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), WORKLET_EXIT_MS)
  await exited
  clearTimeout(timer)
}

function pinDht(command: Command, bootstrap: Bootstrap): Command {
  if (command.cmd !== 'connect') return command
  if (bootstrap !== 'public') return { ...command, bootstrap: formatBootstrap(bootstrap) }
  const pinned = { ...command }
  delete pinned.bootstrap // omitted: the public DHT
  return pinned
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

function formatHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address
}

function defaultBare(): string {
  return fileURLToPath(new URL('../../../../../node_modules/.bin/bare', import.meta.url))
}
