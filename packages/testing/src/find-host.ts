// Looks a topic up on the DHT and returns the first announcer's public key: what any DHT node
// can learn without the Server ID. The harnesses then connect straight to that key.
//
//   const key = await findHost(dht, topic)   // rejects after 10 s with nobody announced

import type DHT from 'hyperdht'

interface DhtWithLookup {
  lookup(topic: Uint8Array): AsyncIterable<{ peers: Array<{ publicKey: Uint8Array }> }>
}

export async function findHost(
  dht: DHT,
  topic: Uint8Array,
  timeoutMs = 10000
): Promise<Uint8Array> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    for await (const reply of (dht as unknown as DhtWithLookup).lookup(topic)) {
      const peer = reply.peers[0]
      if (peer) return peer.publicKey
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('no host announced on the topic')
}
