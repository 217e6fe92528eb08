// The lab's DHT: five HyperDHT nodes on the lab's "internet", in one process, each bound to
// its own address. Started by NatLab inside the DHT namespace; prints one JSON line when
// every node has bootstrapped, and destroys them on SIGTERM.
//
//   node dht-nodes.js 49737 11.0.0.1 11.0.0.2 11.0.0.3 11.0.0.4 11.0.0.5
//
// Every node is a `DHT.bootstrapper`, which knows its own address from the start, so even
// the first one has a DHT id (a testnet's first node has none: one NAT sample fewer).

import DHT from 'hyperdht'

const [portText, ...hosts] = process.argv.slice(2)
const port = Number(portText)
const first = { host: hosts[0] as string, port }

const nodes = hosts.map((host, i) =>
  DHT.bootstrapper(port, host, { host, bootstrap: i === 0 ? [] : [first] })
)
await Promise.all(nodes.map((node) => node.fullyBootstrapped()))
process.stdout.write(
  JSON.stringify({ event: 'ready', bootstrap: hosts.map((host) => ({ host, port })) }) + '\n'
)

process.once('SIGTERM', () => {
  void Promise.all(nodes.map((node) => node.destroy())).finally(() => process.exit(0))
})
