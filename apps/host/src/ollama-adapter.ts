// Everything the host asks of Ollama, over `fetch`, with Ollama's failures turned into
// protocol error codes and every reply read within a bound (a broken or hostile Ollama must
// not be able to hurt the host).
//
//   const ollama = new OllamaAdapter({ url: 'http://127.0.0.1:11434' })
//   const gen = ollama.generate('llama3.2', messages, (piece) => send(piece), { maxTokens: 4096 })
//   const result = await gen.result     // settles only once the HTTP response is closed
//   gen.abort()                          // works during a model load too
//
// The stream is read by NdjsonLineReader (linear, lines capped at OLLAMA_MAX_LINE_BYTES); other
// replies by readBounded. Every request carries one AbortController, aborted in `finally`, so
// nothing stays open whatever happened; an abort during a model load (no headers yet) works.
// A model whose /api/show lists the `thinking` capability is asked for its reasoning apart
// (`think: true`); any other model is never sent `think` (real Ollama answers 400).

import {
  LIMITS,
  protocolError,
  type ChatStats,
  type FinishReason,
  type ProtocolError
} from '@localllm/protocol'
import { BodyTooLongError, readBounded, readBoundedJson } from './bounded-body.js'
import { BadLineError, LineTooLongError, NdjsonLineReader } from './ndjson-line-reader.js'

/**
 * Longest line of Ollama's stream the host holds. A real line is one token plus the model
 * name and a timestamp (well under 1 KiB; the done line ~400 bytes); a token that escapes to
 * six bytes a character still fits many times over. 1 MiB bounds memory and parse time per
 * line while leaving three orders of magnitude of room; a longer line is GENERATION_FAILED.
 */
export const OLLAMA_MAX_LINE_BYTES = 1024 * 1024
/** Largest non-streamed reply (/api/tags with hundreds of models, /api/show with a license). */
export const OLLAMA_MAX_BODY_BYTES = 4 * 1024 * 1024
/** Largest error body read (its text only goes into `detail`). */
const MAX_ERROR_BODY_BYTES = 64 * 1024

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
export type LoadedResult = { ok: true; models: string[] } | { ok: false; error: ProtocolError }
export type LoadResult = { ok: true; doneReason: string } | { ok: false; error: ProtocolError }

export interface OllamaAdapterOptions {
  /** Base URL, e.g. from resolveOllamaUrl(process.env.OLLAMA_HOST). */
  url: string
  /** Ollama silent this long during a generation is GENERATION_FAILED. */
  stallMs?: number
  /** Health, model-list, show and ps requests give up after this long. */
  requestTimeoutMs?: number
  /** Longest stream line held (tests lower it). */
  maxLineBytes?: number
}

// Codes that mean nothing is listening there; a reset or a close mid-way is Ollama failing.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/** Ollama answered with an error status; `message` is its `{"error"}` text. */
class StatusError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'StatusError'
    this.status = status
  }
}

/** A mid-stream `{"error"}` line. */
class StreamError extends Error {}

export class OllamaAdapter {
  readonly url: string
  readonly #base: string
  readonly #stallMs: number
  readonly #requestTimeoutMs: number
  readonly #maxLineBytes: number
  /** /api/show's answer per model: can it think? */
  readonly #thinks = new Map<string, boolean>()
  /** The installed models and digests last seen; a change forgets #thinks. */
  #catalog = ''

  constructor(options: OllamaAdapterOptions) {
    this.url = options.url
    this.#base = options.url.replace(/\/+$/, '')
    this.#stallMs = options.stallMs ?? LIMITS.generationStallMs
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5000
    this.#maxLineBytes = options.maxLineBytes ?? OLLAMA_MAX_LINE_BYTES
  }

  /** GET /api/version. */
  async health(): Promise<HealthResult> {
    const got = await this.#getJson('GET', '/api/version')
    if (!got.ok) return got
    const version = field(got.value, 'version')
    return { ok: true, version: typeof version === 'string' ? version.slice(0, 64) : '' }
  }

  /** GET /api/tags: installed model names, as Ollama lists them (newest first). */
  async models(): Promise<ModelsResult> {
    const got = await this.#getJson('GET', '/api/tags')
    if (!got.ok) return got
    const list = entries(got.value)
    const catalog = list.map((m) => `${String(m.name)}@${String(m.digest)}`).join('\n')
    if (catalog !== this.#catalog) {
      this.#catalog = catalog
      this.#thinks.clear() // a model pulled again may think now, or no longer
    }
    return { ok: true, models: names(list) }
  }

  /** GET /api/ps: the models loaded in memory now. */
  async loaded(signal?: AbortSignal): Promise<LoadedResult> {
    const got = await this.#getJson('GET', '/api/ps', undefined, signal)
    if (!got.ok) return got
    return { ok: true, models: names(entries(got.value)) }
  }

