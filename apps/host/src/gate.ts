// One generation at a time for the whole host: held from an accepted
// `chat_start` until Ollama's HTTP response is closed. No queue: whoever finds it held gets
// MODEL_BUSY.
//
//   const release = gate.acquire('req-1')   // undefined when busy
//   try { await generation.result } finally { release() }

export class GenerationGate {
  #holder: string | undefined
  readonly #onChange: (busy: boolean) => void

  constructor(onChange: (busy: boolean) => void = () => {}) {
    this.#onChange = onChange
  }

  get busy(): boolean {
    return this.#holder !== undefined
  }

  /** Who holds it (a request id), for logs. */
  get holder(): string | undefined {
    return this.#holder
  }

  /** Takes the gate for `holder`; returns an idempotent release, or undefined if held. */
  acquire(holder: string): (() => void) | undefined {
    if (this.#holder !== undefined) return undefined
    this.#holder = holder
    this.#onChange(true)
    let released = false
    return () => {
      if (released) return
      released = true
      this.#holder = undefined
      this.#onChange(false)
    }
  }
}
