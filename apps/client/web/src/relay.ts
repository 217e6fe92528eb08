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
// BAD_MESSAGE error event back; 20 bad ones in a minute and the page is dropped), and every
// `connect` is pointed at this relay's DHT: a page cannot choose another bootstrap. It only
// answers to loopback host names (no DNS rebinding), and a browser page may open the socket
// only from this origin.

import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import sirv from 'sirv'
import { WebSocketServer, type WebSocket } from 'ws'
import { BadMessageBudget, formatBootstrap, type Bootstrap } from '@localllm/core'
import { CommandDecoder, encodeIpc, errorEvent, type Command } from '@localllm/worklet'

export { SAMPLE_REPLY } from './sample-reply.js'

export const IPC_PATH = '/ipc'
export const DEFAULT_MAX_SESSIONS = 8
/** A prompt is at most 8 KiB of UTF-8; a WebSocket message is one or a few commands. */
const MAX_MESSAGE_BYTES = 256 * 1024
/** How long a worklet gets to say goodbye to its host after its page went away. */
const WORKLET_EXIT_MS = 3000
/** Output queued for a page that does not read before the worklet's output is paused. */
const MAX_BUFFERED_TO_PAGE = 1024 * 1024
/** How long `close()` waits for pages to answer the closing handshake. */
const CLOSE_GRACE_MS = 1000

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
  const server = createServer((req, res) => {
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403).end()
      return
    }
    serve(req, res)
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const sessions = new Set<Promise<void>>()

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {}) // a peer that vanishes mid-handshake is not our problem
    const refusal = refuse(req, sessions.size, maxSessions)
    if (refusal) {
      log(`refused a socket: ${refusal}`)
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const session = relay(ws, bare, options.bootstrap, log)
        .catch((err: Error) => log(`page session failed: ${err.message}`))
        .finally(() => sessions.delete(session))
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
      // A page that does not answer the closing handshake is cut off after a second.
      const cutOff = setTimeout(() => {
        for (const ws of sockets.clients) ws.terminate()
      }, CLOSE_GRACE_MS)
      server.close()
      server.closeAllConnections()
      await Promise.all(sessions)
      clearTimeout(cutOff)
      sockets.close()
    }
  }
}

/** Why an upgrade is refused (an HTTP status line), or undefined to accept it. */
function refuse(req: IncomingMessage, open: number, max: number): string | undefined {
  let path: string
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname
  } catch {
    return '400 Bad Request'
  }
  if (path !== IPC_PATH) return '404 Not Found'
  // The relay only answers for this machine's names (a rebound DNS name is refused), and a
  // browser always sends Origin: another site open in the same browser must not drive a
  // worklet through this socket. Clients without Origin (tests, tools) are local processes.
  if (!isLoopbackHost(req.headers.host)) return '403 Forbidden'
  const origin = req.headers.origin
  if (origin !== undefined && hostOf(origin) !== req.headers.host) return '403 Forbidden'
  if (open >= max) return '503 Service Unavailable'
  return undefined
}

/**
 * One page's session: a worklet process for as long as its socket is open. Commands are
 * validated and pinned to this relay's DHT; the worklet's output goes to the page in whole
 * lines, with backpressure both ways.
 */
async function relay(
  ws: WebSocket,
  bare: string,
  bootstrap: Bootstrap,
  log: (line: string) => void
): Promise<void> {
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  ws.on('error', (err) => log(`page socket error: ${err.message}`))
  const child = spawn(bare, [STDIO_ENTRY], { stdio: ['pipe', 'pipe', 'pipe'] })
  const exited = once(child, 'close').catch(() => undefined)
  log(`page connected: worklet pid ${child.pid ?? '(not started)'}`)
  const commands = new CommandDecoder()
  // The same budget as a host gives a peer: too many bad commands and the page is dropped.
  const budget = new BadMessageBudget()
  let partial: Buffer = Buffer.alloc(0)

  const toPage = (bytes: Uint8Array) => {
    if (ws.readyState !== ws.OPEN) return
    ws.send(bytes, { binary: true }, () => {
      if (ws.bufferedAmount < MAX_BUFFERED_TO_PAGE) child.stdout.resume()
    })
    // A page that does not read: stop reading the worklet until the socket drains.
    if (ws.bufferedAmount >= MAX_BUFFERED_TO_PAGE) child.stdout.pause()
  }

  child.stdout.on('data', (chunk: Buffer) => {
    // Whole lines only, so the relay's own error lines never land inside a worklet event.
    const data = partial.length ? Buffer.concat([partial, chunk]) : chunk
    const end = data.lastIndexOf(10) + 1
    partial = data.subarray(end)
    if (end > 0) toPage(data.subarray(0, end))
  })
  child.stderr.on('data', (d: Buffer) => log(`worklet ${child.pid}: ${d.toString().trimEnd()}`))
  child.on('error', (err) => {
    log(`worklet could not start (${bare}): ${err.message}`)
    ws.close(1011, 'the worklet could not start')
  })
  child.on('close', (code, signal) => {
    log(`worklet ${child.pid} exited (${signal ?? code})`)
    if (ws.readyState === ws.OPEN) ws.close(1011, 'the worklet exited')
  })
  child.stdin.on('error', () => {}) // a worklet that died mid-write is reported by 'close'

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    for (const result of commands.push(toBytes(data))) {
      if (result.ok) {
        if (
          child.stdin.writable &&
          !child.stdin.write(encodeIpc(pinDht(result.command, bootstrap)))
        ) {
          // The worklet is behind: stop reading the page until it catches up.
          ws.pause()
          child.stdin.once('drain', () => ws.resume())
        }
        continue
      }
      toPage(encodeIpc(errorEvent(result.error)))
      if (budget.spend()) {
        log('page dropped: too many bad commands')
        ws.close(1008, 'too many bad commands')
        return
      }
    }
  })

  try {
    await closed
  } finally {
    await stopWorklet(child, exited)
  }
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

/** `127.0.0.1:8090`, `localhost:8090`, `[::1]:8090`: the names this machine answers to. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false
  const name = host.replace(/:\d+$/, '')
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]'
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
