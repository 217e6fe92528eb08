// Warm-up: when a device connects and the host's model is not in memory (/api/ps), the host
// asks Ollama to load it (an empty-messages /api/chat, answered `done_reason: "load"`), so
// the friend's first reply does not pay the cold load.
//
//   const warmUp = new WarmUp({ ollama, model: () => current, idle: () => !gate.busy, log })
//   void warmUp.request()     // a device joined; calls while one runs share it
//   await warmUp.close()      // stop: the load request is cancelled
//
// It never takes the gate and never delays a prompt: a chat_start during the load goes to
// Ollama at once and waits there for the same load. The full rule is in docs/architecture.md.

import type { Logger } from './logger.js'
import { sameModel } from './model-name.js'
import type { OllamaAdapter } from './ollama-adapter.js'

export interface WarmUpOptions {
  ollama: OllamaAdapter
  /** The model to use now; undefined when none. */
  model: () => string | undefined
  /** Whether a warm-up may start now: no generation running, Ollama and the model there. */
  idle: () => boolean
  log: Logger
  /** Ollama's `keep_alive` for the load; left out, Ollama's own setting holds. */
  keepAlive?: string | number
}

export class WarmUp {
  readonly #options: WarmUpOptions
  readonly #closing = new AbortController()
  #running: Promise<void> | undefined

  constructor(options: WarmUpOptions) {
    this.#options = options
  }

  /** Loads the model if it is not in memory; one at a time, a call meanwhile joins it. */
  request(): Promise<void> {
    if (this.#closing.signal.aborted) return Promise.resolve()
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  async close(): Promise<void> {
    this.#closing.abort()
    await this.#running
  }

  async #run(): Promise<void> {
    const { ollama, log } = this.#options
    const model = this.#options.model()
    if (!model || !this.#options.idle()) return
    const loaded = await ollama.loaded(this.#closing.signal)
    if (!loaded.ok || loaded.models.some((name) => sameModel(name, model))) return
    // A generation that started meanwhile loads the model itself.
    if (!this.#options.idle() || this.#closing.signal.aborted) return
    const started = Date.now()
    log.info({ model }, 'warm-up: loading the model for the devices connected')
    const keepAlive = this.#options.keepAlive
    const result = await ollama.load(model, {
      signal: this.#closing.signal,
      ...(keepAlive !== undefined ? { keepAlive } : {})
    })
    if (result.ok) {
      log.info({ model, ms: Date.now() - started, done_reason: result.doneReason }, 'warm-up done')
    } else if (!this.#closing.signal.aborted) {
      log.info({ model, code: result.error.code, detail: result.error.detail }, 'warm-up failed')
    }
  }
}