  /**
   * Whether `model` can think (/api/show lists `thinking` among its capabilities), asked once
   * per model and kept until the model list changes. Undefined when Ollama could not say.
   */
  async canThink(model: string, signal?: AbortSignal): Promise<boolean | undefined> {
    const known = this.#thinks.get(model)
    if (known !== undefined) return known
    const got = await this.#getJson('POST', '/api/show', { model }, signal)
    if (!got.ok) return undefined
    const capabilities = field(got.value, 'capabilities')
    const thinks = Array.isArray(capabilities) && capabilities.includes('thinking')
    this.#thinks.set(model, thinks)
    return thinks
  }

  /**
   * Loads `model` into memory without generating: POST /api/chat with no messages, which
   * Ollama answers with `done_reason: "load"` once the model is in memory. `keepAlive` is
   * Ollama's `keep_alive` (left out: Ollama's own setting).
   */
  async load(
    model: string,
    options: { keepAlive?: string | number; signal?: AbortSignal } = {}
  ): Promise<LoadResult> {
    const controller = new AbortController()
    const unfollow = follow(options.signal, controller)
    try {
      const res = await this.#fetch(
        'POST',
        '/api/chat',
        {
          model,
          messages: [],
          ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {})
        },
        controller.signal
      )
      if (!res.ok) throw await statusError(res)
      const body = await readBoundedJson(res, OLLAMA_MAX_BODY_BYTES)
      const doneReason = field(body, 'done_reason')
      return { ok: true, doneReason: typeof doneReason === 'string' ? doneReason : '' }
    } catch (err) {
      return { ok: false, error: classify(err, false) }
    } finally {
      unfollow()
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
              first_token_ms: Math.max(0, (progress.firstTokenAt ?? ended) - progress.started),
              total_ms: Math.max(0, ended - progress.started),
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
    // One timer for the whole request: each chunk only stamps `lastRead`, and the timer
    // re-arms itself for the time left when it fires (cheaper than a new timer per token).
    let lastRead = Date.now()
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    const checkStall = () => {
      const quietFor = Date.now() - lastRead
      if (quietFor >= this.#stallMs) stop('stall')
      else stallTimer = setTimeout(checkStall, this.#stallMs - quietFor)
    }
    stallTimer = setTimeout(checkStall, this.#stallMs)
    let body: ReadableStreamDefaultReader<Uint8Array> | undefined
    try {
      const think = await this.canThink(model, controller.signal)
      const res = await this.#fetch(
        'POST',
        '/api/chat',
        {
          model,
          messages,
          stream: true,
          ...(think === true ? { think: true } : {}),
          ...(caps.maxTokens !== undefined ? { options: { num_predict: caps.maxTokens } } : {})
        },
        controller.signal
      )
      if (!res.ok) throw await statusError(res)
      if (!res.body) throw new Error('Ollama sent no body')
      body = res.body.getReader()
      const reader = new NdjsonLineReader(this.#maxLineBytes)
      let last: Record<string, unknown> | undefined
      const onLine = (value: unknown) => {
        // Cut (a cap, an abort): the rest of this chunk's lines are not the reply's.
        if (controller.signal.aborted || !isRecord(value)) return
        if (typeof value.error === 'string') throw new StreamError(value.error.slice(0, 1024))
        const message = value.message
        if (isRecord(message)) {
          const piece: Piece = {}
          if (typeof message.content === 'string' && message.content !== '') {
            piece.text = message.content
          }
          if (typeof message.thinking === 'string' && message.thinking !== '') {
            piece.thinking = message.thinking
          }
          if (piece.text !== undefined || piece.thinking !== undefined) {
            progress.firstTokenAt ??= Date.now()
            progress.tokens++
            onPiece(piece)
          }
        }
        if (value.done === true) last = value
      }
      for (;;) {
        // Stopped by a piece (a cap) while reading: do not read again. A read after our own
        // abort was seen never to settle (Node 20's fetch, the reply already complete on the
        // wire), which held the gate for good.
        controller.signal.throwIfAborted()
        const { done, value } = await body.read()
        if (done) break
        lastRead = Date.now()
        reader.push(value, onLine)
      }
      reader.end(onLine)
      body = undefined
      if (!last) throw new Error("Ollama's stream ended without a done line")
      const ended = Date.now()
      const evalCount = count(last.eval_count) ?? progress.tokens
      const evalSeconds = (count(last.eval_duration) ?? 0) / 1e9
      return {
        outcome: 'completed',
        finishReason: last.done_reason === 'length' ? 'length' : 'stop',
        stats: {
          prompt_tokens: count(last.prompt_eval_count) ?? 0,
          completion_tokens: evalCount,
          first_token_ms: Math.max(0, (progress.firstTokenAt ?? ended) - started),
          total_ms: Math.max(0, ended - started),
          tokens_per_second: evalSeconds > 0 ? round(evalCount / evalSeconds) : 0
        }
      }
    } finally {
      clearTimeout(stallTimer)
      controller.abort()
      // Not read to its end (a too-long line, an error line, a cap): close it now.
      void body?.cancel().catch(() => {})
    }
  }

  /** A bounded JSON reply, or the error it became; gives up after requestTimeoutMs. */
  async #getJson(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ProtocolError }> {
    const controller = new AbortController()
    const unfollow = follow(signal, controller)
    const timer = setTimeout(() => controller.abort(), this.#requestTimeoutMs)
    try {
      const res = await this.#fetch(method, path, body, controller.signal)
      if (!res.ok) throw await statusError(res)
      return { ok: true, value: await readBoundedJson(res, OLLAMA_MAX_BODY_BYTES) }
    } catch (err) {
      return { ok: false, error: classify(err, false) }
    } finally {
      clearTimeout(timer)
      unfollow()
      controller.abort()
    }
  }

  #fetch(method: string, path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    return fetch(this.#base + path, {
      method,
      signal,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }
        : {})
    })
  }
}

