// Turns a parsed JSON value into a typed message, or into the protocol error to send back.
// Never throws, whatever the value: this is the wall between the wire and everything else.
//
//   const r = parseHostBound(value)          // on the host: what clients send
//   if (r.ok) handle(r.message) else send(errorMessage(r.error))
//
// A `request_id` that can be read is carried on the error even when the rest is invalid,
// so the peer can match the failure to its request. A `hello` or `server_info` whose
// `protocol_version` is another major version is UNSUPPORTED_VERSION, checked before the
// rest of its payload, since another version may shape that payload differently.

import * as v from 'valibot'
import { LIMITS, PROTOCOL_VERSION } from './limits.js'
import { protocolError, type ProtocolError } from './errors.js'
import {
  CLIENT_BOUND_SCHEMAS,
  HOST_BOUND_SCHEMAS,
  type ClientBoundMessage,
  type HostBoundMessage
} from './messages.js'

export type ParseResult<M> = { ok: true; message: M } | { ok: false; error: ProtocolError }

/** Validates a message a client sent; used by the host. */
export function parseHostBound(value: unknown): ParseResult<HostBoundMessage> {
  return parseWith(HOST_BOUND_SCHEMAS, value) as ParseResult<HostBoundMessage>
}

/** Validates a message a host sent; used by the client. */
export function parseClientBound(value: unknown): ParseResult<ClientBoundMessage> {
  return parseWith(CLIENT_BOUND_SCHEMAS, value) as ParseResult<ClientBoundMessage>
}

/** The `request_id` of a value, when it has a well-formed one. */
export function readRequestId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined
  const id = value.request_id
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.maxRequestIdLength) {
    return undefined
  }
  return id
}

type SchemaTable = Record<string, v.GenericSchema>

function parseWith(schemas: SchemaTable, value: unknown): ParseResult<unknown> {
  try {
    return parseUnsafe(schemas, value)
  } catch (err) {
    // Nothing above should throw; if a library ever does, the input is still only "bad".
    return bad(readRequestIdSafely(value), `validation failed: ${describe(err)}`)
  }
}

function parseUnsafe(schemas: SchemaTable, value: unknown): ParseResult<unknown> {
  if (!isRecord(value)) return bad(undefined, 'a message must be a JSON object')
  const requestId = readRequestId(value)
  const type = value.type
  if (typeof type !== 'string') return bad(requestId, 'type: Expected a string')
  if (!Object.prototype.hasOwnProperty.call(schemas, type)) {
    return bad(requestId, `type: unknown message type "${type.slice(0, 64)}"`)
  }

  if (type === 'hello' || type === 'server_info') {
    const payload = value.payload
    const version = isRecord(payload) ? payload.protocol_version : undefined
    if (typeof version === 'number' && Math.floor(version) !== PROTOCOL_VERSION) {
      return {
        ok: false,
        error: protocolError('UNSUPPORTED_VERSION', {
          request_id: requestId,
          detail: `peer speaks protocol version ${version}, this side speaks ${PROTOCOL_VERSION}`
        })
      }
    }
  }

  const schema = schemas[type] as v.GenericSchema
  const result = v.safeParse(schema, value, { abortEarly: true })
  if (result.success) return { ok: true, message: result.output }
  return bad(requestId, formatIssue(result.issues[0]))
}

function bad(requestId: string | undefined, detail: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: protocolError('BAD_MESSAGE', { request_id: requestId, detail }) }
}

function formatIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'invalid message'
  const path = issue.path?.map((item) => String(item.key)).join('.')
  return path ? `${path}: ${issue.message}` : issue.message
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readRequestIdSafely(value: unknown): string | undefined {
  try {
    return readRequestId(value)
  } catch {
    return undefined
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
