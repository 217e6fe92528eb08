// One reply being generated and sent, once the model is loaded, the slot is held and the
// prompt is "evaluated": the paced tokens, the done line with its metrics, and any scripted
// failure, written exactly as Ollama writes them.
//
//   await new Generation({ res, record, request, script, … }).run()   // rejects when cancelled
//
// Headers go out with the first token and not before (stream: false sends everything at the
// end). At tokensPerSecond 0 it writes batches of lines per event-loop turn but waits for
// 'drain' when the socket is full, and it checks for cancellation before every write, so a
// client that goes away gets at most the batch already in flight.

import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import type { ChatRequest } from './chat-request.js'
import { NDJSON_TYPE, sendError, sendJson } from './http-io.js'
import type { InstalledModel } from './models.js'
import { now, type Outcome, type RequestLog, type RequestRecord } from './request-log.js'
import type { Settings } from './script.js'
import { countPromptTokens, replyTokens, splitTokens, type TokenSequence } from './tokens.js'

const FAST_BATCH = 256
const ENDLESS_WRITE_BYTES = 64 * 1024

export interface GenerationInput {
  res: ServerResponse
  record: RequestRecord
  log: RequestLog
  /** Aborts when the client goes away or the stand-in closes. */
  signal: AbortSignal
  request: ChatRequest
  model: InstalledModel
  script: Settings
  /** When the model was ready and when this request got the slot (epoch ms). */
  loadedAt: number
  startedAt: number
  /** Called just before the response is ended on purpose, so 'close' is not a cancel. */
  settle: () => void
  onFirstToken: () => void
}

export class Generation {
  readonly #in: GenerationInput
  readonly #thinking: string[]
  readonly #content: TokenSequence
  readonly #total: number
  readonly #doneReason: string
  #sent = 0
  #firstTokenAt: number | null = null
  #thinkingText = ''
  #contentText = ''

  constructor(input: GenerationInput) {
    this.#in = input
    const { request, model, script } = input
    this.#thinking = model.thinking && request.think !== false ? splitTokens(script.thinking) : []
    this.#content = replyTokens(script.reply, script.tokens)
    const total = this.#thinking.length + this.#content.length
    const limited =
      !script.ignoreNumPredict && request.numPredict !== null && request.numPredict < total
    this.#total = limited ? (request.numPredict as number) : total
    this.#doneReason = limited ? 'length' : script.doneReason
  }