/**
 * Makes `controller` abort when `outer` does (with its reason), until the returned function
 * unlinks them; the caller unlinks when its request is done. Not AbortSignal.any: `outer` is
 * long-lived (the warm-up's closing signal, asked once per device that joins), and on Node 20
 * every AbortSignal.any call leaves an entry in the outer signal's dependants that is never
 * removed (nodejs/node#55351), so the host's heap grew with every connection.
 */
function follow(outer: AbortSignal | undefined, controller: AbortController): () => void {
  if (!outer) return () => {}
  if (outer.aborted) {
    controller.abort(outer.reason)
    return () => {}
  }
  const onAbort = () => controller.abort(outer.reason)
  outer.addEventListener('abort', onAbort, { once: true })
  return () => outer.removeEventListener('abort', onAbort)
}

/** An error status as a StatusError with Ollama's `{"error"}` text (read within a bound). */
async function statusError(res: Response): Promise<StatusError> {
  let text: string
  try {
    const raw = (await readBounded(res, MAX_ERROR_BODY_BYTES)).toString('utf8')
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      parsed = undefined
    }
    const error = field(parsed, 'error')
    text = typeof error === 'string' ? error : raw
  } catch {
    text = 'an error body too long to read'
  }
  return new StatusError(res.status, text.slice(0, 1024))
}

function classify(err: unknown, generating: boolean): ProtocolError {
  if (err instanceof StatusError) {
    const detail = `Ollama answered ${err.status}: ${err.message}`
    if (err.status === 404) return protocolError('OLLAMA_MODEL_NOT_AVAILABLE', { detail })
    return protocolError(generating ? 'GENERATION_FAILED' : 'OLLAMA_NOT_FOUND', { detail })
  }
  if (err instanceof StreamError) {
    return protocolError('GENERATION_FAILED', { detail: `Ollama: ${err.message}` })
  }
  if (
    err instanceof LineTooLongError ||
    err instanceof BadLineError ||
    err instanceof BodyTooLongError
  ) {
    return protocolError(generating ? 'GENERATION_FAILED' : 'OLLAMA_NOT_FOUND', {
      detail: err.message
    })
  }
  const e = err as { name?: string; message?: string; cause?: { code?: string } }
  const code = e?.cause?.code
  if (e?.name === 'TypeError' && code && UNREACHABLE.has(code)) {
    return protocolError('OLLAMA_NOT_FOUND', { detail: `Ollama did not answer (${code})` })
  }
  if (e?.name === 'AbortError' && !generating) {
    return protocolError('OLLAMA_NOT_FOUND', { detail: 'Ollama did not answer in time' })
  }
  return protocolError('GENERATION_FAILED', {
    detail: `Ollama: ${(e?.message ?? String(err)).slice(0, 1024)}`
  })
}

function stalled(ms: number): ProtocolError {
  return protocolError('GENERATION_FAILED', {
    detail: `Ollama sent nothing for ${Math.round(ms / 1000)} s`
  })
}

/** A count Ollama reported, if it is one the wire can carry (a whole number, > 0, safe). */
function count(n: unknown): number | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined
  return Math.min(Math.round(n), Number.MAX_SAFE_INTEGER)
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined
}

/** The `models` array of /api/tags or /api/ps, objects only. */
function entries(value: unknown): Record<string, unknown>[] {
  const models = field(value, 'models')
  return Array.isArray(models) ? models.filter(isRecord) : []
}

function names(models: Record<string, unknown>[]): string[] {
  return models.flatMap((m) => (typeof m.name === 'string' && m.name !== '' ? [m.name] : []))
}
