// One prompt's life on the client: chunks as they come, then exactly one terminal result.
//
//   const req = session.send('And in one sentence?', { history })   // earlier turns, oldest first
//   req.droppedTurns                       // how many of the oldest turns did not fit the line
//   req.on('chunk', (text) => render(text))
//   req.on('thinking', (text) => renderReasoning(text))   // a thinking model's reasoning, apart
//   const result = await req.result        // { ok: true, stats, … } or { ok: false, error, … }
//   for await (const text of req) …        // or iterate the chunks
//   req.abort()                            // the host answers GENERATION_ABORTED
//
// Anything for this request that arrives after the terminal result is dropped.

import EventEmitter from 'bare-events'
import type { ChatState, ChatStats, FinishReason, ProtocolError, Turn } from '@localllm/protocol'

export type ChatResult =
  | {
      ok: true
      requestId: string
      text: string
      thinking: string
      finishReason: FinishReason
      stats: ChatStats
    }
  | { ok: false; requestId: string; text: string; thinking: string; error: ProtocolError }

interface ChatRequestEvents {
  chunk: [text: string]
  thinking: [text: string]
  status: [state: ChatState]
  end: [result: ChatResult]
}

export class ChatRequest extends EventEmitter<ChatRequestEvents> {
  readonly id: string
  readonly prompt: string
  /** The earlier turns sent with the prompt (after dropping what did not fit). */
  readonly history: readonly Turn[]
  /** How many of the oldest turns were left out so the request fits the line limit. */
  readonly droppedTurns: number
  readonly result: Promise<ChatResult>
  readonly #abort: (request: ChatRequest) => void
  #resolve!: (result: ChatResult) => void
  #text = ''
  #thinking = ''
  #done: ChatResult | undefined
  #queue: string[] = []
  #wakeIterator: (() => void) | undefined

  constructor(
    id: string,
    prompt: string,
    abort: (request: ChatRequest) => void,
    sent: { history?: readonly Turn[]; droppedTurns?: number } = {}
  ) {
    super()
    this.id = id
    this.prompt = prompt
    this.history = sent.history ?? []
    this.droppedTurns = sent.droppedTurns ?? 0
    this.#abort = abort
    this.result = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  /** The reply so far. */
  get text(): string {
    return this.#text
  }

  /** The model's reasoning so far (thinking models only). */
  get thinking(): string {
    return this.#thinking
  }

  get done(): boolean {
    return this.#done !== undefined
  }

  /** Asks the host to stop; the result becomes GENERATION_ABORTED (or whatever came first). */
  abort(): void {
    if (!this.#done) this.#abort(this)
  }

  /** @internal Fed by the session. Ignored once the request has ended. */
  _chunk(piece: { text?: string | undefined; thinking?: string | undefined }): void {
    if (this.#done) return
    if (piece.thinking) {
      this.#thinking += piece.thinking
      this.emit('thinking', piece.thinking)
    }
    if (piece.text) {
      this.#text += piece.text
      this.#queue.push(piece.text)
      this.#wakeIterator?.()
      this.emit('chunk', piece.text)
    }
  }

  /** @internal */
  _status(state: ChatState): void {
    if (!this.#done) this.emit('status', state)
  }

  /** @internal The one terminal result; later calls are ignored. */
  _end(outcome: { finishReason: FinishReason; stats: ChatStats } | { error: ProtocolError }): void {
    if (this.#done) return
    const result: ChatResult =
      'error' in outcome
        ? {
            ok: false,
            requestId: this.id,
            text: this.#text,
            thinking: this.#thinking,
            error: { ...outcome.error, request_id: this.id }
          }
        : { ok: true, requestId: this.id, text: this.#text, thinking: this.#thinking, ...outcome }
    this.#done = result
    this.#wakeIterator?.()
    this.#resolve(result)
    this.emit('end', result)
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string, ChatResult> {
    for (;;) {
      const next = this.#queue.shift()
      if (next !== undefined) {
        yield next
        continue
      }
      if (this.#done) return this.#done
      await new Promise<void>((resolve) => {
        this.#wakeIterator = resolve
      })
      this.#wakeIterator = undefined
    }
  }
}
