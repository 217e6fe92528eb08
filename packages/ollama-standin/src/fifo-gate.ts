// One generation at a time per model, like Ollama with OLLAMA_NUM_PARALLEL=1: a request that
// finds the slot taken waits, first come first served, and is never turned away.
//
//   const release = await gate.acquire(signal)   // rejects if `signal` aborts while waiting
//   try { generate() } finally { release() }
//
// A waiter whose client goes away leaves the line at once, so it never holds up the next one.

export type Release = () => void

interface Waiter {
  grant: (release: Release) => void
}

export class FifoGate {
  #busy = false
  readonly #line: Waiter[] = []

  /** Requests waiting for the slot (not counting the one holding it). */
  get waiting(): number {
    return this.#line.length
  }

  get busy(): boolean {
    return this.#busy
  }

  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(signal.reason as Error)
    if (!this.#busy) {
      this.#busy = true
      return Promise.resolve(this.#releaser())
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener('abort', onAbort)
          resolve(release)
        }
      }
      const onAbort = () => {
        const index = this.#line.indexOf(waiter)
        if (index !== -1) this.#line.splice(index, 1)
        reject(signal.reason as Error)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#line.push(waiter)
    })
  }

  #releaser(): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#line.shift()
      if (next) next.grant(this.#releaser())
      else this.#busy = false
    }
  }
}
