// The wire messages, as valibot schemas: the single source for the TypeScript types, the
// validators and the message table in docs/spec.md (scripts/gen-spec.mjs reads them).
//
//   const msg: ClientBoundMessage = { type: 'chat_chunk', request_id: 'r1', payload: { text: 'Hi' } }
//
// Objects are valibot's default `object`, which drops unknown keys: a newer peer may add
// fields and an older one ignores them. Nothing here uses valibot's byte-length actions,
// because they need TextEncoder, which Bare lacks; byte lengths go through b4a instead.

import * as v from 'valibot'
import b4a from 'b4a'
import { LIMITS } from './limits.js'
import { ERROR_CODES, type ProtocolError } from './errors.js'

const requestId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxRequestIdLength))
const shortText = v.pipe(v.string(), v.maxLength(LIMITS.maxNameLength))
const proofHex = v.pipe(
  v.string(),
  v.regex(/^[0-9a-fA-F]{64}$/, 'Invalid proof: Expected 64 hex characters')
)
const publicKeyHex = v.pipe(
  v.string(),
  v.regex(/^[0-9a-f]{64}$/, 'Invalid key: Expected 64 lowercase hex characters')
)
const protocolVersion = v.pipe(v.number(), v.integer(), v.minValue(1))
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0))
const milliseconds = v.pipe(v.number(), v.finite(), v.minValue(0))

/** UTF-8 byte length, the unit of every size limit on the wire. */
export function utf8ByteLength(text: string): number {
  return b4a.byteLength(text, 'utf8')
}

const prompt = v.pipe(
  v.string(),
  v.minLength(1, 'Invalid prompt: Expected at least 1 character'),
  v.check(
    (text) => utf8ByteLength(text) <= LIMITS.maxPromptBytes,
    `Invalid prompt: Expected at most ${LIMITS.maxPromptBytes} UTF-8 bytes`
  )
)

export const HelloSchema = v.object({
  type: v.literal('hello'),
  payload: v.object({
    protocol_version: protocolVersion,
    proof: proofHex,
    client: v.optional(
      v.object({
        name: v.optional(shortText),
        platform: v.optional(shortText),
        version: v.optional(shortText)
      })
    )
  })
})

/** `ready`: a prompt would be answered now; `busy`: someone else is being answered. */
export const HOST_STATUSES = ['ready', 'busy', 'unavailable', 'stopped'] as const
/** Why the host is `unavailable`. */
export const UNAVAILABLE_REASONS = ['ollama_unreachable', 'model_missing', 'no_model'] as const

export const ServerInfoSchema = v.object({
  type: v.literal('server_info'),
  payload: v.object({
    host_name: shortText,
    model: shortText,
    status: v.picklist(HOST_STATUSES),
    /** Present when `status` is `unavailable`. */
    reason: v.optional(v.picklist(UNAVAILABLE_REASONS)),
    protocol_version: protocolVersion,
    limits: v.object({
      max_prompt_bytes: count,
      max_clients: count,
      response_timeout_ms: count,
      max_reply_tokens: count,
      max_reply_ms: count
    }),
    /** The blind relay the host falls back to (its public key), for the client to use too. */
    relay: v.optional(publicKeyHex)
  })
})

export const ROLES = ['user', 'assistant'] as const

const turn = v.object({
  role: v.picklist(ROLES),
  content: v.pipe(v.string(), v.minLength(1))
})

/** UTF-8 bytes of every turn's content: what `maxHistoryBytes` limits. */
export function historyBytes(history: readonly { content: string }[]): number {
  let bytes = 0
  for (const t of history) bytes += utf8ByteLength(t.content)
  return bytes
}

const history = v.pipe(
  v.array(turn),
  v.maxLength(
    LIMITS.maxHistoryTurns,
    `Invalid history: Expected at most ${LIMITS.maxHistoryTurns} turns`
  ),
  v.check(
    (turns) => historyBytes(turns) <= LIMITS.maxHistoryBytes,
    `Invalid history: Expected at most ${LIMITS.maxHistoryBytes} UTF-8 bytes of content`
  )
)

export const ChatStartSchema = v.object({
  type: v.literal('chat_start'),
  request_id: requestId,
  payload: v.object({
    prompt,
    /** The conversation so far, oldest first; the host forwards it and keeps nothing. */
    history: v.optional(history)
  })
})

