// The client's requests in flight on one session, by `request_id`: routes what the host
// sends to the right ChatRequest and times out a request the host went silent on.
//
//   const table = new RequestTable({ responseTimeoutMs, timedOut: (id) => sendAbort(id) })
//   table.add(request)                     // after chat_start was sent
//   table.route(message)                   // chat_status / chat_chunk / chat_end / error
//   table.failAll(protocolError('HOST_DISCONNECTED'))
//
// Request ids are the client's and mean something on one connection only. Chunks just stamp
// the request; one timer per request re-arms itself for the time left (`refresh()` would
// cost a timer operation per chunk, and a fast stream is thousands a second).

import {
  LIMITS,
  protocolError,
  type ClientBoundMessage,
  type ProtocolError
} from '@localllm/protocol'
import type { ChatRequest } from './chat-request.js'

export interface RequestTableOptions {
  responseTimeoutMs?: number
  /** A request heard nothing for the response timeout (it has been failed already). */
  timedOut?: (requestId: string) => void
}

interface Entry {
  request: ChatRequest
  timer: ReturnType<typeof setTimeout> | undefined
  lastHeard: number
}

export class RequestTable {
  readonly #entries = new Map<string, Entry>()
  readonly #timeoutMs: number
  readonly #timedOut: (requestId: string) => void
  #paused = false

  constructor(options: RequestTableOptions = {}) {
    this.#timeoutMs = options.responseTimeoutMs ?? LIMITS.responseTimeoutMs
    this.#timedOut = options.timedOut ?? (() => {})
  }

  get size(): number {
    return this.#entries.size
  }

  has(requestId: string): boolean {
    return this.#entries.has(requestId)
  }

  add(request: ChatRequest): void {
    const entry: Entry = { request, timer: undefined, lastHeard: Date.now() }
    this.#entries.set(request.id, entry)
    if (!this.#paused) this.#arm(request.id, entry)
  }

  /** Hands a message from the host to its request; false when it belongs to none. */
  route(message: ClientBoundMessage): boolean {
    if (message.type === 'server_info' || message.request_id === undefined) return false
    const entry = this.#entries.get(message.request_id)
    if (!entry) return false
    switch (message.type) {
      case 'chat_status':
        entry.lastHeard = Date.now()
        entry.request._status(message.payload.state)
        return true
      case 'chat_chunk':
        entry.lastHeard = Date.now()
        entry.request._chunk(message.payload)
        return true
      case 'chat_end':
        this.#finish(message.request_id, {
          finishReason: message.payload.finish_reason,
          stats: message.payload.stats
        })
        return true
      case 'error':
        this.#finish(message.request_id, {
          error: protocolError(message.payload.code, {
            request_id: message.request_id,
            detail: message.payload.detail
          })
        })
        return true
    }
  }

  /** Ends one request locally (e.g. it could not be sent). */
  fail(requestId: string, error: ProtocolError): void {
    this.#finish(requestId, { error })
  }

  failAll(error: ProtocolError): void {
    for (const id of [...this.#entries.keys()]) this.#finish(id, { error })
  }

  /** The app went to the background: no timer stays armed until resume(). */
  pause(): void {
    this.#paused = true
    for (const entry of this.#entries.values()) clearTimeout(entry.timer)
  }

  resume(): void {
    this.#paused = false
    for (const [id, entry] of this.#entries) {
      entry.lastHeard = Date.now()
      this.#arm(id, entry)
    }
  }

  #finish(requestId: string, outcome: Parameters<ChatRequest['_end']>[0]): void {
    const entry = this.#entries.get(requestId)
    if (!entry) return
    clearTimeout(entry.timer)
    this.#entries.delete(requestId)
    entry.request._end(outcome)
  }

  #arm(requestId: string, entry: Entry): void {
    clearTimeout(entry.timer)
    const check = () => {
      const quietFor = Date.now() - entry.lastHeard
      if (quietFor < this.#timeoutMs) {
        entry.timer = setTimeout(check, this.#timeoutMs - quietFor)
        return
      }
      this.#finish(requestId, { error: protocolError('TIMEOUT_NO_RESPONSE') })
      this.#timedOut(requestId)
    }
    entry.timer = setTimeout(check, this.#timeoutMs)
  }
}
