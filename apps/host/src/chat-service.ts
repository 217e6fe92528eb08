// Runs `chat_start` requests: the gate, the Ollama generation, `chat_status` while Ollama
// is silent, and exactly one terminal message per request, sent only after Ollama's HTTP
// response has closed and the gate is free.
//
//   const service = new ChatService({ ollama, gate, model: () => settings.model, log })
//   service.start(client, chatStart)     // client.send(...) receives chunks and the end
//   service.abort(client, 'req-1')       // GENERATION_ABORTED once Ollama's request closed
//   service.dropClient(client)           // connection gone: cancel at once, send nothing
//   await service.close()                // stop: every running request ends, then resolves
//
// Fair use: a reply is cut at the reply caps (`length`), and a device whose reply just
// ended waits `turnGraceMs` before its next one starts if another device was turned away
// while it ran, so one device cannot keep the gate by asking again the moment it frees.
// Everything sent is checked first (outgoing.ts): text is split by its escaped size, and a
// message that still fails its schema is not sent; its request ends with GENERATION_FAILED.

import {
  LIMITS,
  errorMessage,
  protocolError,
  utf8ByteLength,
  type ChatStart,
  type ClientBoundMessage,
  type ProtocolError
} from '@localllm/protocol'
import { splitByEncodedSize } from './encoded-split.js'
import type { GenerationGate } from './gate.js'
import { CHUNK_TEXT_BYTES, checkOutgoing } from './outgoing.js'
import type { Generation, OllamaAdapter, ReplyCaps } from './ollama-adapter.js'
import type { Logger } from './logger.js'

/** What the service needs of a connected client. */
export interface ChatClient {
  /** This connection, for logs. */
  readonly id: string
  /** The device (its key): what fair use is counted by. */
  readonly deviceKey: string
  send(message: ClientBoundMessage): boolean
  /** Its reply ended (however): idle time counts from now. */
  replied?(): void
}

interface ActiveRequest {
  client: ChatClient
  requestId: string
  generation: Generation
  aborted: boolean
  /** When the abort (or the client leaving) was seen, to report how long the gate stayed held. */
  stopRequestedAt: number | undefined
  dropped: boolean
  /** The host is stopping: end with GENERATION_ABORTED once Ollama closed. */
  stopping: boolean
  statusTimer: ReturnType<typeof setInterval> | undefined
  /** Why a message for this request could not be sent (it then ends GENERATION_FAILED). */
  unsendable: string | undefined
}

export interface ChatServiceOptions {
  ollama: OllamaAdapter
  gate: GenerationGate
  /** The model to use right now; undefined when none is selected. */
  model: () => string | undefined
  log: Logger
  chatStatusIntervalMs?: number
  /** Where a reply is cut (`finish_reason: length`). */
  replyCaps?: ReplyCaps
  /** How long a device that just had a reply waits when another device is waiting. */
  turnGraceMs?: number
}

/** The default reply caps: long enough for any real answer, short of holding the host. */
export const DEFAULT_REPLY_CAPS = { maxTokens: 4096, maxMs: 5 * 60_000 } as const
const DEFAULT_TURN_GRACE_MS = 2000

export class ChatService {
  readonly #options: ChatServiceOptions
  readonly #active = new Map<string, ActiveRequest>()
  readonly #settled = new Set<Promise<void>>()
  /** Devices turned away (MODEL_BUSY) while the current reply runs. */
  readonly #waiting = new Set<string>()
  /** The device whose reply ended last, when someone else was waiting for it. */
  #lastTurn: { deviceKey: string; endedAt: number } | undefined
  #closing = false

  constructor(options: ChatServiceOptions) {
    this.#options = options
  }

  /** Requests running now (0 or 1, since the gate allows one). */
  get activeCount(): number {
    return this.#active.size
  }

  /** Whether this device has a reply running now. */
  isAnswering(deviceKey: string): boolean {
    for (const active of this.#active.values()) {
      if (active.client.deviceKey === deviceKey) return true
    }
    return false
  }

