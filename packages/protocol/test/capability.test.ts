import test from 'brittle'
import b4a from 'b4a'
import {
  clientProof,
  deriveTopic,
  generateSecret,
  hostProof,
  verifyClientProof,
  verifyHostProof
} from '../src/capability.js'

const secret = generateSecret()
const handshake = b4a.alloc(64, 1)
const otherHandshake = b4a.alloc(64, 2)

test('secrets are random and the topic is a 32-byte hash that does not reveal the secret', (t) => {
  t.not(b4a.toString(generateSecret(), 'hex'), b4a.toString(secret, 'hex'))
  const topic = deriveTopic(secret)
  t.is(topic.length, 32)
  t.not(b4a.toString(topic, 'hex'), b4a.toString(secret, 'hex'))
  t.alike(deriveTopic(secret), topic, 'deterministic')
})

test('topic and proofs match independent BLAKE2b-256 vectors', (t) => {
  // Computed with Python's hashlib.blake2b(digest_size=32), not with this code. A change here
  // would strand every existing host's Server ID and break every paired client.
  const zero = b4a.alloc(32, 0)
  t.is(
    b4a.toString(deriveTopic(zero), 'hex'),
    '774332dea728762a98608f742f30a4b2c6e361377e7643796f3c077d997c25f2',
    'topic = blake2b(secret, key="localllm/topic/v1")'
  )
  t.is(
    clientProof(zero, handshake),
    '18d31118f0a51c08ee7bd31f013ccd01064d7606194e7f74dd91451a8ec3f258',
    'proof = blake2b("localllm/cap/client/v1" + handshakeHash, key=secret)'
  )
  t.is(
    hostProof(zero, handshake),
    '2ab96f4fb2208b2a88cff223ac0b7e7db5386813c06374c562874498ded54d01',
    'host_proof = blake2b("localllm/cap/host/v1" + handshakeHash, key=secret)'
  )
})

test('a client proof verifies for the same secret and connection only', (t) => {
  const proof = clientProof(secret, handshake)
  t.is(proof.length, 64)
  t.ok(verifyClientProof(secret, handshake, proof))
  t.ok(verifyClientProof(secret, handshake, proof.toUpperCase()), 'hex case does not matter')
  t.absent(verifyClientProof(secret, otherHandshake, proof), 'replayed on another connection')
  t.absent(verifyClientProof(generateSecret(), handshake, proof), 'another secret')
  t.absent(verifyHostProof(secret, handshake, proof), 'a client proof is not a host proof')
})

test('a host proof verifies for the same secret and connection only', (t) => {
  const proof = hostProof(secret, handshake)
  t.ok(verifyHostProof(secret, handshake, proof))
  t.absent(verifyHostProof(secret, otherHandshake, proof))
  t.absent(verifyClientProof(secret, handshake, proof), 'a host proof is not a client proof')
})

test('malformed proofs are refused, never thrown on', (t) => {
  for (const bad of ['', 'zz', '00'.repeat(31), '00'.repeat(33), 42, null, undefined, {}]) {
    t.absent(verifyClientProof(secret, handshake, bad), JSON.stringify(bad) ?? 'undefined')
  }
})
