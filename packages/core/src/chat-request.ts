// One prompt's life on the client: chunks as they come, then exactly one terminal result.
//
//   const req = session.send('Explain qubits')
//   req.on('chunk', (text) => render(text))
//   const result = await req.result        // { ok: true, stats, … } or { ok: false, error, … }
//   for await (const text of req) …        // or iterate the chunks
//   req.abort()                            // the host answers GENERATION_ABORTED
//
// Anything for this request that arrives after the terminal result is dropped.

import EventEmitter from 'bare-events'
import type { ChatState, ChatStats, FinishReason, ProtocolError } from '@localllm/protocol'

export type ChatResult =
  | { ok: true; requestId: string; text: string; finishReason: FinishReason; stats: ChatStats }
  | { ok: false; requestId: string; text: string; error: ProtocolError }

interface ChatRequestEvents {
  chunk: [text: string]
  status: [state: ChatState]
  end: [result: ChatResult]
}

export class ChatRequest extends EventEmitter<ChatRequestEvents> {
  readonly id: string
  readonly prompt: string
  readonly result: Promise<ChatResult>
  readonly #abort: (request: ChatRequest) => void
  #resolve!: (result: ChatResult) => void
  #text = ''
  #done: ChatResult | undefined
  #queue: string[] = []
  #wakeIterator: (() => void) | undefined

  constructor(id: string, prompt: string, abort: (request: ChatRequest) => void) {
    super()
    this.id = id
    this.prompt = prompt
    this.#abort = abort
    this.result = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  /** The reply so far. */
  get text(): string {
    return this.#text
  }

  get done(): boolean {
    return this.#done !== undefined
  }

  /** Asks the host to stop; the result becomes GENERATION_ABORTED (or whatever came first). */
  abort(): void {
    if (!this.#done) this.#abort(this)
  }

  /** @internal Fed by the session. Ignored once the request has ended. */
  _chunk(text: string): void {
    if (this.#done) return
    this.#text += text
    this.#queue.push(text)
    this.#wakeIterator?.()
    this.emit('chunk', text)
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
            error: { ...outcome.error, request_id: this.id }
          }
        : { ok: true, requestId: this.id, text: this.#text, ...outcome }
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
