// Everything the host asks of Ollama, through the official `ollama` client (pinned to
// 0.6.3), with Ollama's failures turned into protocol error codes.
//
//   const ollama = new OllamaAdapter({ url: 'http://127.0.0.1:11434' })
//   const gen = ollama.generate('llama3.2', 'Hi', (text) => send(text))
//   const result = await gen.result     // settles only once the HTTP response is closed
//   gen.abort()                          // works during a model load too
//
// The client's own abort() exists only once headers arrive, and Ollama sends none until
// the first token, so a model load could not be cancelled through it. Instead every request
// goes through a `fetch` that also listens to our AbortController, and the controller is
// aborted in `finally`, because leaving a `for await` early does not close the stream.

import { Ollama, type ChatResponse } from 'ollama'
import {
  LIMITS,
  protocolError,
  type ChatStats,
  type FinishReason,
  type ProtocolError
} from '@localllm/protocol'

/** One message of the conversation Ollama is given. */
export interface ChatMessage {
  role: 'user' | 'assistant'
  content: string
}

/** Where a reply is cut (finish_reason `length`): pieces, and wall time from the request. */
export interface ReplyCaps {
  maxTokens?: number
  maxMs?: number
}

interface Progress {
  started: number
  firstTokenAt: number | undefined
  tokens: number
}

/** What one streamed line carried: answer text, reasoning, or both. */
export interface Piece {
  text?: string
  thinking?: string
}

export type GenerationResult =
  | { outcome: 'completed'; finishReason: FinishReason; stats: ChatStats }
  | { outcome: 'aborted' }
  | { outcome: 'failed'; error: ProtocolError }

export interface Generation {
  /** Settles once Ollama's HTTP response is closed, whatever happened. Never rejects. */
  readonly result: Promise<GenerationResult>
  abort(): void
}

export type HealthResult = { ok: true; version: string } | { ok: false; error: ProtocolError }
export type ModelsResult = { ok: true; models: string[] } | { ok: false; error: ProtocolError }

export interface OllamaAdapterOptions {
  /** Base URL, e.g. from resolveOllamaUrl(process.env.OLLAMA_HOST). */
  url: string
  /** Ollama silent this long during a generation is GENERATION_FAILED. */
  stallMs?: number
  /** Health and model-list requests give up after this long. */
  requestTimeoutMs?: number
}

// Codes that mean nothing is listening there; a reset or a close mid-way is Ollama failing.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

export class OllamaAdapter {
  readonly url: string
  readonly #stallMs: number
  readonly #requestTimeoutMs: number

  constructor(options: OllamaAdapterOptions) {
    this.url = options.url
    this.#stallMs = options.stallMs ?? LIMITS.generationStallMs
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5000
  }

  /** GET /api/version. */
  async health(): Promise<HealthResult> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#requestTimeoutMs)
    try {
      const { version } = await this.#client(controller).version()
      return { ok: true, version }
    } catch (err) {
      return { ok: false, error: classify(err, false) }
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  }

  /** GET /api/tags: installed model names, as Ollama lists them (newest first). */
  async models(): Promise<ModelsResult> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#requestTimeoutMs)
    try {
      const { models } = await this.#client(controller).list()
      return { ok: true, models: models.map((m) => m.name) }
    } catch (err) {
      return { ok: false, error: classify(err, false) }
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  }

