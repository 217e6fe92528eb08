// The pairing proof: how a device the host does not know yet shows it holds the current
// access secret (the middle of the pairing code). The host itself needs no proof: the client
// dials the host's public key and the Noise handshake proves the host holds its private key.
//
//   hello.payload.proof = pairingProof(secret, stream.handshakeHash)      // the client
//   if (!verifyPairingProof(secret, stream.handshakeHash, proof)) close()  // the host
//
// proof = hex(BLAKE2b-256(`localllm/pair/v2` ‖ handshakeHash) keyed with the secret); the
// handshake hash (64 bytes, equal on both ends of one Noise stream) binds it to this
// connection, so a proof seen on one connection is useless on another. A separate entry
// point (`@localllm/protocol/capability`) because it loads sodium, which React Native must not.

import b4a from 'b4a'
import sodium from 'sodium-universal'
import { ACCESS_SECRET_BYTES } from './pairing-code.js'

const PROOF_NAMESPACE = b4a.from('localllm/pair/v2')
const PROOF_BYTES = 32
const PROOF_HEX = /^[0-9a-fA-F]{64}$/

/** A new random access secret (16 bytes). */
export function generateAccessSecret(): Uint8Array {
  const secret = b4a.alloc(ACCESS_SECRET_BYTES)
  sodium.randombytes_buf(secret)
  return secret
}

/** 32 random bytes: the seed of a Noise key pair (a host's or a device's). */
export function generateKeySeed(): Uint8Array {
  const seed = b4a.alloc(32)
  sodium.randombytes_buf(seed)
  return seed
}

/** What a client sends in `hello.proof`: lowercase hex. */
export function pairingProof(secret: Uint8Array, handshakeHash: Uint8Array): string {
  return b4a.toString(proof(secret, handshakeHash), 'hex')
}

/** Constant-time check of a `hello.proof` (either hex case); false for anything malformed. */
export function verifyPairingProof(
  secret: Uint8Array,
  handshakeHash: Uint8Array,
  proofHex: unknown
): boolean {
  if (typeof proofHex !== 'string' || !PROOF_HEX.test(proofHex)) return false
  return sodium.sodium_memcmp(proof(secret, handshakeHash), b4a.from(proofHex, 'hex'))
}

function proof(secret: Uint8Array, handshakeHash: Uint8Array): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== ACCESS_SECRET_BYTES) {
    throw new TypeError(`an access secret is ${ACCESS_SECRET_BYTES} bytes`)
  }
  if (!(handshakeHash instanceof Uint8Array) || handshakeHash.length === 0) {
    throw new TypeError('a proof needs the connection handshake hash')
  }
  const out = b4a.alloc(PROOF_BYTES)
  sodium.crypto_generichash(out, b4a.concat([PROOF_NAMESPACE, handshakeHash]), secret)
  return out
}
