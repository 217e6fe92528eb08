// The host engine: identity, Ollama, the gate, the swarm and the connections, as one
// resource with start/stop. The CLI and the menu bar app are thin views over it.
//
//   const host = new LocalLLMHost({ bootstrap, ollamaUrl, configDir, log })
//   host.on('state', (s) => render(s))     // status, clients, model, Ollama reachability
//   await host.start()                      // announces the topic; prints nothing itself
//   await host.stop()                       // clients get server_info 'stopped'
//
// Ollama is polled (every `ollamaPollMs`) so a model pulled while the host runs shows up and
// an Ollama started later is noticed. Without a chosen model, the first installed one is used.

import { EventEmitter } from 'node:events'
import DHT from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import { LIMITS, formatServerId, connectLink } from '@localllm/protocol'
import { deriveTopic } from '@localllm/protocol/capability'
import { createSwarm, waitForBootstrap, type Bootstrap } from '@localllm/core'
import { ChatService } from './chat-service.js'
import { ConnectionManager, type HostInfo } from './connection-manager.js'
import { GenerationGate } from './gate.js'
import { HostConfigStore, type HostConfig } from './host-config.js'
import { OllamaAdapter } from './ollama-adapter.js'
import type { Logger } from './logger.js'

export type HostStatusName = 'stopped' | 'starting' | 'ready' | 'busy'

export interface HostState {
  status: HostStatusName
  serverId: string | undefined
  connectLink: string | undefined
  displayName: string
  /** The model generations use; undefined when none is chosen or installed. */
  model: string | undefined
  /** Whether `model` came from Ollama's list because none was chosen. */
  modelAutoPicked: boolean
  models: string[]
  ollama: 'unknown' | 'ok' | 'unreachable'
  ollamaVersion: string | undefined
  ollamaUrl: string
  clients: number
}

export interface HostOptions {
  bootstrap: Bootstrap
  ollamaUrl: string
  configDir: string
  log: Logger
  /** Overrides the saved model for this run (and is saved). */
  model?: string
  /** Overrides the saved display name (and is saved). */
  displayName?: string
  /**
   * A blind relay's public key (`localllm relay`): the fallback when hole punching cannot
   * work. Hyperswarm offers it to a client when this host's own NAT is randomizing.
   */
  relayThrough?: Uint8Array
  ollamaPollMs?: number
  helloTimeoutMs?: number
  chatStatusIntervalMs?: number
  stallMs?: number
  maxClients?: number
}

/** A host that is stopped and knows nothing yet: where every LocalLLMHost starts. */
export function stoppedHostState(ollamaUrl: string): HostState {
  return {
    status: 'stopped',
    serverId: undefined,
    connectLink: undefined,
    displayName: '',
    model: undefined,
    modelAutoPicked: false,
    models: [],
    ollama: 'unknown',
    ollamaVersion: undefined,
    ollamaUrl,
    clients: 0
  }
}

export class LocalLLMHost extends EventEmitter<{ state: [HostState] }> {
  readonly #options: HostOptions
  readonly #store: HostConfigStore
  readonly #ollama: OllamaAdapter
  readonly #gate: GenerationGate
  readonly #log: Logger
  #config: HostConfig | undefined
  #swarm: Hyperswarm | undefined
  #manager: ConnectionManager | undefined
  #chat: ChatService | undefined
  #pollTimer: ReturnType<typeof setInterval> | undefined
  #state: HostState
  #transition: Promise<void> = Promise.resolve()

