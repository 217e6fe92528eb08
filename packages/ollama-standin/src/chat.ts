// POST /api/chat from request to record: decode and check it, load the model (cold load),
// wait for the model's slot, "evaluate the prompt" (first-token delay), then hand over to
// Generation. Every step logs where the request is, and every wait ends at once when the
// client goes away, which is how a cancel stops generation within one token.
//
//   await handleChat(req, res, context)   // the stand-in supplies context: models, gates, log
//
// A one-shot script is taken only once the request is known to generate (valid, model
// installed, messages not empty), so a rejected request never uses up a scripted one.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseChatRequest, promptOf, type ChatRequest } from './chat-request.js'
import type { FifoGate, Release } from './fifo-gate.js'
import { Generation } from './generation.js'
import { readBody, sendError, sendJson } from './http-io.js'
import type { ModelLoader } from './model-loader.js'
import { isValidModelName, type InstalledModel, type ModelCatalog } from './models.js'
import {
  now,
  type Outcome,
  type RequestLog,
  type RequestRecord,
  type RequestState
} from './request-log.js'
import type { Settings } from './script.js'

export type RequestEventName = 'request' | 'first-token' | 'end' | 'cancel'

export interface ChatContext {
  readonly catalog: ModelCatalog
  readonly loader: ModelLoader
  /** Requests that carry messages (and requests too broken to tell). */
  readonly log: RequestLog
  /** Requests with empty `messages`: loads and unloads. */
  readonly loads: RequestLog
  /** Aborts when the stand-in closes. */
  readonly closing: AbortSignal
  /** The settings every request gets. */
  settings(): Settings
  /** The settings with the next one-shot script laid over them, which is used up. */
  takeScript(): Settings
  gate(model: string): FifoGate
  emit(event: RequestEventName, record: RequestRecord): void
}

export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  context: ChatContext
): Promise<void> {
  const receivedAt = now()
  const exchange = new Exchange(res, context)
  const parsed = parseChatRequest(await readBody(req))
  const request = parsed.ok ? parsed.request : null
  const log = request?.messages.length === 0 ? context.loads : context.log
  const record = log.open({
    model: request?.model ?? (parsed.ok ? null : parsed.model),
    prompt: request ? promptOf(request.messages) : '',
    messageCount: request?.messages.length ?? 0,
    messages: request?.messages.map(({ role, content }) => ({ role, content })) ?? [],
    think: request?.think ?? null,
    keepAliveMs: request?.keepAliveMs ?? null,
    stream: request?.stream ?? true,
    options: request?.options ?? {},
    receivedAt
  })
  exchange.begin(record, log)

  if (!parsed.ok) return exchange.reject(parsed.status, parsed.error)
  const { request: chat } = parsed
  if (!isValidModelName(chat.model)) return exchange.reject(400, 'invalid model name')
  const model = context.catalog.find(chat.model)
  if (!model) return exchange.reject(404, `model '${chat.model}' not found`)
  if (chat.think !== null && chat.think !== false && !model.thinking) {
    return exchange.reject(400, `${JSON.stringify(chat.model)} does not support thinking`)
  }
  if (chat.messages.length === 0) return exchange.loadOnly(chat, model)
  return exchange.generate(chat, model)
}

// One request's side of the conversation with its client: cancellation, record, reply.
class Exchange {
  readonly #res: ServerResponse
  readonly #context: ChatContext
  readonly #cancel = new AbortController()
  /** Aborts on a cancel or when the stand-in closes. */
  readonly #stop = new AbortController()
  readonly #signal = this.#stop.signal
  #settled = false
  #record: RequestRecord | null = null
  #log: RequestLog

