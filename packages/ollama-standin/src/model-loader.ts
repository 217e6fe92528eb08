// Which models are in memory, the way Ollama's scheduler keeps them: the first request for a
// model that is not loaded waits out the cold load, requests arriving meanwhile wait for that
// same load, and a model stays loaded for keep_alive (5 min unless the request says) after
// its last request ends; keep_alive 0 unloads it at once, a negative one keeps it forever.
//
//   loader.hold(name); try { await loader.load(name, 2000, signal); … } finally { loader.release(name, ms) }
//
// Expiry is worked out when asked, not by timers, so nothing here keeps the process alive.
// A load goes on when the client that started it goes away (Ollama's does too); only
// close() cuts it short.

import { setTimeout as sleep } from 'node:timers/promises'

export const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000
// Go's time.Duration tops out near 292 years; Ollama shows "forever" as a date that far off.
const FOREVER = Date.UTC(2318, 0, 1)

interface Residency {
  loading: Promise<void> | null
  loaded: boolean
  users: number
  keepAliveMs: number
  expiresAt: number
}

export class ModelLoader {
  readonly #models = new Map<string, Residency>()
  readonly #closing: AbortSignal

  /** `closing` aborts loads under way when the stand-in closes. */
  constructor(closing: AbortSignal) {
    this.#closing = closing
  }

  /** A request is using the model: it cannot expire until the matching release(). */
  hold(name: string): void {
    this.#state(name).users++
  }

  release(name: string, keepAliveMs = DEFAULT_KEEP_ALIVE_MS): void {
    const state = this.#state(name)
    state.users = Math.max(0, state.users - 1)
    state.keepAliveMs = keepAliveMs
    if (state.users > 0) return
    if (keepAliveMs === 0) state.loaded = false
    state.expiresAt = keepAliveMs < 0 ? FOREVER : Date.now() + keepAliveMs
  }

  /** Resolves once `name` is loaded; starts a load of `delayMs` if none is under way. */
  async load(name: string, delayMs: number, signal: AbortSignal): Promise<void> {
    const state = this.#state(name)
    if (state.loaded) return
    await abortable(state.loading ?? this.#startLoad(state, delayMs), signal)
  }

  isLoaded(name: string): boolean {
    return this.#state(name).loaded
  }

  /** Unloads one model, or all; the next request for it loads it cold. */
  unload(name?: string): void {
    for (const [key, state] of this.#models) {
      if (name === undefined || key === name) state.loaded = false
    }
  }

  /** Loaded models and when each will unload, soonest-loaded first. */
  loaded(): { name: string; expiresAt: Date }[] {
    const out: { name: string; expiresAt: Date }[] = []
    for (const name of this.#models.keys()) {
      const state = this.#state(name)
      if (!state.loaded) continue
      const expiresAt = state.users > 0 ? keepAliveEnd(state.keepAliveMs) : state.expiresAt
      out.push({ name, expiresAt: new Date(expiresAt) })
    }
    return out
  }

  #state(name: string): Residency {
    let state = this.#models.get(name)
    if (!state) {
      state = {
        loading: null,
        loaded: false,
        users: 0,
        keepAliveMs: DEFAULT_KEEP_ALIVE_MS,
        expiresAt: 0
      }
      this.#models.set(name, state)
    }
    if (state.loaded && state.users === 0 && Date.now() >= state.expiresAt) state.loaded = false
    return state
  }

  // `loading` is cleared by a callback that runs after it was set: an async function's own
  // `finally` would run before `state.loading = …` when nothing in it waits (no delay), and
  // leave a settled promise there that every later load would take for one under way.
  #startLoad(state: Residency, delayMs: number): Promise<void> {
    const loading = (async () => {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: this.#closing })
      else this.#closing.throwIfAborted()
      state.loaded = true
    })()
    state.loading = loading
    const clear = () => {
      if (state.loading === loading) state.loading = null
    }
    loading.then(clear, clear)
    return loading
  }
}

/** Ollama's keep_alive: seconds as a number, or a Go duration string ("5m", "300ms", "1h30m"). */
export function parseKeepAlive(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1e3,
    m: 6e4,
    h: 36e5
  }
  const parts = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text)
  if (!parts) return undefined
  let ms = 0
  for (const [, amount, unit] of (parts[2] as string).matchAll(
    /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g
  )) {
    ms += Number(amount) * (units[unit as string] as number)
  }
  return parts[1] === '-' ? -ms : ms
}

function keepAliveEnd(keepAliveMs: number): number {
  return keepAliveMs < 0 ? FOREVER : Date.now() + keepAliveMs
}

// Waits for `promise` unless `signal` aborts first; the promise itself goes on.
async function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  let onAbort = () => {}
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error)
  })
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
