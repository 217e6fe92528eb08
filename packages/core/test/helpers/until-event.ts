// Waits for a condition on the code's own events, not a clock: `check` runs now and again each
// time `emitter` emits one of `events`; after `timeoutMs` the wait fails, naming `what`.
// (@localllm/testing's Wakeup does this for Node suites; core's suite also runs under Bare.)
//
//   await untilEvent(session, ['status'], () => session.status === 'connected', 'connected')

interface Emitter {
  on(event: string, listener: () => void): unknown
  off(event: string, listener: () => void): unknown
}

export function untilEvent(
  emitter: Emitter,
  events: string[],
  check: () => boolean,
  what: string,
  timeoutMs = 10_000
): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer)
      for (const event of events) emitter.off(event, recheck)
    }
    const recheck = () => {
      if (!check()) return
      stop()
      resolve()
    }
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`timed out waiting for ${what}`))
    }, timeoutMs)
    for (const event of events) emitter.on(event, recheck)
    recheck()
  })
}