  constructor(res: ServerResponse, context: ChatContext) {
    this.#res = res
    this.#context = context
    this.#log = context.log
    // Not AbortSignal.any: `closing` lives as long as the stand-in, and on Node 20 each call
    // leaves an entry in it that is never removed (nodejs/node#55351). Unlinked at 'close'.
    const { closing } = context
    const onClosing = () => this.#stop.abort(closing.reason)
    if (closing.aborted) onClosing()
    else closing.addEventListener('abort', onClosing, { once: true })
    const cancel = this.#cancel.signal
    cancel.addEventListener('abort', () => this.#stop.abort(cancel.reason), { once: true })
    // 'close' comes after a finished response too; only an unfinished one is a cancel.
    res.once('close', () => {
      closing.removeEventListener('abort', onClosing)
      if (!this.#settled) this.#cancel.abort()
    })
  }

  // The body is read and logged: say so, then report a cancel (even one already seen).
  begin(record: RequestRecord, log: RequestLog): void {
    this.#record = record
    this.#log = log
    this.#context.emit('request', record)
    const onCancel = () => {
      record.cancelledAt = now()
      this.#log.changed()
      this.#context.emit('cancel', record)
    }
    if (this.#cancel.signal.aborted) onCancel()
    else this.#cancel.signal.addEventListener('abort', onCancel, { once: true })
  }

  reject(status: number, error: string): void {
    const record = this.#mustRecord()
    record.status = status
    record.headersSentAt = now()
    this.#settle()
    sendError(this.#res, status, error)
    this.#finish('rejected', error)
  }

  // Empty `messages`: load the model (or unload it, with keep_alive 0) and say so.
  async loadOnly(chat: ChatRequest, model: InstalledModel): Promise<void> {
    const { loader } = this.#context
    const unload = chat.keepAliveMs === 0
    if (unload) {
      loader.unload(model.name)
    } else {
      loader.hold(model.name)
      try {
        await loader.load(model.name, this.#context.settings().loadDelayMs, this.#signal)
      } catch (err) {
        return this.#ended(err)
      } finally {
        loader.release(model.name, chat.keepAliveMs)
      }
    }
    const record = this.#mustRecord()
    record.status = 200
    record.headersSentAt = now()
    record.doneReason = unload ? 'unload' : 'load'
    this.#settle()
    sendJson(this.#res, 200, {
      model: chat.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: record.doneReason
    })
    this.#finish('completed')
  }

  async generate(chat: ChatRequest, model: InstalledModel): Promise<void> {
    const { loader } = this.#context
    const log = this.#log
    const record = this.#mustRecord()
    const script = this.#context.takeScript()
    let release: Release | null = null
    loader.hold(model.name)
    try {
      if (!loader.isLoaded(model.name)) this.#setState('loading')
      await loader.load(model.name, script.loadDelayMs, this.#signal)
      const loadedAt = now()
      this.#setState('queued')
      release = await this.#context.gate(model.name).acquire(this.#signal)
      const startedAt = now()
      this.#setState('evaluating')
      if (script.firstTokenDelayMs > 0) {
        await sleep(script.firstTokenDelayMs, undefined, { signal: this.#signal })
      }
      this.#signal.throwIfAborted()
      await new Generation({
        res: this.#res,
        record,
        log,
        signal: this.#signal,
        request: chat,
        model,
        script,
        loadedAt,
        startedAt,
        settle: () => this.#settle(),
        onFirstToken: () => this.#context.emit('first-token', record)
      }).run()
      this.#finish(record.outcome ?? 'completed', record.error)
    } catch (err) {
      this.#ended(err)
    } finally {
      release?.()
      loader.release(model.name, chat.keepAliveMs)
    }
  }

  // A wait or write ended by an abort: the client left (or the stand-in closed). Anything
  // else is a bug here, which the server's handler turns into a 500.
  #ended(err: unknown): void {
    const record = this.#mustRecord()
    if (!this.#signal.aborted) {
      const outcome = record.firstTokenAt === null ? 'error_before_first_token' : 'error_mid_stream'
      this.#finish(outcome, `stand-in bug: ${(err as Error).message}`)
      throw err
    }
    // The stand-in closing is not the client's doing; its socket is about to be destroyed.
    if (!this.#cancel.signal.aborted) this.#res.destroy()
    // A stall or an endless line ends only when the client goes: that is still what it was.
    const kept = record.outcome === 'stalled' || record.outcome === 'endless_line'
    this.#finish(kept ? (record.outcome as Outcome) : 'cancelled', record.error)
  }

  #setState(state: RequestState): void {
    this.#mustRecord().state = state
    this.#log.changed()
  }

  #settle(): void {
    this.#settled = true
  }

  #finish(outcome: Outcome, error: string | null = null): void {
    const record = this.#mustRecord()
    record.outcome = outcome
    record.error = error
    record.state = 'done'
    record.active = false
    record.endedAt = now()
    this.#log.changed()
    this.#context.emit('end', record)
  }

  #mustRecord(): RequestRecord {
    if (!this.#record) throw new Error('Exchange used before begin()')
    return this.#record
  }
}
