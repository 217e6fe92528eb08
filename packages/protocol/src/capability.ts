// Who may talk to whom (DESIGN.md §2). Only the topic reaches the DHT; the secret never
// does. Each side proves it holds the secret with a keyed hash bound to this connection's
// Noise handshake hash, so a proof seen on one connection is useless on another.
//
//   const topic = deriveTopic(secret)                                  // swarm.join(topic)
//   hello.payload.proof = clientProof(secret, stream.handshakeHash)
//   if (!verifyClientProof(secret, stream.handshakeHash, hello.payload.proof)) close()
//
// A separate entry point (`@localllm/protocol/capability`) because it loads sodium, which
// the React Native side, which never touches the network, must not pull in.

import b4a from 'b4a'
import sodium from 'sodium-universal'
import { SECRET_BYTES } from './server-id.js'

const TOPIC_KEY = b4a.from('localllm/topic/v1')
const CLIENT_PROOF_NAMESPACE = b4a.from('localllm/cap/client/v1')
const HOST_PROOF_NAMESPACE = b4a.from('localllm/cap/host/v1')
const HASH_BYTES = 32
const PROOF_HEX = /^[0-9a-fA-F]{64}$/

/** A new random host secret (the Server ID is its base58). */
export function generateSecret(): Uint8Array {
  const secret = b4a.alloc(SECRET_BYTES)
  sodium.randombytes_buf(secret)
  return secret
}

/** The 32-byte Hyperswarm topic for a secret: BLAKE2b-256 keyed with `localllm/topic/v1`. */
export function deriveTopic(secret: Uint8Array): Uint8Array {
  checkSecret(secret)
  const topic = b4a.alloc(HASH_BYTES)
  sodium.crypto_generichash(topic, secret, TOPIC_KEY)
  return topic
}

/** What the client sends in `hello.proof`, as hex. */
export function clientProof(secret: Uint8Array, handshakeHash: Uint8Array): string {
  return b4a.toString(proof(secret, CLIENT_PROOF_NAMESPACE, handshakeHash), 'hex')
}

/** What the host sends in `server_info.host_proof`, as hex. */
export function hostProof(secret: Uint8Array, handshakeHash: Uint8Array): string {
  return b4a.toString(proof(secret, HOST_PROOF_NAMESPACE, handshakeHash), 'hex')
}

export function verifyClientProof(
  secret: Uint8Array,
  handshakeHash: Uint8Array,
  proofHex: unknown
): boolean {
  return verify(proof(secret, CLIENT_PROOF_NAMESPACE, handshakeHash), proofHex)
}

export function verifyHostProof(
  secret: Uint8Array,
  handshakeHash: Uint8Array,
  proofHex: unknown
): boolean {
  return verify(proof(secret, HOST_PROOF_NAMESPACE, handshakeHash), proofHex)
}

function proof(secret: Uint8Array, namespace: Uint8Array, handshakeHash: Uint8Array): Uint8Array {
  checkSecret(secret)
  if (!(handshakeHash instanceof Uint8Array) || handshakeHash.length === 0) {
    throw new TypeError('a proof needs the connection handshake hash')
  }
  const out = b4a.alloc(HASH_BYTES)
  sodium.crypto_generichash(out, b4a.concat([namespace, handshakeHash]), secret)
  return out
}

function verify(expected: Uint8Array, proofHex: unknown): boolean {
  if (typeof proofHex !== 'string' || !PROOF_HEX.test(proofHex)) return false
  return sodium.sodium_memcmp(expected, b4a.from(proofHex, 'hex'))
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== SECRET_BYTES) {
    throw new TypeError(`a host secret is ${SECRET_BYTES} bytes`)
  }
}