  /**
   * POST /api/chat, streaming: the conversation so far, then the prompt. `onPiece` gets each
   * non-empty piece of answer text or of a thinking model's reasoning. A reply that reaches
   * `caps.maxTokens` pieces or `caps.maxMs` is cut there and completes with `length`.
   */
  generate(
    model: string,
    messages: ChatMessage[],
    onPiece: (piece: Piece) => void,
    caps: ReplyCaps = {}
  ): Generation {
    const controller = new AbortController()
    const progress: Progress = { started: Date.now(), firstTokenAt: undefined, tokens: 0 }
    let reason: 'abort' | 'stall' | 'cap' | undefined
    const stop = (why: 'abort' | 'stall' | 'cap') => {
      reason ??= why
      controller.abort()
    }
    const wallTimer =
      caps.maxMs !== undefined ? setTimeout(() => stop('cap'), caps.maxMs) : undefined
    const counted = (piece: Piece) => {
      onPiece(piece)
      if (caps.maxTokens !== undefined && progress.tokens >= caps.maxTokens) stop('cap')
    }
    const result = this.#run(controller, model, messages, counted, stop, progress, caps)
      .catch((err): GenerationResult => {
        if (reason === 'abort') return { outcome: 'aborted' }
        if (reason === 'stall') return { outcome: 'failed', error: stalled(this.#stallMs) }
        if (reason === 'cap') {
          const ended = Date.now()
          return {
            outcome: 'completed',
            finishReason: 'length',
            stats: {
              prompt_tokens: 0,
              completion_tokens: progress.tokens,
              first_token_ms: (progress.firstTokenAt ?? ended) - progress.started,
              total_ms: ended - progress.started,
              tokens_per_second: 0
            }
          }
        }
        return { outcome: 'failed', error: classify(err, true) }
      })
      .finally(() => clearTimeout(wallTimer))
    return { result, abort: () => stop('abort') }
  }

  async #run(
    controller: AbortController,
    model: string,
    messages: ChatMessage[],
    onPiece: (piece: Piece) => void,
    stop: (why: 'abort' | 'stall') => void,
    progress: Progress,
    caps: ReplyCaps
  ): Promise<GenerationResult> {
    const started = progress.started
    // One timer for the whole request: each line only stamps `lastLine`, and the timer
    // re-arms itself for the time left when it fires (cheaper than a new timer per token).
    let lastLine = Date.now()
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    const checkStall = () => {
      const quietFor = Date.now() - lastLine
      if (quietFor >= this.#stallMs) stop('stall')
      else stallTimer = setTimeout(checkStall, this.#stallMs - quietFor)
    }
    stallTimer = setTimeout(checkStall, this.#stallMs)
    try {
      const stream = await this.#client(controller).chat({
        model,
        messages,
        stream: true,
        ...(caps.maxTokens !== undefined ? { options: { num_predict: caps.maxTokens } } : {})
      })
      let last: ChatResponse | undefined
      for await (const part of stream) {
        lastLine = Date.now()
        const text = part.message?.content
        const thinking = part.message?.thinking
        const piece: Piece = {}
        if (typeof text === 'string' && text.length > 0) piece.text = text
        if (typeof thinking === 'string' && thinking.length > 0) piece.thinking = thinking
        if (piece.text !== undefined || piece.thinking !== undefined) {
          progress.firstTokenAt ??= Date.now()
          progress.tokens++
          onPiece(piece)
        }
        if (part.done) last = part
      }
      if (!last) throw new Error('Did not receive done or success response in stream.')
      const ended = Date.now()
      const evalCount = positive(last.eval_count) ?? progress.tokens
      const evalSeconds = (positive(last.eval_duration) ?? 0) / 1e9
      return {
        outcome: 'completed',
        finishReason: last.done_reason === 'length' ? 'length' : 'stop',
        stats: {
          prompt_tokens: positive(last.prompt_eval_count) ?? 0,
          completion_tokens: evalCount,
          first_token_ms: (progress.firstTokenAt ?? ended) - started,
          total_ms: ended - started,
          tokens_per_second: evalSeconds > 0 ? round(evalCount / evalSeconds) : 0
        }
      }
    } finally {
      clearTimeout(stallTimer)
      controller.abort()
    }
  }

  #client(controller: AbortController): Ollama {
    const merged: typeof fetch = (input, init) => {
      const signal = init?.signal
        ? AbortSignal.any([init.signal, controller.signal])
        : controller.signal
      return fetch(input, { ...init, signal })
    }
    return new Ollama({ host: this.url, fetch: merged })
  }
}

function classify(err: unknown, generating: boolean): ProtocolError {
  const e = err as {
    name?: string
    status_code?: number
    message?: string
    cause?: { code?: string }
  }
  if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
    const detail = `Ollama answered ${e.status_code}: ${e.message ?? ''}`
    if (e.status_code === 404) return protocolError('OLLAMA_MODEL_NOT_AVAILABLE', { detail })
    return protocolError(generating ? 'GENERATION_FAILED' : 'OLLAMA_NOT_FOUND', { detail })
  }
  const code = e?.cause?.code
  if (e?.name === 'TypeError' && e.message === 'fetch failed' && code && UNREACHABLE.has(code)) {
    return protocolError('OLLAMA_NOT_FOUND', {
      detail: `Ollama did not answer (${code ?? 'fetch failed'})`
    })
  }
  if (e?.name === 'AbortError' && !generating) {
    return protocolError('OLLAMA_NOT_FOUND', { detail: 'Ollama did not answer in time' })
  }
  return protocolError('GENERATION_FAILED', { detail: `Ollama: ${e?.message ?? String(err)}` })
}

function stalled(ms: number): ProtocolError {
  return protocolError('GENERATION_FAILED', {
    detail: `Ollama sent nothing for ${Math.round(ms / 1000)} s`
  })
}

function positive(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : undefined
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
