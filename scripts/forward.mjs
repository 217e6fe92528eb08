// A forwarder: every connection to the server it returns is piped, both ways, to a new
// connection to `target` (a Unix socket or a TCP address). The Ollama bridge and the web
// preview use it to cross the loopback-only namespace's edge through a Unix socket.
//
//   const server = forwardTo({ path: socketPath })            // or { host: '127.0.0.1', port: 11434 }
//   await listen(server, { port: 8090, host: '127.0.0.1' })   // or { path: socketPath }
//
// Either side failing or closing closes the other, so no half of a pair is left open.

import { once } from 'node:events'
import { connect, createServer } from 'node:net'

export function forwardTo(target) {
  return createServer((incoming) => {
    const outgoing = connect(target)
    incoming.pipe(outgoing).pipe(incoming)
    for (const [a, b] of [
      [incoming, outgoing],
      [outgoing, incoming]
    ]) {
      a.on('error', () => b.destroy())
      a.on('close', () => b.destroy())
    }
  })
}

/** Listens (`{ port, host }` or `{ path }`); rejects with the listen error. */
export async function listen(server, address) {
  server.listen(address)
  await once(server, 'listening')
  return server
}
