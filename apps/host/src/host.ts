// The host engine: identity, paired devices, Ollama, the gate, the swarm and the
// connections, as one resource with start/stop. The CLI and the menu bar app are thin views.
//
//   const host = new LocalLLMHost({ bootstrap, ollamaUrl, configDir, log })
//   host.on('state', (s) => render(s))     // status, devices, model, Ollama reachability
//   await host.start()                      // listens on its key; prints nothing itself
//   await host.removeDevice('ana')          // DEVICE_REMOVED for it, a new code for new devices
//   await host.setRelay(relayKey)           // saved; a running server restarts on it
//   await host.stop()                       // clients get server_info 'stopped'
//
// Ollama is polled (every `ollamaPollMs`) so a model pulled while the host runs shows up and
// an Ollama started later is noticed. Without a chosen model, the first installed one is used.
// `status` is 'unavailable' (with a reason) while Ollama is down or the model is missing.
// A device joining while the model is not in memory warms it up (warm-up.ts); names clients
// see are clamped to the protocol's limits (outgoing.ts).

import { EventEmitter } from 'node:events'
import DHT from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import b4a from 'b4a'
import { LIMITS, connectLink, formatPairingCode, type UnavailableReason } from '@localllm/protocol'
import { RelayWatch, createSwarm, waitForBootstrap, type Bootstrap } from '@localllm/core'
import { ChatService, DEFAULT_REPLY_CAPS } from './chat-service.js'
import {
  ConnectionManager,
  type ConnectedDevice,
  type FairUse,
  type HostInfo
} from './connection-manager.js'
import { ControlServer } from './control-socket.js'
import { DeviceRegistry, type Device } from './device-registry.js'
import { GenerationGate } from './gate.js'
import { HostConfigStore, type HostConfig } from './host-config.js'
import { OllamaAdapter, type ReplyCaps } from './ollama-adapter.js'
import type { Logger } from './logger.js'
import { sameModel } from './model-name.js'
import { clampName } from './outgoing.js'
import { WarmUp } from './warm-up.js'

export type HostStatusName = 'stopped' | 'starting' | 'ready' | 'busy' | 'unavailable'

/** A paired device as the owner sees it. */
export interface DeviceView extends Device {
  connected: boolean
}

export interface HostState {
  status: HostStatusName
  /** Why the host cannot answer prompts now, when `status` is 'unavailable'. */
  reason: UnavailableReason | undefined
  /** The pairing code (what people call the Server ID). */
  serverId: string | undefined
  connectLink: string | undefined
  /** The host's public key, hex (the first half of the pairing code). */
  hostKey: string | undefined
  displayName: string
  /** The model generations use; undefined when none is chosen or installed. */
  model: string | undefined
  /** Whether `model` came from Ollama's list because none was chosen. */
  modelAutoPicked: boolean
  models: string[]
  ollama: 'unknown' | 'ok' | 'unreachable'
  ollamaVersion: string | undefined
  ollamaUrl: string
  /** How many devices are connected now. */
  clients: number
  /** The devices connected now. */
  connected: ConnectedDevice[]
  /** Every paired device, most recently seen first. */
  devices: DeviceView[]
  /** The blind relay's public key (hex), when the host falls back to one. */
  relay: string | undefined
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
  ollamaPollMs?: number
  helloTimeoutMs?: number
  chatStatusIntervalMs?: number
  stallMs?: number
  maxClients?: number
  /** A blind relay's public key for this run (and saved); null stops using the saved one. */
  relay?: Uint8Array | null
  /** Where one reply is cut (`finish_reason: length`); default 4096 tokens, 5 minutes. */
  replyCaps?: ReplyCaps
  /** Fair-use numbers among devices (tests shorten them). */
  fairUse?: Partial<FairUse>
  /** How long a device whose reply just ended waits while another device is waiting. */
  turnGraceMs?: number
  /** Load the model when a device connects and it is not in memory (default true). */
  warmUp?: boolean
  /** Ollama's `keep_alive` for the warm-up load (default: Ollama's own setting). */
  warmUpKeepAlive?: string | number
}

