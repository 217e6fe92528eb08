import test from 'brittle'
import b4a from 'b4a'
import {
  generateAccessSecret,
  generateKeySeed,
  pairingProof,
  verifyPairingProof
} from '../src/capability.js'

const secret = generateAccessSecret()
const handshake = b4a.alloc(64, 1)
const otherHandshake = b4a.alloc(64, 2)

test('access secrets are 16 random bytes, key seeds 32', (t) => {
  t.is(secret.length, 16)
  t.not(b4a.toString(generateAccessSecret(), 'hex'), b4a.toString(secret, 'hex'))
  t.is(generateKeySeed().length, 32)
})

test('the pairing proof matches independent BLAKE2b-256 vectors', (t) => {
  // Computed with Python's hashlib.blake2b(digest_size=32), not with this code.
  t.is(
    pairingProof(b4a.alloc(16, 0), handshake),
    'c5fc95377c46cf7b2c9dbb12abb4c9153827a270e5a70ca2e6e614831d7a0a7f',
    'proof = blake2b("localllm/pair/v2" + handshakeHash, key=secret)'
  )
  const access = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
  t.is(
    pairingProof(access, handshake),
    '4e51b122bc4e3117f83e8613e7500ce32d1943368d95d8dbb6760c34f0fb8135'
  )
})

test('a proof verifies for the same secret and connection only', (t) => {
  const proof = pairingProof(secret, handshake)
  t.is(proof, proof.toLowerCase(), 'sent as lowercase hex')
  t.ok(verifyPairingProof(secret, handshake, proof))
  t.ok(verifyPairingProof(secret, handshake, proof.toUpperCase()), 'either hex case verifies')
  t.absent(verifyPairingProof(secret, otherHandshake, proof), 'replayed on another connection')
  t.absent(verifyPairingProof(generateAccessSecret(), handshake, proof), 'another secret')
})

test('malformed proofs are refused, never thrown on', (t) => {
  for (const bad of ['', 'zz', '00'.repeat(31), '00'.repeat(33), 42, null, undefined, {}]) {
    t.absent(verifyPairingProof(secret, handshake, bad), JSON.stringify(bad) ?? 'undefined')
  }
})
