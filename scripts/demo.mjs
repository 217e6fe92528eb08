// `npm run demo`, for now: the protocol's own check, end to end in one process. It makes a
// host secret, prints the Server ID and QR link, derives the topic, runs both capability
// proofs over a made-up handshake hash, then streams a chat through the real encoder and
// decoders (cut into odd-sized chunks) and shows what a bad line gets back.
// When the host and client exist this becomes the whole system on a local testnet.

import b4a from 'b4a'
import {
  EXAMPLES,
  MessageDecoder,
  connectLink,
  encodeLine,
  errorMessage,
  formatServerId,
  parseServerId
} from '../packages/protocol/dist/src/index.js'
import {
  clientProof,
  deriveTopic,
  generateSecret,
  hostProof,
  verifyClientProof,
  verifyHostProof
} from '../packages/protocol/dist/src/capability.js'

const secret = generateSecret()
const serverId = formatServerId(secret)
console.log(`Server ID   ${serverId}`)
console.log(`QR link     ${connectLink(serverId)}`)
console.log(`topic       ${b4a.toString(deriveTopic(secret), 'hex')} (the only thing the DHT sees)`)

const parsed = parseServerId(`  ${connectLink(serverId)}  `)
console.log(`parse link  ${parsed.ok ? 'ok, same secret' : parsed.error.code}`)
const typo = parseServerId(serverId.slice(0, -2))
console.log(`parse typo  ${typo.ok ? 'ok?!' : `${typo.error.code}: ${typo.error.message}`}`)

const handshakeHash = generateSecret()
const proof = clientProof(secret, handshakeHash)
console.log(
  `hello proof ${verifyClientProof(secret, handshakeHash, proof) ? 'verified' : 'REFUSED'}`
)
console.log(
  `replayed    ${verifyClientProof(secret, generateSecret(), proof) ? 'verified?!' : 'refused on another connection'}`
)
const hostSide = hostProof(secret, handshakeHash)
console.log(
  `host_proof  ${verifyHostProof(secret, handshakeHash, hostSide) ? 'verified' : 'REFUSED'}`
)

// A reply, as the host would stream it, through the client's decoder in odd-sized chunks.
const reply = [
  'Quantum ',
  'computers ',
  'use ',
  'qubits, ',
  'which ',
  'can ',
  'be ',
  '0 ',
  'and ',
  '1 ',
  'at once. 🧠'
]
const wire = b4a.concat([
  ...reply.map((text) =>
    encodeLine({ type: 'chat_chunk', request_id: 'req-1', payload: { text } })
  ),
  encodeLine({ ...EXAMPLES.chat_end, request_id: 'req-1' }),
  b4a.from('{"type":"chat_chunk","request_id":"req-2","payload":{"text":""}}\n')
])
const decoder = MessageDecoder.forClient()
process.stdout.write('\nreply       ')
for (let i = 0; i < wire.length; i += 7) {
  for (const r of decoder.push(wire.subarray(i, i + 7))) {
    if (r.ok && r.message.type === 'chat_chunk') process.stdout.write(r.message.payload.text)
    else if (r.ok && r.message.type === 'chat_end')
      process.stdout.write(`\nchat_end    ${JSON.stringify(r.message.payload.stats)}`)
    else if (!r.ok) process.stdout.write(`\nbad line    → ${JSON.stringify(errorMessage(r.error))}`)
  }
}
process.stdout.write('\n')
