// The web preview relay with no browser: a WebSocket client speaks the app's IPC to a real
// worklet (bare) through the relay, against a real host on a local testnet.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'brittle'
import WebSocket from 'ws'
import { Wakeup, startLocalSystem, untilHostState } from '@localllm/testing'
import { EventDecoder, encodeIpc, type WorkletEvent } from '@localllm/worklet'
import { startWebPreview, type WebPreview } from '../src/relay.js'

type TestContext = ReturnType<typeof test>

const PAGE = '<!doctype html><title>LocalLLM</title><div id="root"></div>'

async function start(t: TestContext, maxSessions?: number, logs: string[] = []) {
  const system = await startLocalSystem({ standin: { reply: 'Hello from the host.' } })
  t.teardown(() => system.close(), { order: 10 })
  const webRoot = await mkdtemp(join(tmpdir(), 'localllm-web-'))
  t.teardown(() => rm(webRoot, { recursive: true, force: true }), { order: 11 })
  await writeFile(join(webRoot, 'index.html'), PAGE)
  const preview = await startWebPreview({
    webRoot,
    bootstrap: system.bootstrap,
    listen: { port: 0 },
    log: (line) => logs.push(line),
    ...(maxSessions ? { maxSessions } : {})
  })
  t.teardown(() => preview.close(), { order: 5 })
  return { system, preview }
}

/** A page's socket: what the browser bridge does, with the events recorded. */
class Page {
  readonly events: WorkletEvent[] = []
  readonly ws: WebSocket
  #decoder = new EventDecoder()
  readonly #news = new Wakeup()

  constructor(preview: WebPreview, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(new URL('/ipc', preview.url.replace('http', 'ws')), { headers })
    this.ws.on('message', (data: Buffer) => {
      this.events.push(...this.#decoder.push(data))
      this.#news.wake()
    })
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : encodeIpc(message as never))
  }

  waitFor(match: (e: WorkletEvent) => boolean, timeoutMs = 20000): Promise<WorkletEvent> {
    return this.#news.until(
      () => this.events.find(match),
      timeoutMs,
      () => new Error(`timed out; saw ${this.events.map((e) => e.event).join(' ')}`)
    )
  }
}

function rejection(preview: WebPreview, path: string, headers: Record<string, string> = {}) {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(new URL(path, preview.url.replace('http', 'ws')), { headers })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('open', () => reject(new Error('the socket was accepted')))
    ws.on('error', () => {})
  })
}

test('serves the app and relays a chat to a real worklet and host', async (t) => {
  const { system, preview } = await start(t)

  const index = await fetch(preview.url)
  t.is(index.status, 200)
  t.ok((await index.text()).includes('<title>LocalLLM</title>'), 'the page is served')
  const deep = await fetch(new URL('/connect/abc', preview.url))
  t.ok((await deep.text()).includes('id="root"'), 'a route of the app serves the page too')

  const page = new Page(preview)
  await page.waitFor((e) => e.event === 'ready')
  // The page asks for the public DHT; the relay keeps every worklet on its own testnet.
  page.send({ cmd: 'connect', server_id: system.serverId, bootstrap: 'public' })
  await page.waitFor((e) => e.event === 'status' && e.status === 'connected')
  const info = await page.waitFor((e) => e.event === 'server_info')
  t.is(info.event === 'server_info' && info.info.model, system.host.state.model)

  page.send({ cmd: 'send', ref: 'p1', prompt: 'Hi' })
  const end = await page.waitFor((e) => e.event === 'end' && e.ref === 'p1')
  t.is(end.event === 'end' && end.finish_reason, 'stop')
  const text = page.events.map((e) => (e.event === 'chunk' ? e.text : '')).join('')
  t.is(text, 'Hello from the host.', 'the whole reply streamed through the relay')
})

