// The Server ID: base58btc of the host's 32-byte secret, as typed, pasted or scanned.
//
//   const r = parseServerId('  localllm://connect/3yZe7d…  ')
//   if (r.ok) joinTopic(deriveTopic(r.secret)) else show(r.error.message)
//
// Accepted: the bare ID, with any surrounding whitespace, or a `localllm://connect/<id>`
// link (what the QR code holds). Anything else, or an ID that does not decode to exactly
// 32 bytes, is INVALID_SERVER_ID, decided before anything touches the network.

import bs58 from 'bs58'
import { protocolError, type ProtocolError } from './errors.js'

export const SECRET_BYTES = 32
export const CONNECT_LINK_PREFIX = 'localllm://connect/'

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/
// 32 bytes are at most 44 base58 characters; anything longer cannot be an ID.
const MAX_ID_CHARS = 44

export type ServerIdResult =
  { ok: true; serverId: string; secret: Uint8Array } | { ok: false; error: ProtocolError }

export function parseServerId(input: unknown): ServerIdResult {
  if (typeof input !== 'string') return invalid('the Server ID must be text')
  let id = input.trim()
  if (id.toLowerCase().startsWith(CONNECT_LINK_PREFIX)) {
    id = id.slice(CONNECT_LINK_PREFIX.length).replace(/\/$/, '')
  }
  if (id.length === 0) return invalid('the Server ID is empty')
  if (id.length > MAX_ID_CHARS)
    return invalid(`the Server ID is longer than ${MAX_ID_CHARS} characters`)
  if (!BASE58.test(id)) return invalid('the Server ID has characters that are not base58')
  const secret = bs58.decodeUnsafe(id)
  if (!secret || secret.length !== SECRET_BYTES) {
    return invalid(`the Server ID decodes to ${secret?.length ?? 0} bytes, not ${SECRET_BYTES}`)
  }
  return { ok: true, serverId: id, secret }
}

/** The Server ID people copy: base58btc of the secret. */
export function formatServerId(secret: Uint8Array): string {
  if (secret.length !== SECRET_BYTES) {
    throw new TypeError(`a host secret is ${SECRET_BYTES} bytes, got ${secret.length}`)
  }
  return bs58.encode(secret)
}

/** The link a QR code carries; opens the app on its Connect screen. */
export function connectLink(serverId: string): string {
  return CONNECT_LINK_PREFIX + serverId
}

function invalid(detail: string): ServerIdResult {
  return { ok: false, error: protocolError('INVALID_SERVER_ID', { detail }) }
}
