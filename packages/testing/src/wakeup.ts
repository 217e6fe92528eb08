// "Wait until something new arrives, or a deadline": the loop every test peer and process
// helper needs (a message, an event, a line of output). Whoever records something calls
// `wake()`; a waiter re-checks its condition on each wake-up until it holds or time is up.
//
//   const news = new Wakeup()
//   stream.on('data', (d) => { messages.push(d); news.wake() })
//   const hello = await news.until(() => messages.find(isHello), 5000, () => new Error('no hello'))

export class Wakeup {
  readonly #waiters = new Set<() => void>()

  /** Wakes every current waiter. */
  wake(): void {
    for (const wake of this.#waiters) wake()
    this.#waiters.clear()
  }

  /** Resolves at the next `wake()`, or after `ms`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#waiters.add(done)
    })
  }

  /**
   * The first value `find()` returns that is not undefined, re-checked at every wake-up;
   * `find` may throw to give up early (the connection closed, the process exited). After
   * `timeoutMs`, rejects with `timedOut()`.
   */
  async until<T>(find: () => T | undefined, timeoutMs: number, timedOut: () => Error): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = find()
      if (found !== undefined) return found
      const left = deadline - Date.now()
      if (left <= 0) throw timedOut()
      await this.sleep(left)
    }
  }
}
