// A stand-in for LocalLLMHost with the same surface (HostEngine): it records each call in
// a shared journal and moves its state the way the engine does, without Ollama or a swarm.
//
//   const host = new FakeHost(journal)
//   host.set({ status: 'busy' })          // as if a generation started: emits 'state'
//   host.pair('Ana’s iPhone', { connected: true })   // a paired device, connected now
//   journal                               // ['refreshOllama', 'start', …]

import { EventEmitter } from 'node:events'
import { randomBytes } from 'node:crypto'
import type { HostState } from '@localllm/host'
import type { HostEngine } from '../../src/main.js'
import { hostState, newIdentity } from './host-state.js'

export class FakeHost extends EventEmitter<{ state: [HostState] }> implements HostEngine {
  readonly journal: string[]
  /** Makes the next start() reject with this error. */
  failStart: Error | undefined
  #state: HostState

  constructor(journal: string[] = [], initial: Partial<HostState> = {}) {
    super()
    this.journal = journal
    this.#state = hostState(initial)
  }

  get state(): HostState {
    return structuredClone(this.#state)
  }

  set(changes: Partial<HostState>): void {
    this.#state = { ...this.#state, ...changes }
    this.emit('state', this.state)
  }

  /** Pairs a new device (connected now, or last seen `lastSeen`); returns its key. */
  pair(
    name: string,
    options: { connected?: boolean; lastSeen?: number; path?: 'direct' | 'relayed' } = {}
  ): string {
    const key = randomBytes(32).toString('hex')
    const now = Date.now()
    const device = {
      key,
      id: key.slice(0, 8),
      name,
      firstSeen: now,
      lastSeen: options.lastSeen ?? now,
      connected: options.connected ?? false
    }
    const connected = device.connected
      ? [
          ...this.#state.connected,
          { key, id: device.id, name, connectedAt: now, path: options.path ?? 'direct' }
        ]
      : this.#state.connected
    this.set({
      devices: [device, ...this.#state.devices],
      connected,
      clients: connected.length
    })
    return key
  }

  async start(): Promise<void> {
    this.journal.push('start')
    if (this.failStart) throw this.failStart
    this.set({ status: 'starting', ...(this.#state.serverId ? {} : newIdentity()) })
    await Promise.resolve()
    this.set({ status: 'ready' })
  }

  async stop(): Promise<void> {
    this.journal.push('stop')
    await new Promise((resolve) => setTimeout(resolve, 20)) // clients are being told
    this.set({ status: 'stopped', clients: 0 })
    this.journal.push('stopped')
  }

  setModel(model: string): Promise<void> {
    this.journal.push(`setModel ${model}`)
    this.set({ model, modelAutoPicked: false })
    return Promise.resolve()
  }

  setDisplayName(displayName: string): Promise<void> {
    this.journal.push(`setDisplayName ${displayName}`)
    this.set({ displayName })
    return Promise.resolve()
  }

  regenerate(): Promise<void> {
    this.journal.push('regenerate')
    this.set({ ...newIdentity(), clients: 0 })
    return Promise.resolve()
  }

  listDevices(): Promise<HostState['devices']> {
    this.journal.push('listDevices')
    return Promise.resolve(this.state.devices)
  }

  /** Drops the device and rotates the secret: a new Server ID, as the engine does. */
  removeDevice(idOrName: string): Promise<HostState['devices'][number]> {
    this.journal.push(`removeDevice ${idOrName}`)
    const device = this.#state.devices.find((d) => d.key.startsWith(idOrName))
    if (!device) return Promise.reject(new Error(`no paired device matches "${idOrName}"`))
    const connected = this.#state.connected.filter((c) => c.key !== device.key)
    this.set({
      ...newIdentity(),
      devices: this.#state.devices.filter((d) => d.key !== device.key),
      connected,
      clients: connected.length
    })
    return Promise.resolve(device)
  }

  setRelay(relay: Uint8Array | null): Promise<void> {
    const hex = relay ? Buffer.from(relay).toString('hex') : undefined
    this.journal.push(`setRelay ${hex ?? 'null'}`)
    this.set({ relay: hex })
    return Promise.resolve()
  }

  refreshOllama(): Promise<void> {
    this.journal.push('refreshOllama')
    return Promise.resolve()
  }
}