/** A host that is stopped and knows nothing yet: where every LocalLLMHost starts. */
export function stoppedHostState(ollamaUrl: string): HostState {
  return {
    status: 'stopped',
    reason: undefined,
    serverId: undefined,
    connectLink: undefined,
    hostKey: undefined,
    displayName: '',
    model: undefined,
    modelAutoPicked: false,
    models: [],
    ollama: 'unknown',
    ollamaVersion: undefined,
    ollamaUrl,
    clients: 0,
    connected: [],
    devices: [],
    relay: undefined
  }
}

export class LocalLLMHost extends EventEmitter<{ state: [HostState] }> {
  readonly #options: HostOptions
  readonly #store: HostConfigStore
  readonly #ollama: OllamaAdapter
  readonly #gate: GenerationGate
  readonly #log: Logger
  #config: HostConfig | undefined
  #devices: DeviceRegistry | undefined
  #swarm: Hyperswarm | undefined
  #control: ControlServer | undefined
  #manager: ConnectionManager | undefined
  #chat: ChatService | undefined
  #warmUp: WarmUp | undefined
  #pollTimer: ReturnType<typeof setInterval> | undefined
  #state: HostState
  #transition: Promise<void> = Promise.resolve()
  /** `options.relay`, until setRelay replaces it. */
  #relayOption: Uint8Array | null | undefined

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
    this.#relayOption = options.relay
  }

  get state(): HostState {
    return {
      ...this.#state,
      models: [...this.#state.models],
      connected: this.#state.connected.map((d) => ({ ...d })),
      devices: this.#state.devices.map((d) => ({ ...d }))
    }
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
    if (this.#state.clients > 0) void this.#warmUp?.request()
  }

  async setDisplayName(displayName: string): Promise<void> {
    this.#config = await this.#store.update({ displayName })
    this.#state.displayName = displayName
    this.#changed()
  }

  /**
   * A new host key and secret: every device is dropped and unpaired, and pairs again with
   * the new code; a running server restarts on it.
   */
  regenerate(): Promise<void> {
    return this.#serial(async () => {
      const running = this.#state.status !== 'stopped'
      if (running) await this.#stop()
      this.#config = await this.#store.regenerate()
      const devices = await this.#deviceRegistry()
      devices.clear()
      await devices.flush()
      this.#log.info('host key and pairing code regenerated; every device unpaired')
      this.#setIdentity(this.#config)
      if (running) await this.#startOrUndo()
      else this.#changed()
    })
  }

  /**
   * Removes a paired device (by id or key prefix, or by name): it is dropped now and refused
   * from then on, and the access secret rotates so the code shown so far pairs nothing new.
   * Works stopped or running. Rejects with a sentence when no single device matches.
   */
  removeDevice(idOrName: string): Promise<Device> {
    return this.#serialValue(async () => {
      const devices = await this.#deviceRegistry()
      const found = devices.find(idOrName)
      if (!found.ok) {
        throw new Error(
          found.reason === 'none'
            ? `no paired device matches "${idOrName}"`
            : `"${idOrName}" matches ${found.matches.length} devices (${found.matches.map((d) => d.id).join(', ')}); give more of the id`
        )
      }
      devices.remove(found.device.key)
      this.#config = await this.#store.rotateSecret()
      await devices.flush()
      this.#manager?.drop(found.device.key)
      this.#log.info({ device: found.device.id }, 'device removed; access secret rotated')
      this.#setIdentity(this.#config)
      this.#changed()
      return found.device
    })
  }

  /**
   * Uses this blind relay's public key (32 bytes), or none (null), saved in host.json.
   * Connected devices hear it in server_info; a running server restarts on it, so its swarm
   * uses it now (devices reconnect by themselves). The same key again changes nothing.
   */
  setRelay(relay: Uint8Array | null): Promise<void> {
    if (relay !== null && relay.byteLength !== 32) {
      return Promise.reject(new TypeError('a relay key is 32 bytes'))
    }
    return this.#serial(async () => {
      this.#relayOption = undefined
      const config = (this.#config ??= await this.#store.load())
      if (sameKey(relay, config.relay)) return
      const running = this.#state.status !== 'stopped'
      if (running) await this.#stop()
      this.#config = await this.#store.update({ relay })
      this.#setIdentity(this.#config)
      this.#log.info({ relay: this.#state.relay ?? null }, relay ? 'relay set' : 'relay removed')
      if (running) await this.#startOrUndo()
      else this.#changed()
    })
  }

  /** Paired devices, for a stopped host too. */
  async listDevices(): Promise<DeviceView[]> {
    await this.#deviceRegistry()
    this.#refreshDevices()
    return this.state.devices
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
    const relay = this.#relayOption
    if (relay !== undefined && !sameKey(relay, config.relay)) {
      config = this.#config = await this.#store.update({ relay })
    }
    const devices = await this.#deviceRegistry()
    this.#setIdentity(config)
    // `localllm devices` talks to the running host through this; it also refuses a second
    // host on the same config folder (the same key).
    this.#control = await ControlServer.listen(this.#options.configDir, {
      devices: () => this.listDevices(),
      remove: (query) => this.removeDevice(query)
    })

    const chat = (this.#chat = new ChatService({
      ollama: this.#ollama,
      gate: this.#gate,
      model: () => this.#state.model,
      log: this.#log.child({ component: 'chat' }),
      replyCaps: this.#replyCaps(),
      ...(this.#options.turnGraceMs !== undefined
        ? { turnGraceMs: this.#options.turnGraceMs }
        : {}),
      ...(this.#options.chatStatusIntervalMs
        ? { chatStatusIntervalMs: this.#options.chatStatusIntervalMs }
        : {})
    }))
    if (this.#options.warmUp !== false) {
      const keepAlive = this.#options.warmUpKeepAlive
      this.#warmUp = new WarmUp({
        ollama: this.#ollama,
        model: () => this.#state.model,
        idle: () => !this.#gate.busy && this.#unavailableReason() === undefined,
        log: this.#log.child({ component: 'warm-up' }),
        ...(keepAlive !== undefined ? { keepAlive } : {})
      })
    }
    const manager = (this.#manager = new ConnectionManager({
      devices,
      secret: () => (this.#config as HostConfig).accessSecret,
      chat,
      info: () => this.#info(),
      log: this.#log.child({ component: 'connections' }),
      ...(this.#options.maxClients ? { maxClients: this.#options.maxClients } : {}),
      ...(this.#options.helloTimeoutMs ? { helloTimeoutMs: this.#options.helloTimeoutMs } : {}),
      ...(this.#options.fairUse ? { fairUse: this.#options.fairUse } : {}),
      replyLimits: {
        maxReplyTokens: this.#replyCaps().maxTokens ?? 0,
        maxReplyMs: this.#replyCaps().maxMs ?? 0
      },
      onClientsChange: (connected) => {
        if (connected.length > this.#state.clients) void this.#warmUp?.request()
        this.#state.clients = connected.length
        this.#state.connected = connected
        this.#refreshDevices()
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
      // A blind relay (`localllm relay`) for when hole punching cannot work: hyperswarm offers
      // it to a client when this host's own NAT is randomizing; clients learn it from
      // server_info and use it themselves after a failed punch.
      ...(config.relay ? { relayThrough: config.relay } : {})
    }))
    // Which connections come through a relay: shown per device.
    manager.watchPaths(new RelayWatch(swarm.dht))
    swarm.on('connection', (stream) => manager.accept(stream))
    const bootstrapped = await waitForBootstrap(swarm.dht, LIMITS.bootstrapWaitMs)
    if (!bootstrapped) this.#log.warn('DHT not bootstrapped yet; announcing anyway')
    // Clients dial the host's public key; listening announces it on the DHT.
    await swarm.listen()
    this.#log.info({ host_key: this.#state.hostKey }, 'listening')
    this.#setStatus('ready')
  }

  async #stop(): Promise<void> {
    if (this.#state.status === 'stopped') return
    clearInterval(this.#pollTimer)
    this.#pollTimer = undefined
    await this.#warmUp?.close()
    this.#warmUp = undefined
    // Running replies end with their one terminal message first, then server_info 'stopped'.
    await this.#chat?.close()
    await this.#manager?.close()
    await this.#swarm?.destroy()
    await this.#control?.close()
    this.#control = undefined
    await this.#devices
      ?.flush()
      .catch((err: unknown) => this.#log.error({ err }, 'could not save the device list'))
    this.#manager = undefined
    this.#chat = undefined
    this.#swarm = undefined
    this.#state.clients = 0
    this.#state.connected = []
    this.#refreshDevices()
    this.#setStatus('stopped')
    this.#log.info('stopped')
  }

  #replyCaps(): ReplyCaps {
    return this.#options.replyCaps ?? DEFAULT_REPLY_CAPS
  }

  async #deviceRegistry(): Promise<DeviceRegistry> {
    this.#devices ??= await DeviceRegistry.open(this.#options.configDir)
    return this.#devices
  }

  #refreshDevices(): void {
    const connected = new Set(this.#state.connected.map((d) => d.key))
    this.#state.devices = (this.#devices?.list() ?? []).map((d) => ({
      ...d,
      connected: connected.has(d.key)
    }))
  }

  #setIdentity(config: HostConfig): void {
    const keyPair = DHT.keyPair(config.noiseSeed)
    const code = formatPairingCode(keyPair.publicKey, config.accessSecret)
    this.#state.serverId = code
    this.#state.connectLink = connectLink(code)
    this.#state.hostKey = b4a.toString(keyPair.publicKey, 'hex')
    this.#state.displayName = config.displayName
    this.#state.relay = config.relay ? b4a.toString(config.relay, 'hex') : undefined
    if (config.model) {
      this.#state.model = config.model
      this.#state.modelAutoPicked = false
    }
    this.#refreshDevices()
  }

  #info(): HostInfo {
    const { status, reason } = this.#state
    return {
      host_name: clampName(this.#state.displayName),
      model: clampName(this.#state.model ?? ''),
      status:
        status === 'busy' || status === 'ready' || status === 'unavailable' ? status : 'stopped',
      reason,
      relay: this.#state.relay
    }
  }

  #setStatus(status: HostStatusName): void {
    this.#state.status = status
    this.#changed()
  }

  /** Something clients see may have changed: recompute status, tell clients and listeners. */
  #changed(): void {
    const running = ['ready', 'busy', 'unavailable'].includes(this.#state.status)
    this.#state.reason = running ? this.#unavailableReason() : undefined
    if (running) {
      this.#state.status = this.#gate.busy ? 'busy' : this.#state.reason ? 'unavailable' : 'ready'
    }
    const key = JSON.stringify(this.#info())
    if (key !== this.#lastInfo) {
      this.#lastInfo = key
      this.#manager?.broadcastInfo()
    }
    this.emit('state', this.state)
  }

  /** Why a prompt could not be answered now, or undefined when it could. */
  #unavailableReason(): UnavailableReason | undefined {
    const { ollama, model, models } = this.#state
    if (ollama === 'unreachable') return 'ollama_unreachable'
    if (!model) return 'no_model'
    if (ollama === 'ok' && !models.some((m) => sameModel(m, model))) return 'model_missing'
    return undefined
  }

  #lastInfo = ''

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#transition.then(fn, fn)
    this.#transition = next.catch(() => {})
    return next
  }

  #serialValue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#transition.then(fn, fn)
    this.#transition = next.then(
      () => {},
      () => {}
    )
    return next
  }
}

function sameKey(a: Uint8Array | null, b: Uint8Array | undefined): boolean {
  if (a === null) return b === undefined
  return b !== undefined && b4a.equals(a, b)
}
