// What happened to every /api/chat request, for tests and benchmarks to assert on: when it
// arrived, when headers and the first token went out, how many tokens, how it ended, and
// whether anything was written after the client went away (`tokensAfterCancel`, always 0
// unless the stand-in itself is broken).
//
//   const r = await log.waitFor((r) => r.outcome === 'cancelled', 2000)
//
// Times are epoch milliseconds with a fraction (performance.timeOrigin + performance.now()),
// so they compare across processes yet keep sub-millisecond order. Readers get copies.

export type Outcome =
  | 'completed'
  | 'cancelled'
  | 'error_before_first_token'
  | 'error_mid_stream'
  | 'stalled'
  | 'dropped'
  | 'truncated'
  | 'endless_line'
  | 'rejected'

/** Where a request is: waiting for its model to load, for the slot, for its first token… */
export type RequestState =
  'received' | 'loading' | 'queued' | 'evaluating' | 'generating' | 'stalled' | 'done'

export interface RequestRecord {
  id: number
  /** The model as the client sent it (null when the body had none). */
  model: string | null
  /** Text of the last user message. */
  prompt: string
  messageCount: number
  /** The conversation as sent: every message's role and content, in order. */
  messages: { role: string; content: string }[]
  /** `think` as sent (null when left out). */
  think: boolean | string | null
  /** `keep_alive` as sent, in ms (null when left out). */
  keepAliveMs: number | null
  stream: boolean
  options: Record<string, unknown>
  receivedAt: number
  headersSentAt: number | null
  firstTokenAt: number | null
  /** When the client went away before the response was finished. */
  cancelledAt: number | null
  endedAt: number | null
  tokensSent: number
  /** Bytes of an endless line written so far (the `endless-line` failure). */
  bytesSent: number
  tokensAfterCancel: number
  state: RequestState
  /** Still being served: loading, queued, generating, or stalled with the socket open. */
  active: boolean
  /** Set when the request ends; `stalled` as soon as it stalls. */
  outcome: Outcome | null
  /** HTTP status sent, if headers went out. */
  status: number | null
  error: string | null
  doneReason: string | null
}

export type NewRequest = Pick<
  RequestRecord,
  | 'model'
  | 'prompt'
  | 'messageCount'
  | 'messages'
  | 'think'
  | 'keepAliveMs'
  | 'stream'
  | 'options'
  | 'receivedAt'
>

export function now(): number {
  return performance.timeOrigin + performance.now()
}

export class RequestLog {
  readonly #records: RequestRecord[] = []
  readonly #watchers = new Set<() => void>()
  readonly #nextId: () => number

  /** `nextId` numbers the records (several logs can share one sequence). */
  constructor(nextId?: () => number) {
    let id = 1
    this.#nextId = nextId ?? (() => id++)
  }

  open(request: NewRequest): RequestRecord {
    const record: RequestRecord = {
      id: this.#nextId(),
      ...request,
      headersSentAt: null,
      firstTokenAt: null,
      cancelledAt: null,
      endedAt: null,
      tokensSent: 0,
      bytesSent: 0,
      tokensAfterCancel: 0,
      state: 'received',
      active: true,
      outcome: null,
      status: null,
      error: null,
      doneReason: null
    }
    this.#records.push(record)
    this.changed()
    return record
  }

  /** Call after changing a record, so waiters see it. */
  changed(): void {
    for (const watcher of [...this.#watchers]) watcher()
  }

  get all(): RequestRecord[] {
    return this.#records.map(snapshot)
  }

  get activeCount(): number {
    return this.#records.filter((record) => record.active).length
  }

  /** Forgets finished requests; active ones stay. */
  clear(): void {
    const active = this.#records.filter((record) => record.active)
    this.#records.splice(0, this.#records.length, ...active)
    this.changed()
  }

  /** The first record (oldest first) that matches, now or when one does. */
  async waitFor(
    predicate: (record: Readonly<RequestRecord>) => boolean,
    timeoutMs: number
  ): Promise<RequestRecord> {
    let found: RequestRecord | undefined
    await this.waitUntil(
      () => {
        found = this.#records.find(predicate)
        return found !== undefined
      },
      timeoutMs,
      'no request matched'
    )
    return snapshot(found as RequestRecord)
  }

  /** Resolves when `condition()` holds; rejects after `timeoutMs` with `${what} within …`. */
  waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return
        done()
        resolve()
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`${what} within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.#watchers.delete(check)
      }
      this.#watchers.add(check)
    })
  }
}

export function snapshot(record: RequestRecord): RequestRecord {
  return {
    ...record,
    messages: record.messages.map((message) => ({ ...message })),
    options: { ...record.options }
  }
}
