// A stand-in for LocalLLMHost with the same surface (HostEngine): it records each call in
// a shared journal and moves its state the way the engine does, without Ollama or a swarm.
//
//   const host = new FakeHost(journal)
//   host.set({ status: 'busy' })          // as if a generation started: emits 'state'
//   journal                               // ['refreshOllama', 'start', …]

import { EventEmitter } from 'node:events'
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
    return { ...this.#state, models: [...this.#state.models] }
  }

  set(changes: Partial<HostState>): void {
    this.#state = { ...this.#state, ...changes }
    this.emit('state', this.state)
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

  refreshOllama(): Promise<void> {
    this.journal.push('refreshOllama')
    return Promise.resolve()
  }
}