  async run(): Promise<void> {
    const failure = this.#in.script.failure
    if (failure?.kind === 'status')
      return this.#errorBeforeFirstToken(failure.status, failure.error)
    const stopAt = failure ? Math.min(failure.afterTokens, this.#total) : this.#total
    // Ollama turns an error that comes before any chunk into a status, not a 200 line.
    if (failure?.kind === 'error-line' && stopAt === 0) {
      return this.#errorBeforeFirstToken(500, failure.error)
    }
    await this.#produce(stopAt)
    if (!failure) return this.#done()
    switch (failure.kind) {
      case 'error-line':
        return this.#errorLine(failure.error)
      case 'stall':
        return this.#stall()
      case 'drop':
        return this.#drop()
      case 'truncate':
        return this.#truncate()
      case 'endless-line':
        return this.#endlessLine()
    }
  }

  // Produces tokens [sent, stopAt): paced, in batches when unpaced, honouring backpressure.
  async #produce(stopAt: number): Promise<void> {
    const { signal, script, res, request } = this.#in
    const intervalMs = script.tokensPerSecond > 0 ? 1000 / script.tokensPerSecond : 0
    while (this.#sent < stopAt) {
      let count: number
      if (intervalMs === 0) {
        count = Math.min(FAST_BATCH, stopAt - this.#sent)
      } else if (this.#firstTokenAt === null) {
        count = 1
      } else {
        // Token i is due intervalMs * i after the first; a late timer catches up in one write.
        const due = (i: number) => (this.#firstTokenAt as number) + i * intervalMs
        const wait = due(this.#sent) - now()
        if (wait > 0) await sleep(wait, undefined, { signal })
        count = 1
        while (this.#sent + count < stopAt && due(this.#sent + count) <= now()) count++
      }
      signal.throwIfAborted()
      const writable = this.#emit(count)
      // A full socket waits for 'drain'; otherwise an unpaced reply still yields each batch,
      // so a client's 'close' gets through between batches.
      if (request.stream && !writable) await once(res, 'drain', { signal })
      else if (intervalMs === 0) await nextTurn(undefined, { signal })
    }
  }

  // Writes (or, for stream: false, keeps) the next `count` tokens; false when the socket is full.
  #emit(count: number): boolean {
    const { res, record, log, request } = this.#in
    const createdAt = new Date().toISOString()
    let lines = ''
    for (let i = 0; i < count; i++) {
      const index = this.#sent + i
      const thinking = index < this.#thinking.length
      const token = thinking
        ? (this.#thinking[index] as string)
        : this.#content.at(index - this.#thinking.length)
      if (!request.stream) {
        if (thinking) this.#thinkingText += token
        else this.#contentText += token
        continue
      }
      const message = thinking
        ? { role: 'assistant', content: '', thinking: token }
        : { role: 'assistant', content: token }
      lines += JSON.stringify({ model: request.model, created_at: createdAt, message, done: false })
      lines += '\n'
    }
    const first = this.#firstTokenAt === null
    if (first) {
      this.#firstTokenAt = now()
      record.firstTokenAt = this.#firstTokenAt
      record.state = 'generating'
    }
    let writable = true
    if (request.stream) {
      if (first) this.#writeStreamHead()
      writable = res.write(lines)
    }
    this.#sent += count
    record.tokensSent = this.#sent
    // Always 0: cancellation is checked before every write. Here to prove that it is.
    if (record.cancelledAt !== null) record.tokensAfterCancel += count
    log.changed()
    if (first) this.#in.onFirstToken()
    return writable
  }

  #writeStreamHead(): void {
    const { res, record } = this.#in
    res.writeHead(200, { 'Content-Type': NDJSON_TYPE })
    record.headersSentAt = now()
    record.status = 200
  }

  #done(): void {
    const { res, request } = this.#in
    const last = {
      model: request.model,
      created_at: new Date().toISOString(),
      message: this.#message(),
      done: true,
      done_reason: this.#doneReason,
      ...this.#metrics()
    }
    this.#in.record.doneReason = this.#doneReason
    this.#end('completed')
    if (request.stream) {
      if (this.#firstTokenAt === null) this.#writeStreamHead()
      res.end(JSON.stringify(last) + '\n')
    } else {
      this.#sendWhole(last)
    }
  }

  #errorBeforeFirstToken(status: number, error: string): void {
    this.#end('error_before_first_token', error)
    this.#in.record.status = status
    this.#in.record.headersSentAt = now()
    sendError(this.#in.res, status, error)
  }

  #errorLine(error: string): void {
    const { res, request, record } = this.#in
    this.#end('error_mid_stream', error)
    if (!request.stream) {
      // Nothing was sent yet, so the client gets the error as a status, as from Ollama.
      record.status = 500
      record.headersSentAt = now()
      sendError(res, 500, error)
      return
    }
    res.end(JSON.stringify({ error }) + '\n')
  }

  async #stall(): Promise<void> {
    const { record, log, signal } = this.#in
    record.outcome = 'stalled'
    record.state = 'stalled'
    log.changed()
    // Nothing more is sent; the socket stays open until the client or close() ends it.
    if (!signal.aborted) await once(signal, 'abort')
    signal.throwIfAborted()
  }

  // A line that never ends: a chunk's opening, then the same 64 KiB of string content again
  // and again (no newline ever), as fast as the client reads, until it goes away.
  async #endlessLine(): Promise<void> {
    const { res, record, log, signal, request } = this.#in
    record.outcome = 'endless_line'
    log.changed()
    if (this.#firstTokenAt === null) this.#writeStreamHead()
    const head = `{"model":${JSON.stringify(request.model)},"message":{"role":"assistant","content":"`
    const filler = Buffer.alloc(ENDLESS_WRITE_BYTES, 'a')
    let writable = res.write(head)
    for (;;) {
      if (!writable) await once(res, 'drain', { signal })
      signal.throwIfAborted()
      record.bytesSent += filler.length
      writable = res.write(filler)
    }
  }

  #drop(): void {
    this.#end('dropped')
    this.#in.res.destroy()
  }

  // The stream ends cleanly with no done line; stream: false gets the last chunk, done false.
  #truncate(): void {
    const { res, request } = this.#in
    this.#end('truncated')
    if (request.stream) {
      if (this.#firstTokenAt === null) this.#writeStreamHead()
      res.end()
      return
    }
    const last = {
      model: request.model,
      created_at: new Date().toISOString(),
      message: this.#message(),
      done: false
    }
    this.#sendWhole(last)
  }

  #sendWhole(body: unknown): void {
    this.#in.record.status = 200
    this.#in.record.headersSentAt = now()
    sendJson(this.#in.res, 200, body)
  }

  #message(): Record<string, string> {
    if (this.#in.request.stream) return { role: 'assistant', content: '' }
    const message: Record<string, string> = { role: 'assistant', content: this.#contentText }
    if (this.#thinkingText !== '') message.thinking = this.#thinkingText
    return message
  }

  // Integer nanoseconds; zero fields are left out, as Go's omitempty does.
  #metrics(): Record<string, number> {
    const { record, loadedAt, startedAt, request } = this.#in
    const end = now()
    const firstTokenAt = this.#firstTokenAt ?? end
    const metrics: Record<string, number> = {
      total_duration: ns(end - record.receivedAt),
      load_duration: ns(loadedAt - record.receivedAt),
      prompt_eval_count: countPromptTokens(request.messages.map((message) => message.content)),
      prompt_eval_duration: ns(firstTokenAt - startedAt),
      eval_count: this.#sent,
      eval_duration: ns(end - firstTokenAt)
    }
    for (const [key, value] of Object.entries(metrics)) if (value <= 0) delete metrics[key]
    return metrics
  }

  #end(outcome: Outcome, error: string | null = null): void {
    this.#in.record.outcome = outcome
    this.#in.record.error = error
    this.#in.settle()
  }
}

function ns(ms: number): number {
  return Math.max(0, Math.round(ms * 1e6))
}
