// An Ollama-compatible HTTP server whose models, timing and failures a test scripts, and
// whose request log says what each client saw (and whether a cancel really stopped it).
//
//   const standin = new OllamaStandin({ models: ['llama3.2'], reply: 'Hi!', loadDelayMs: 200 })
//   await standin.ready()                          // listens on 127.0.0.1, a free port
//   new Ollama({ host: standin.url })              // …point the code under test at it
//   standin.enqueue({ failure: { kind: 'stall', afterTokens: 2 } })   // next request only
//   await standin.waitFor((r) => r.outcome === 'cancelled')
//   await standin.close()
//
// Everything here is also reachable over HTTP under /_standin/ (control-routes.ts), for a
// stand-in running as its own process. One generation at a time per model, FIFO, like
// Ollama with OLLAMA_NUM_PARALLEL=1.

import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ChatContext, RequestEventName } from './chat.js'
import { controlRoutes, type StandinControl } from './control-routes.js'
import { FifoGate } from './fifo-gate.js'
import { sendError } from './http-io.js'
import { ModelLoader } from './model-loader.js'
import { ModelCatalog, type InstalledModelInfo, type ModelInput } from './models.js'
import { ollamaRoutes } from './ollama-routes.js'
import { RequestLog, snapshot, type RequestRecord } from './request-log.js'
import { dispatch, type Routes } from './router.js'
import { DEFAULT_SETTINGS, applyScript, parseScript, type Script, type Settings } from './script.js'

export interface StandinOptions extends Script {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: a free port (see `port` and `url` after ready()). */
  port?: number
  /** Installed models, newest first. Default: ['llama3.2:latest']. */
  models?: ModelInput[]
}

export type StandinEvents = Record<RequestEventName, [record: RequestRecord]>

const DEFAULT_WAIT_MS = 5000

export class OllamaStandin extends EventEmitter<StandinEvents> implements StandinControl {
  readonly #host: string
  readonly #requestedPort: number
  readonly #initialModels: readonly ModelInput[]
  readonly #initialSettings: Settings
  #settings: Settings
  readonly #queue: Script[] = []
  #catalog: ModelCatalog
  readonly #closeController = new AbortController()
  readonly #loader = new ModelLoader(this.#closeController.signal)
  #lastId = 0
  readonly #log = new RequestLog(() => ++this.#lastId)
  readonly #loads = new RequestLog(() => ++this.#lastId)
  readonly #gates = new Map<string, FifoGate>()
  readonly #sockets = new Set<Socket>()
  readonly #server: Server
  readonly #routes: Routes[]
  #opening: Promise<void> | null = null
  #closing: Promise<void> | null = null
  #port = 0