  /** Runs a chat_start; false when it was refused (busy, bad, no model). */
  start(client: ChatClient, message: ChatStart): boolean {
    const requestId = message.request_id
    const key = keyOf(client, requestId)
    const { gate, log } = this.#options
    if (this.#active.has(key)) {
      // Sent without the id: that request's single terminal message is still to come.
      this.#reply(
        client,
        protocolError('BAD_MESSAGE', {
          detail: `request_id "${requestId}" is already in use by an active request`
        })
      )
      return false
    }
    if (this.#closing) {
      this.#reply(
        client,
        protocolError('GENERATION_ABORTED', {
          request_id: requestId,
          detail: 'the host is stopping'
        })
      )
      return false
    }
    const model = this.#options.model()
    if (!model) {
      this.#reply(
        client,
        protocolError('OLLAMA_MODEL_NOT_AVAILABLE', {
          request_id: requestId,
          detail: 'no model is selected on the host'
        })
      )
      return false
    }
    const grace = this.#options.turnGraceMs ?? DEFAULT_TURN_GRACE_MS
    const last = this.#lastTurn
    const othersFirst =
      last !== undefined && last.deviceKey === client.deviceKey && Date.now() - last.endedAt < grace
    const release = othersFirst ? undefined : gate.acquire(requestId)
    if (!release) {
      log.debug(
        { client: client.id, request_id: requestId, holder: gate.holder, othersFirst },
        'busy: refused chat_start'
      )
      if (!othersFirst) this.#waiting.add(client.deviceKey)
      this.#reply(
        client,
        protocolError('MODEL_BUSY', {
          request_id: requestId,
          ...(othersFirst ? { detail: 'another device is waiting for its turn' } : {})
        })
      )
      return false
    }
    this.#lastTurn = undefined
    this.#waiting.clear()

    log.info(
      {
        client: client.id,
        request_id: requestId,
        model,
        prompt_bytes: utf8ByteLength(message.payload.prompt),
        history_turns: message.payload.history?.length ?? 0
      },
      'generation started'
    )
    log.debug({ request_id: requestId, prompt: message.payload.prompt }, 'prompt')
    let produced = false
    // The host keeps nothing: the conversation comes with every request.
    const messages = [
      ...(message.payload.history ?? []),
      { role: 'user' as const, content: message.payload.prompt }
    ]
    const caps = this.#options.replyCaps ?? DEFAULT_REPLY_CAPS
    const generation = this.#options.ollama.generate(
      model,
      messages,
      (piece) => {
        if (!produced) {
          produced = true
          clearInterval(active.statusTimer)
          active.statusTimer = undefined
        }
        if (active.aborted || active.dropped || active.unsendable) return
        // Reasoning first, and never in the same chunk as answer text.
        if (piece.thinking) {
          for (const part of splitByEncodedSize(piece.thinking, CHUNK_TEXT_BYTES)) {
            this.#sendFor(active, {
              type: 'chat_chunk',
              request_id: requestId,
              payload: { thinking: part }
            })
          }
        }
        if (piece.text) {
          for (const part of splitByEncodedSize(piece.text, CHUNK_TEXT_BYTES)) {
            this.#sendFor(active, {
              type: 'chat_chunk',
              request_id: requestId,
              payload: { text: part }
            })
          }
        }
      },
      caps
    )
    const active: ActiveRequest = {
      client,
      requestId,
      generation,
      aborted: false,
      stopRequestedAt: undefined,
      dropped: false,
      stopping: false,
      statusTimer: undefined,
      unsendable: undefined
    }
    active.statusTimer = setInterval(() => {
      if (!produced && !active.aborted && !active.dropped) {
        this.#sendFor(active, {
          type: 'chat_status',
          request_id: requestId,
          payload: { state: 'loading_model' }
        })
      }
    }, this.#options.chatStatusIntervalMs ?? LIMITS.chatStatusIntervalMs)
    this.#active.set(key, active)

    const settled = generation.result.then((result) => {
      clearInterval(active.statusTimer)
      this.#active.delete(key)
      client.replied?.()
      // Others were turned away while this ran: they go first for a moment.
      if ([...this.#waiting].some((device) => device !== client.deviceKey)) {
        this.#lastTurn = { deviceKey: client.deviceKey, endedAt: Date.now() }
      }
      release()
      const releasedAfter =
        active.stopRequestedAt === undefined ? undefined : Date.now() - active.stopRequestedAt
      if (active.dropped) {
        log.info(
          { request_id: requestId, stop_to_release_ms: releasedAfter },
          'generation cancelled: client left'
        )
        return
      }
      if (active.stopping && !active.aborted) {
        log.info({ request_id: requestId }, 'generation ended: the host is stopping')
        this.#reply(
          client,
          protocolError('GENERATION_ABORTED', {
            request_id: requestId,
            detail: 'the host is stopping'
          })
        )
      } else if (active.unsendable !== undefined) {
        log.error(
          { request_id: requestId, detail: active.unsendable },
          'generation failed: the host would have sent an invalid message'
        )
        this.#reply(
          client,
          protocolError('GENERATION_FAILED', {
            request_id: requestId,
            detail: `the host stopped a reply it could not send: ${active.unsendable}`
          })
        )
      } else if (active.aborted || result.outcome === 'aborted') {
        log.info({ request_id: requestId, stop_to_release_ms: releasedAfter }, 'generation aborted')
        this.#reply(client, protocolError('GENERATION_ABORTED', { request_id: requestId }))
      } else if (result.outcome === 'completed') {
        log.info({ request_id: requestId, ...result.stats }, 'generation finished')
        this.#sendTerminal(client, {
          type: 'chat_end',
          request_id: requestId,
          payload: { finish_reason: result.finishReason, stats: result.stats }
        })
      } else {
        log.warn(
          { request_id: requestId, code: result.error.code, detail: result.error.detail },
          'generation failed'
        )
        this.#reply(client, { ...result.error, request_id: requestId })
      }
    })
    this.#track(settled)
    return true
  }

  /** `abort` from the client; unknown or finished ids are ignored (aborts race chat_end). */
  abort(client: ChatClient, requestId: string): void {
    const active = this.#active.get(keyOf(client, requestId))
    if (!active || active.aborted) return
    active.aborted = true
    active.stopRequestedAt = Date.now()
    active.generation.abort()
  }

  /** The client's connection closed: cancel its request at once; nothing more is sent. */
  dropClient(client: ChatClient): void {
    for (const active of this.#active.values()) {
      if (active.client !== client) continue
      active.dropped = true
      active.stopRequestedAt ??= Date.now()
      active.generation.abort()
    }
  }

  /**
   * Stop: no new request starts; each running one is cancelled and, once its Ollama request
   * is closed, gets its one terminal message (GENERATION_ABORTED). Resolves after that.
   */
  async close(): Promise<void> {
    this.#closing = true
    for (const active of this.#active.values()) {
      active.stopping = true
      active.stopRequestedAt ??= Date.now()
      active.generation.abort()
    }
    await Promise.all([...this.#settled])
  }

  #reply(client: ChatClient, err: ProtocolError): void {
    this.#sendTerminal(client, errorMessage(err))
  }

  /**
   * A chunk or chat_status for a running request, checked first. One that fails is not
   * sent: Ollama is cancelled and the request ends with GENERATION_FAILED (see settled).
   */
  #sendFor(active: ActiveRequest, message: ClientBoundMessage): void {
    if (active.unsendable !== undefined) return
    const checked = checkOutgoing(message)
    if (checked.ok) {
      active.client.send(message)
      return
    }
    active.unsendable = checked.detail
    active.generation.abort()
  }

  /** A terminal message, checked; one that fails becomes GENERATION_FAILED for its request. */
  #sendTerminal(client: ChatClient, message: ClientBoundMessage): void {
    const checked = checkOutgoing(message)
    if (checked.ok) {
      client.send(message)
      return
    }
    this.#options.log.error({ detail: checked.detail }, 'refused to send an invalid message')
    const requestId = 'request_id' in message ? message.request_id : undefined
    const fallback = errorMessage(
      protocolError('GENERATION_FAILED', {
        request_id: requestId,
        detail: `the host stopped a message it could not send: ${checked.detail}`
      })
    )
    if (checkOutgoing(fallback).ok) client.send(fallback)
  }

  #track(p: Promise<void>): void {
    this.#settled.add(p)
    void p.finally(() => this.#settled.delete(p))
  }
}

function keyOf(client: ChatClient, requestId: string): string {
  return `${client.id}\u0000${requestId}`
}