export const CHAT_STATES = ['loading_model', 'waiting'] as const

export const ChatStatusSchema = v.object({
  type: v.literal('chat_status'),
  request_id: requestId,
  payload: v.object({ state: v.picklist(CHAT_STATES) })
})

const nonEmpty = v.pipe(v.string(), v.minLength(1))

export const ChatChunkSchema = v.object({
  type: v.literal('chat_chunk'),
  request_id: requestId,
  payload: v.pipe(
    v.object({
      /** Answer text. */
      text: v.optional(nonEmpty),
      /** A thinking model's reasoning, shown apart and never sent back in `history`. */
      thinking: v.optional(nonEmpty)
    }),
    v.check(
      (p) => p.text !== undefined || p.thinking !== undefined,
      'Invalid chunk: Expected text or thinking'
    )
  )
})

export const FINISH_REASONS = ['stop', 'length'] as const

export const ChatEndSchema = v.object({
  type: v.literal('chat_end'),
  request_id: requestId,
  payload: v.object({
    finish_reason: v.picklist(FINISH_REASONS),
    stats: v.object({
      prompt_tokens: count,
      completion_tokens: count,
      first_token_ms: milliseconds,
      total_ms: milliseconds,
      tokens_per_second: milliseconds
    })
  })
})

export const AbortSchema = v.object({
  type: v.literal('abort'),
  request_id: requestId
})

export const ErrorSchema = v.object({
  type: v.literal('error'),
  request_id: v.optional(requestId),
  payload: v.object({
    code: v.picklist(ERROR_CODES),
    message: v.pipe(v.string(), v.maxLength(2048)),
    retryable: v.boolean(),
    detail: v.optional(v.pipe(v.string(), v.maxLength(2048)))
  })
})

/** What a client may send, keyed by `type`: the host validates against these. */
export const HOST_BOUND_SCHEMAS = {
  hello: HelloSchema,
  chat_start: ChatStartSchema,
  abort: AbortSchema,
  error: ErrorSchema
} as const

/** What a host may send, keyed by `type`: the client validates against these. */
export const CLIENT_BOUND_SCHEMAS = {
  server_info: ServerInfoSchema,
  chat_status: ChatStatusSchema,
  chat_chunk: ChatChunkSchema,
  chat_end: ChatEndSchema,
  error: ErrorSchema
} as const

export type Hello = v.InferOutput<typeof HelloSchema>
export type ServerInfo = v.InferOutput<typeof ServerInfoSchema>
export type ChatStart = v.InferOutput<typeof ChatStartSchema>
export type ChatStatus = v.InferOutput<typeof ChatStatusSchema>
export type ChatChunk = v.InferOutput<typeof ChatChunkSchema>
export type ChatEnd = v.InferOutput<typeof ChatEndSchema>
export type Abort = v.InferOutput<typeof AbortSchema>
export type ErrorMessage = v.InferOutput<typeof ErrorSchema>
export type HostStatus = (typeof HOST_STATUSES)[number]
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number]
export type Role = (typeof ROLES)[number]
export type Turn = v.InferOutput<typeof turn>
export type ChatState = (typeof CHAT_STATES)[number]
export type FinishReason = (typeof FINISH_REASONS)[number]
export type ChatStats = ChatEnd['payload']['stats']
export type ServerInfoPayload = ServerInfo['payload']

export type HostBoundMessage = v.InferOutput<
  (typeof HOST_BOUND_SCHEMAS)[keyof typeof HOST_BOUND_SCHEMAS]
>
export type ClientBoundMessage = v.InferOutput<
  (typeof CLIENT_BOUND_SCHEMAS)[keyof typeof CLIENT_BOUND_SCHEMAS]
>
export type Message = HostBoundMessage | ClientBoundMessage
export type MessageType = Message['type']

/** The `error` message that carries `err` to the peer. */
export function errorMessage(err: ProtocolError): ErrorMessage {
  const payload: ErrorMessage['payload'] = {
    code: err.code,
    message: err.message,
    retryable: err.retryable
  }
  if (err.detail !== undefined) payload.detail = err.detail.slice(0, 2048)
  return err.request_id === undefined
    ? { type: 'error', payload }
    : { type: 'error', request_id: err.request_id, payload }
}