  constructor(options: StandinOptions = {}) {
    super()
    const { host, port, models, ...script } = options
    this.#host = host ?? '127.0.0.1'
    this.#requestedPort = port ?? 0
    this.#initialModels = models ?? ['llama3.2:latest']
    this.#catalog = new ModelCatalog(this.#initialModels)
    this.#initialSettings = applyScript(DEFAULT_SETTINGS, checked(script))
    this.#settings = this.#initialSettings
    this.#server = createServer((req, res) => this.#onRequest(req, res))
    // Like Go's net/http (Ollama), an idle kept-alive connection is not closed after 5 s, as
    // Node's default would: a client reusing it just then got "socket hang up" (a race seen
    // in the benchmark under load).
    this.#server.keepAliveTimeout = 0
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.once('close', () => this.#sockets.delete(socket))
    })
    this.#routes = [ollamaRoutes(this.#chatContext()), controlRoutes(this)]
  }

  /** Starts listening. Rejects if the port is taken. */
  ready(): Promise<void> {
    if (this.#closing) return Promise.reject(new Error('the stand-in is closed'))
    this.#opening ??= new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(this.#requestedPort, this.#host, () => {
        this.#server.off('error', reject)
        this.#port = (this.#server.address() as AddressInfo).port
        resolve()
      })
    })
    return this.#opening
  }

  /** Stops listening and destroys every open socket; requests under way end as cancelled. */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  /** `http://127.0.0.1:PORT`: what to give the `ollama` client as `host`. */
  get url(): string {
    if (this.#port === 0) throw new Error('the stand-in is not listening yet: await ready()')
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host
    return `http://${host}:${this.#port}`
  }

  get port(): number {
    return this.#port
  }

  // Models

  /** Installs a model (as if pulled): newest, so first in /api/tags. Replaces a same-named one. */
  addModel(model: ModelInput): void {
    this.#catalog.add(model)
  }

  /** Uninstalls a model; false if it was not installed. Requests already running go on. */
  removeModel(name: string): boolean {
    const removed = this.#catalog.remove(name)
    if (removed) this.#loader.unload(removed.name)
    return removed !== undefined
  }

  /** Installed models, newest first, with whether each is loaded. */
  get models(): InstalledModelInfo[] {
    return this.#catalog.list().map((model) => ({
      name: model.name,
      thinking: model.thinking,
      loaded: this.#loader.isLoaded(model.name)
    }))
  }

  /** Unloads one model (or all): the next request for it waits for a cold load again. */
  unload(name?: string): void {
    if (name === undefined) return this.#loader.unload()
    const model = this.#catalog.find(name)
    if (model) this.#loader.unload(model.name)
  }

  // Scripting

  /** What every request gets, unless a one-shot script says otherwise. */
  get settings(): Settings {
    return { ...this.#settings }
  }

  /** Changes the settings for requests from now on; returns them. */
  configure(script: Script): Settings {
    this.#settings = applyScript(this.#settings, checked(script))
    return this.settings
  }

  /** Scripts exactly one request: the next one that generates. Scripts queue up in order. */
  enqueue(script: Script): void {
    this.#queue.push(checked(script))
  }

  get queuedScripts(): number {
    return this.#queue.length
  }

  clearQueue(): void {
    this.#queue.length = 0
  }

  /** Back to the options given to the constructor: models, settings, nothing queued, no log. */
  reset(): void {
    this.#catalog = new ModelCatalog(this.#initialModels)
    this.#settings = this.#initialSettings
    this.#queue.length = 0
    this.#loader.unload()
    this.#log.clear()
    this.#loads.clear()
  }

  // The request log

  /** Every /api/chat request with messages so far, oldest first (copies). */
  get requests(): RequestRecord[] {
    return this.#log.all
  }

  /** Every /api/chat request with empty `messages` (a load or an unload), oldest first. */
  get loads(): RequestRecord[] {
    return this.#loads.all
  }

  /** Requests still being served: loading, queued, generating or stalled; loads too. */
  get activeCount(): number {
    return this.#log.activeCount + this.#loads.activeCount
  }

  /** The first request (oldest first) that matches, now or once one does. */
  waitFor(
    predicate: (record: Readonly<RequestRecord>) => boolean,
    timeoutMs = DEFAULT_WAIT_MS
  ): Promise<RequestRecord> {
    return this.#log.waitFor(predicate, timeoutMs)
  }

  /** The first load (oldest first) that matches, now or once one does. */
  waitForLoad(
    predicate: (record: Readonly<RequestRecord>) => boolean,
    timeoutMs = DEFAULT_WAIT_MS
  ): Promise<RequestRecord> {
    return this.#loads.waitFor(predicate, timeoutMs)
  }

  /** Resolves when no request (nor load) is being served. */
  async waitForIdle(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (const log of [this.#log, this.#loads]) {
      await log.waitUntil(
        () => log.activeCount === 0,
        Math.max(0, deadline - Date.now()),
        'the stand-in did not become idle'
      )
    }
  }

  /** Forgets finished requests and loads (active ones stay). */
  clearRequests(): void {
    this.#log.clear()
    this.#loads.clear()
  }

  #chatContext(): ChatContext {
    const catalog = () => this.#catalog
    return {
      // A getter, because reset() swaps the catalog.
      get catalog() {
        return catalog()
      },
      loader: this.#loader,
      log: this.#log,
      loads: this.#loads,
      closing: this.#closeController.signal,
      settings: () => this.#settings,
      takeScript: () => applyScript(this.#settings, this.#queue.shift() ?? {}),
      gate: (model) => {
        let gate = this.#gates.get(model)
        if (!gate) this.#gates.set(model, (gate = new FifoGate()))
        return gate
      },
      emit: (event, record) => this.emit(event, snapshot(record))
    }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    dispatch(this.#routes, req, res).catch((err: unknown) => {
      // A client that left mid-body, or a bug: answer if still possible, else drop it.
      if (res.headersSent || res.destroyed) res.destroy()
      else sendError(res, 500, (err as Error).message)
    })
  }

  async #close(): Promise<void> {
    this.#closeController.abort()
    await this.#opening?.catch(() => {})
    if (!this.#server.listening) return
    // Stop accepting first, then end what is open; close's callback waits for both.
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    for (const socket of this.#sockets) socket.destroy()
    await closed
  }
}

function checked(script: Script): Script {
  const result = parseScript(script)
  if (!result.ok) throw new TypeError(`invalid script: ${result.error}`)
  return result.script
}