test('a bad command gets BAD_MESSAGE back and the session goes on', async (t) => {
  const { system, preview } = await start(t)
  const page = new Page(preview)
  await page.waitFor((e) => e.event === 'ready')
  page.send('{"cmd":"launch_missiles"}\nnot json\n')
  await page.waitFor(() => page.events.filter((e) => e.event === 'error').length === 2)
  const codes = page.events.flatMap((e) => (e.event === 'error' ? [e.code] : []))
  t.alike(codes, ['BAD_MESSAGE', 'BAD_MESSAGE'], 'one error per bad line')

  page.send({ cmd: 'connect', server_id: system.serverId })
  await page.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.pass('the same socket still connects')
})

test('closing the page ends its worklet and frees its place at the host', async (t) => {
  const logs: string[] = []
  const { system, preview } = await start(t, undefined, logs)
  const page = new Page(preview)
  await page.waitFor((e) => e.event === 'ready')
  page.send({ cmd: 'connect', server_id: system.serverId })
  await page.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.is(preview.sessions, 1)
  t.is(system.host.state.clients, 1, 'the host sees the worklet as a client')

  page.ws.close()
  await preview.ended()
  t.is(preview.sessions, 0, 'the worklet process exited')
  await untilHostState(system.host, (s) => s.clients === 0, 'the client to leave')
  t.pass('the host saw the client leave')
  t.ok(
    logs.some((line) => /worklet \d+ exited \(0\)/.test(line)),
    'the worklet exited on its own (code 0), not killed'
  )
})

test('refuses other origins, other paths and pages beyond the limit', async (t) => {
  const { preview } = await start(t, 1)
  t.is(await rejection(preview, '/ipc', { Origin: 'https://evil.example' }), 403)
  t.is(await rejection(preview, '/other'), 404)

  const origin = preview.url.replace(/\/$/, '')
  const first = new Page(preview, { Origin: origin })
  await first.waitFor((e) => e.event === 'ready')
  t.pass('a page from the preview origin is accepted')
  t.is(await rejection(preview, '/ipc'), 503, 'a second page over the limit is refused')
})

test('hostile pages and requests never take the relay down', async (t) => {
  const { system, preview } = await start(t)
  const { port } = new URL(preview.url)

  // A frame over the size limit: that page is closed (1009), the relay carries on.
  const big = new Page(preview)
  await big.waitFor((e) => e.event === 'ready')
  const code = new Promise<number>((resolve) => big.ws.on('close', (c: number) => resolve(c)))
  big.ws.send(Buffer.alloc(512 * 1024, 0x61))
  t.is(await code, 1009, 'an oversized message closes that page')

  // A request target that is not a URL, and a DNS name rebound to 127.0.0.1.
  t.ok((await rawUpgrade(Number(port), 'http://[')).startsWith('HTTP/1.1 400'), 'bad URL: 400')
  t.is(await rejection(preview, '/ipc', { Host: `evil.example:${port}` }), 403)
  const status = await new Promise<number | undefined>((resolve, reject) =>
    get(preview.url, { headers: { Host: `evil.example:${port}` } }, (res) => {
      res.resume()
      resolve(res.statusCode)
    }).on('error', reject)
  )
  t.is(status, 403, 'the page itself is not served to another host name')

  // A page that sends nothing but garbage is dropped after 20 bad commands (1008).
  const noisy = new Page(preview)
  await noisy.waitFor((e) => e.event === 'ready')
  const dropped = new Promise<number>((resolve) => noisy.ws.on('close', (c: number) => resolve(c)))
  noisy.send('x\n'.repeat(10_000))
  t.is(await dropped, 1008, 'a page over the bad-command budget is dropped')
  t.is(
    noisy.events.filter((e) => e.event === 'error').length,
    20,
    'it got exactly one BAD_MESSAGE per bad command up to the budget'
  )

  const good = new Page(preview)
  await good.waitFor((e) => e.event === 'ready')
  good.send({ cmd: 'connect', server_id: system.serverId })
  await good.waitFor((e) => e.event === 'status' && e.status === 'connected')
  t.pass('after all that, a new page still connects')
})

function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    socket.on('data', (d) => (reply += d.toString()))
    socket.on('end', () => resolve(reply))
    socket.on('close', () => resolve(reply))
    socket.on('error', reject)
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'
    )
  })
}