  constructor(options: HostOptions) {
    super()
    this.#options = options
    this.#log = options.log
    this.#store = new HostConfigStore(options.configDir)
    this.#ollama = new OllamaAdapter({
      url: options.ollamaUrl,
      ...(options.stallMs ? { stallMs: options.stallMs } : {})
    })
    this.#gate = new GenerationGate(() => this.#changed())
    this.#state = stoppedHostState(options.ollamaUrl)
  }

  get state(): HostState {
    return { ...this.#state, models: [...this.#state.models] }
  }

  /** The swarm's public key (tests and diagnostics). */
  get publicKey(): Uint8Array | undefined {
    return this.#swarm?.keyPair.publicKey
  }

  start(): Promise<void> {
    return this.#serial(() => this.#startOrUndo())
  }

  stop(): Promise<void> {
    return this.#serial(() => this.#stop())
  }

  async setModel(model: string): Promise<void> {
    this.#config = await this.#store.update({ model })
    this.#state.model = model
    this.#state.modelAutoPicked = false
    this.#log.info({ model }, 'model selected')
    this.#changed()
  }

  async setDisplayName(displayName: string): Promise<void> {
    this.#config = await this.#store.update({ displayName })
    this.#state.displayName = displayName
    this.#changed()
  }

  /** A new Server ID: everyone connected is dropped; a running server restarts on it. */
  regenerate(): Promise<void> {
    return this.#serial(async () => {
      const running = this.#state.status !== 'stopped'
      if (running) await this.#stop()
      this.#config = await this.#store.regenerate()
      this.#log.info('server id regenerated')
      this.#setIdentity(this.#config)
      if (running) await this.#startOrUndo()
      else this.#changed()
    })
  }

  /** Checks Ollama now (also runs on a timer while started). */
  async refreshOllama(): Promise<void> {
    const health = await this.#ollama.health()
    if (!health.ok) {
      if (this.#state.ollama !== 'unreachable')
        this.#log.warn(
          { url: this.#options.ollamaUrl, detail: health.error.detail },
          'ollama unreachable'
        )
      this.#state.ollama = 'unreachable'
      this.#state.ollamaVersion = undefined
      this.#changed()
      return
    }
    const list = await this.#ollama.models()
    const models = list.ok ? list.models : this.#state.models
    if (this.#state.ollama !== 'ok')
      this.#log.info(
        { url: this.#options.ollamaUrl, version: health.version, models },
        'ollama reachable'
      )
    this.#state.ollama = 'ok'
    this.#state.ollamaVersion = health.version
    this.#state.models = models
    if (!this.#state.model && models.length > 0) {
      this.#state.model = models[0]
      this.#state.modelAutoPicked = true
      this.#log.info({ model: models[0] }, 'no model chosen: using the first installed one')
    }
    this.#changed()
  }

  /** A start that fails half way (e.g. an unreadable config) ends 'stopped', not 'starting'. */
  async #startOrUndo(): Promise<void> {
    try {
      await this.#start()
    } catch (err) {
      await this.#stop().catch(() => {})
      throw err
    }
  }

  async #start(): Promise<void> {
    if (this.#state.status !== 'stopped') return
    this.#setStatus('starting')
    let config = (this.#config ??= await this.#store.load())
    if (this.#options.displayName && this.#options.displayName !== config.displayName) {
      config = this.#config = await this.#store.update({ displayName: this.#options.displayName })
    }
    if (this.#options.model && this.#options.model !== config.model) {
      config = this.#config = await this.#store.update({ model: this.#options.model })
    }
    this.#setIdentity(config)

    const chat = (this.#chat = new ChatService({
      ollama: this.#ollama,
      gate: this.#gate,
      model: () => this.#state.model,
      log: this.#log.child({ component: 'chat' }),
      ...(this.#options.chatStatusIntervalMs
        ? { chatStatusIntervalMs: this.#options.chatStatusIntervalMs }
        : {})
    }))
    const manager = (this.#manager = new ConnectionManager({
      secret: config.secret,
      chat,
      info: () => this.#info(),
      log: this.#log.child({ component: 'connections' }),
      ...(this.#options.maxClients ? { maxClients: this.#options.maxClients } : {}),
      ...(this.#options.helloTimeoutMs ? { helloTimeoutMs: this.#options.helloTimeoutMs } : {}),
      onClientsChange: (count) => {
        this.#state.clients = count
        this.emit('state', this.state)
      }
    }))

    await this.refreshOllama()
    this.#pollTimer = setInterval(
      () => void this.refreshOllama(),
      this.#options.ollamaPollMs ?? 5000
    )

    const swarm = (this.#swarm = createSwarm({
      bootstrap: this.#options.bootstrap,
      keyPair: DHT.keyPair(config.noiseSeed),
      ...(this.#options.relayThrough ? { relayThrough: this.#options.relayThrough } : {})
    }))
    swarm.on('connection', (stream) => manager.accept(stream))
    const bootstrapped = await waitForBootstrap(swarm, LIMITS.bootstrapWaitMs)
    if (!bootstrapped) this.#log.warn('DHT not bootstrapped yet; announcing anyway')
    const discovery = swarm.join(deriveTopic(config.secret), { server: true, client: false })
    await discovery.flushed()
    this.#log.info(
      {
        server_id_prefix: this.#state.serverId?.slice(0, 4),
        public_key: Buffer.from(swarm.keyPair.publicKey).toString('hex')
      },
      'announced'
    )
    this.#setStatus(this.#gate.busy ? 'busy' : 'ready')
  }

  async #stop(): Promise<void> {
    if (this.#state.status === 'stopped') return
    clearInterval(this.#pollTimer)
    this.#pollTimer = undefined
    await this.#manager?.close()
    await this.#chat?.close()
    await this.#swarm?.destroy()
    this.#manager = undefined
    this.#chat = undefined
    this.#swarm = undefined
    this.#state.clients = 0
    this.#setStatus('stopped')
    this.#log.info('stopped')
  }

  #setIdentity(config: HostConfig): void {
    const serverId = formatServerId(config.secret)
    this.#state.serverId = serverId
    this.#state.connectLink = connectLink(serverId)
    this.#state.displayName = config.displayName
    if (config.model) {
      this.#state.model = config.model
      this.#state.modelAutoPicked = false
    }
  }

  #info(): HostInfo {
    return {
      host_name: this.#state.displayName,
      model: this.#state.model ?? '',
      status:
        this.#state.status === 'busy'
          ? 'busy'
          : this.#state.status === 'ready'
            ? 'ready'
            : 'stopped'
    }
  }

  #setStatus(status: HostStatusName): void {
    this.#state.status = status
    this.#changed()
  }

  /** Something clients see may have changed: recompute status, tell clients and listeners. */
  #changed(): void {
    if (this.#state.status === 'ready' || this.#state.status === 'busy') {
      this.#state.status = this.#gate.busy ? 'busy' : 'ready'
    }
    const key = JSON.stringify(this.#info())
    if (key !== this.#lastInfo) {
      this.#lastInfo = key
      this.#manager?.broadcastInfo()
    }
    this.emit('state', this.state)
  }

  #lastInfo = ''

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#transition.then(fn, fn)
    this.#transition = next.catch(() => {})
    return next
  }
}
