// The worklet's IPC: NDJSON commands from the React Native side, NDJSON events back, over
// the bare-kit IPC stream (or stdin/stdout when the worklet runs under the plain `bare`
// binary). One definition, imported by both sides: the app for its types and encoder, the
// worklet for validation. No native code here, so the app bundle can import it.
//
//   ipc.write(encodeIpc({ cmd: 'connect', server_id: id }))            // app → worklet
//   for (const r of decoder.push(chunk)) if (r.ok) handle(r.command)   // in the worklet

import * as v from 'valibot'
import {
  CHAT_STATES,
  ChatEndSchema,
  ERROR_CODES,
  LIMITS,
  NdjsonDecoder,
  ROLES,
  ServerInfoSchema,
  encodeLine,
  protocolError,
  type ProtocolError
} from '@localllm/protocol'

const ref = v.pipe(v.string(), v.minLength(1), v.maxLength(128))
const text = v.pipe(v.string(), v.maxLength(256))
const keyHex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'Expected 64 lowercase hex characters'))
// The app trims a conversation with fitHistory before sending it, so a `send` is about as
// big as the chat_start it becomes; commands may be up to twice the wire's line limit.
const MAX_COMMAND_BYTES = 2 * LIMITS.maxLineBytes

export const CommandSchema = v.variant('cmd', [
  v.object({
    cmd: v.literal('connect'),
    /** The pairing code (or its link), as typed, pasted or scanned. */
    server_id: v.pipe(v.string(), v.maxLength(1024)),
    /** `host:port,…` of DHT bootstrap nodes; omitted: the public DHT. */
    bootstrap: v.optional(v.pipe(v.string(), v.maxLength(1024))),
    client: v.optional(
      v.object({ name: v.optional(text), platform: v.optional(text), version: v.optional(text) })
    ),
    /** The seed of this device's key pair (kept in the Keychain); omitted: a new one, sent back in `device`. */
    device_seed: v.optional(keyHex),
    /** A relay the host announced before (server_info.relay), to fall back to at once. */
    relay: v.optional(keyHex)
  }),
  v.object({
    cmd: v.literal('send'),
    ref,
    prompt: v.pipe(v.string(), v.maxLength(LIMITS.maxPromptBytes * 4)),
    /** The conversation so far, oldest first, without reasoning. */
    history: v.optional(
      v.pipe(
        v.array(
          v.object({
            role: v.picklist(ROLES),
            content: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxHistoryBytes))
          })
        ),
        v.maxLength(LIMITS.maxHistoryTurns)
      )
    )
  }),
  v.object({ cmd: v.literal('abort'), ref }),
  v.object({ cmd: v.literal('disconnect') }),
  v.object({ cmd: v.literal('retry') }),
  v.object({ cmd: v.literal('suspend') }),
  v.object({ cmd: v.literal('resume') })
])

export type Command = v.InferOutput<typeof CommandSchema>

export const WORKLET_STATUSES = [
  'idle',
  'connecting',
  'connected',
  'reconnecting',
  'offline',
  'suspended',
  'closed'
] as const
export type WorkletStatus = (typeof WORKLET_STATUSES)[number]

/** Everything the worklet tells the app. `ref` is the app's own id for a `send`. */
export const EventSchema = v.variant('event', [
  v.object({ event: v.literal('ready'), version: v.string() }),
  /** A new device key was made for `connect`: keep its seed and send it with every connect. */
  v.object({ event: v.literal('device'), seed: keyHex, public_key: keyHex }),
  v.object({ event: v.literal('status'), status: v.picklist(WORKLET_STATUSES) }),
  v.object({ event: v.literal('server_info'), info: ServerInfoSchema.entries.payload }),
  /** How the connection reaches the host: the app's "relayed" mark, the debug screen. */
  v.object({
    event: v.literal('path'),
    path: v.picklist(['direct', 'relayed']),
    remote: v.picklist(['loopback', 'private', 'public', 'unknown']),
    connect_ms: v.pipe(v.number(), v.minValue(0))
  }),
  /** A `send` went out as this request: where the app's `ref` meets the wire's `request_id`. */
  v.object({
    event: v.literal('request'),
    ref,
    request_id: v.string(),
    /** Oldest turns of `history` left out so the request fits. */
    dropped_turns: v.pipe(v.number(), v.integer(), v.minValue(0))
  }),
  v.object({
    event: v.literal('chunk'),
    ref,
    text: v.optional(v.string()),
    thinking: v.optional(v.string())
  }),
  v.object({ event: v.literal('chat_status'), ref, state: v.picklist(CHAT_STATES) }),
  v.object({
    event: v.literal('end'),
    ref,
    request_id: v.string(),
    finish_reason: ChatEndSchema.entries.payload.entries.finish_reason,
    stats: ChatEndSchema.entries.payload.entries.stats
  }),
  v.object({
    event: v.literal('error'),
    ref: v.optional(ref),
    code: v.picklist(ERROR_CODES),
    message: v.string(),
    retryable: v.boolean(),
    detail: v.optional(v.string())
  }),
  v.object({
    event: v.literal('log'),
    level: v.picklist(['debug', 'info', 'warn']),
    msg: v.string(),
    fields: v.optional(v.record(v.string(), v.unknown()))
  })
])

export type WorkletEvent = v.InferOutput<typeof EventSchema>

export type CommandResult = { ok: true; command: Command } | { ok: false; error: ProtocolError }

export function encodeIpc(message: Command | WorkletEvent): Uint8Array {
  return encodeLine(message)
}

/** Decodes and validates commands, as the worklet receives them. Never throws. */
export class CommandDecoder {
  readonly #lines = new NdjsonDecoder({ maxLineBytes: MAX_COMMAND_BYTES })

  push(chunk: Uint8Array): CommandResult[] {
    return this.#lines.push(chunk).map((frame) => {
      if (!frame.ok) return frame
      const result = v.safeParse(CommandSchema, frame.value)
      if (result.success) return { ok: true, command: result.output }
      const issue = result.issues[0]
      const path = issue.path?.map((p) => String(p.key)).join('.')
      return {
        ok: false,
        error: protocolError('BAD_MESSAGE', {
          detail: `${path ? `${path}: ` : ''}${issue.message}`
        })
      }
    })
  }
}

/** Decodes events, as the app receives them. The worklet is trusted: parsing only. */
export class EventDecoder {
  readonly #lines = new NdjsonDecoder({ maxLineBytes: 1024 * 1024 })

  push(chunk: Uint8Array): WorkletEvent[] {
    return this.#lines
      .push(chunk)
      .flatMap((frame) => (frame.ok ? [frame.value as WorkletEvent] : []))
  }
}

export function errorEvent(error: ProtocolError, refId?: string): WorkletEvent {
  return {
    event: 'error',
    ...(refId !== undefined ? { ref: refId } : {}),
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.detail !== undefined ? { detail: error.detail } : {})
  }
}
