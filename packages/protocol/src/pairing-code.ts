// The pairing code (the "Server ID" people copy, paste or scan): who the host is and the
// secret that lets a new device pair, in one string.
//
//   const r = parsePairingCode('  localllm://connect/5Kd3N…  ')
//   if (r.ok) connect(r.hostKey, r.secret) else show(r.error.message)
//
// code = base58btc(host public key (32 B) ‖ access secret (16 B) ‖ checksum (4 B)), where the
// checksum is the first 4 bytes of BLAKE2b-256 of the first 48 bytes keyed with the ASCII
// bytes `localllm/pairing-code/v2`. So a typo is INVALID_SERVER_ID here, before anything
// touches the network. BLAKE2b is @noble/hashes (pure JS): this entry runs in React Native.

import bs58 from 'bs58'
import { blake2b } from '@noble/hashes/blake2.js'
import { protocolError, type ProtocolError } from './errors.js'

export const HOST_KEY_BYTES = 32
export const ACCESS_SECRET_BYTES = 16
export const CHECKSUM_BYTES = 4
export const PAIRING_CODE_BYTES = HOST_KEY_BYTES + ACCESS_SECRET_BYTES + CHECKSUM_BYTES
export const CONNECT_LINK_PREFIX = 'localllm://connect/'

const CHECKSUM_KEY = asciiBytes('localllm/pairing-code/v2')
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/
// 52 bytes are at most 72 base58 characters (70–72 for almost every key; fewer only when it
// starts with zero bytes, each written as one `1`).
const MAX_CODE_CHARS = 72

export type PairingCodeResult =
  | { ok: true; code: string; hostKey: Uint8Array; secret: Uint8Array }
  | { ok: false; error: ProtocolError }

/** Accepts the bare code with any surrounding whitespace, or a `localllm://connect/<code>` link. */
export function parsePairingCode(input: unknown): PairingCodeResult {
  if (typeof input !== 'string') return invalid('the Server ID must be text')
  let code = input.trim()
  if (code.toLowerCase().startsWith(CONNECT_LINK_PREFIX)) {
    code = code.slice(CONNECT_LINK_PREFIX.length).replace(/\/$/, '')
  }
  if (code.length === 0) return invalid('the Server ID is empty')
  if (code.length > MAX_CODE_CHARS) {
    return invalid(`the Server ID is longer than ${MAX_CODE_CHARS} characters`)
  }
  if (!BASE58.test(code)) return invalid('the Server ID has characters that are not base58')
  const bytes = bs58.decodeUnsafe(code)
  if (!bytes || bytes.length !== PAIRING_CODE_BYTES) {
    return invalid(
      `the Server ID decodes to ${bytes?.length ?? 0} bytes, not ${PAIRING_CODE_BYTES}` +
        (bytes?.length === 32 ? ' (an ID from an older LocalLLM host: update the host)' : '')
    )
  }
  const body = bytes.subarray(0, HOST_KEY_BYTES + ACCESS_SECRET_BYTES)
  if (!sameBytes(pairingChecksum(body), bytes.subarray(body.length))) {
    return invalid('the Server ID checksum does not match (a typo?)')
  }
  return {
    ok: true,
    code,
    hostKey: bytes.slice(0, HOST_KEY_BYTES),
    secret: bytes.slice(HOST_KEY_BYTES, HOST_KEY_BYTES + ACCESS_SECRET_BYTES)
  }
}

/** The code for a host key and its current access secret. */
export function formatPairingCode(hostKey: Uint8Array, secret: Uint8Array): string {
  if (hostKey.length !== HOST_KEY_BYTES) {
    throw new TypeError(`a host key is ${HOST_KEY_BYTES} bytes, got ${hostKey.length}`)
  }
  if (secret.length !== ACCESS_SECRET_BYTES) {
    throw new TypeError(`an access secret is ${ACCESS_SECRET_BYTES} bytes, got ${secret.length}`)
  }
  const bytes = new Uint8Array(PAIRING_CODE_BYTES)
  bytes.set(hostKey, 0)
  bytes.set(secret, HOST_KEY_BYTES)
  bytes.set(pairingChecksum(bytes.subarray(0, HOST_KEY_BYTES + ACCESS_SECRET_BYTES)), 48)
  return bs58.encode(bytes)
}

/** The first 4 bytes of BLAKE2b-256(body) keyed with `localllm/pairing-code/v2`. */
export function pairingChecksum(body: Uint8Array): Uint8Array {
  return blake2b(body, { key: CHECKSUM_KEY, dkLen: 32 }).slice(0, CHECKSUM_BYTES)
}

/** The link a QR code carries; opens the app on its Connect screen. */
export function connectLink(code: string): string {
  return CONNECT_LINK_PREFIX + code
}

function invalid(detail: string): PairingCodeResult {
  return { ok: false, error: protocolError('INVALID_SERVER_ID', { detail }) }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}
