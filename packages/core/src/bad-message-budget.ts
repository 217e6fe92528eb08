// How much a peer may get wrong: `max` bad messages within any `windowMs` (a sliding window)
// spends the budget, and the peer is dropped. The host's connections (FramedConnection) and
// the web preview's relay (a page's bad commands) keep the same one, LIMITS' 20 in a minute.
//
//   const budget = new BadMessageBudget()
//   if (budget.spend()) connection.destroy()   // the 20th bad message within a minute
//
// Only the last `max` times are kept: older ones can never again be part of a spent budget.

import { LIMITS } from '@localllm/protocol'

export interface BadMessageBudgetOptions {
  /** Bad messages within the window that spend the budget (LIMITS.maxBadMessages). */
  max?: number
  /** The sliding window, in ms (LIMITS.badMessageWindowMs). */
  windowMs?: number
  /** The clock, for tests. */
  now?: () => number
}

export class BadMessageBudget {
  readonly #max: number
  readonly #windowMs: number
  readonly #now: () => number
  readonly #times: number[] = []

  constructor(options: BadMessageBudgetOptions = {}) {
    this.#max = options.max ?? LIMITS.maxBadMessages
    this.#windowMs = options.windowMs ?? LIMITS.badMessageWindowMs
    this.#now = options.now ?? Date.now
  }

  /** Counts one bad message; true when it spends the budget (`max` within the window). */
  spend(): boolean {
    const now = this.#now()
    this.#times.push(now)
    if (this.#times.length > this.#max) this.#times.shift()
    while ((this.#times[0] as number) <= now - this.#windowMs) this.#times.shift()
    return this.#times.length >= this.#max
  }
}
