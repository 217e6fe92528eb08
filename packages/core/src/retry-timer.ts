// When to try again: a backoff schedule for one thing that keeps failing, with jitter so
// many clients that lost the same host do not come back in step.
//
//   const retry = new RetryTimer(() => dial(), { backoffs: [250, 1000, 4000] })
//   retry.schedule()   // the next try after 250 ms, then 1 s, then every 4 s (± jitter)
//   retry.reset()      // it worked: the next failure starts from the first backoff again
//   retry.clear()      // nothing pending (suspend, close)
//
// One timer at most is pending; scheduling again replaces it. Tests pass `jitter: 0`.

export interface RetryTimerOptions {
  /** Delays in ms for the 1st, 2nd, … retry; the last one repeats. */
  backoffs?: readonly number[]
  /** Each delay is stretched by up to this fraction, at random (0 in tests). */
  jitter?: number
}

export const DEFAULT_BACKOFFS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000]

export class RetryTimer {
  readonly #run: () => void
  readonly #backoffs: readonly number[]
  readonly #jitter: number
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(run: () => void, options: RetryTimerOptions = {}) {
    this.#run = run
    this.#backoffs = options.backoffs?.length ? options.backoffs : DEFAULT_BACKOFFS
    this.#jitter = options.jitter ?? 0.2
  }

  /** How many retries were scheduled since the last reset. */
  get attempts(): number {
    return this.#attempt
  }

  get pending(): boolean {
    return this.#timer !== undefined
  }

  /** Schedules the next try after the next backoff; returns that delay. */
  schedule(): number {
    this.clear()
    const base = this.#backoffs[Math.min(this.#attempt, this.#backoffs.length - 1)] as number
    this.#attempt++
    const delay = Math.round(base * (1 + this.#jitter * Math.random()))
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#run()
    }, delay)
    return delay
  }

  reset(): void {
    this.#attempt = 0
  }

  clear(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
