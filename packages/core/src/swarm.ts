// The one place a Hyperswarm (the host's) or a bare HyperDHT node (a client's) is made.
// `bootstrap` is required, so nothing can reach the public DHT by accident: tests, the demo
// and benchmarks pass a local testnet's nodes, production passes 'public'.
//
//   const swarm = createSwarm({ bootstrap: parseBootstrap('127.0.0.1:49737') })
//   const dht = createDht({ bootstrap, keyPair })            // a client dials with it
//   await waitForBootstrap(swarm.dht, LIMITS.bootstrapWaitMs)   // before the first lookup
//
// A cold routing table finds no peers, so callers wait for the DHT to bootstrap (capped)
// before joining a topic as a client or announcing one as a host. `relayThrough` (a blind
// relay's public key) is hyperswarm's fallback for NATs that defeat hole punching.

import Hyperswarm from 'hyperswarm'
import DHT, { type BootstrapNode, type KeyPair } from 'hyperdht'

export type Bootstrap = 'public' | BootstrapNode[]

/**
 * DHT nodes in every local testnet (tests, the demo, benchmarks, `localllm testnet`). Not
 * fewer: a firewalled node's NAT check needs three samples, and a testnet's first node (the
 * bootstrap) never gets a DHT id, so three nodes give two samples, an inconclusive check,
 * and a host that aborts a holepunch the client already thinks has succeeded (hyperdht
 * 6.33–6.34, upstream issue #304). Not nine either: with eight usable nodes hyperdht skips
 * five. See "Non-obvious facts" in docs/architecture.md.
 */
export const TESTNET_SIZE = 5

export interface SwarmOptions {
  bootstrap: Bootstrap
  keyPair?: KeyPair
  maxPeers?: number
  /**
   * false: this node is reachable as it is, so peers connect to it directly instead of
   * holepunching. Local testnets only (benchmarks compare both paths); by default hyperdht
   * works it out, as it must on a real network.
   */
  firewalled?: boolean
  /**
   * A blind relay's public key (32 bytes, e.g. from `localllm relay`), or none. Hyperswarm
   * uses it when this peer's own NAT is randomizing, or, connecting as a client, after a
   * hole punch failed; a server that uses it sends the key (and a pairing token) in its
   * handshake reply, and the client follows it without a key of its own.
   */
  relayThrough?: Uint8Array | null
}

export function createSwarm(options: SwarmOptions): Hyperswarm {
  const { bootstrap, keyPair, maxPeers, relayThrough } = options
  checkBootstrap(bootstrap)
  if (relayThrough && relayThrough.byteLength !== 32) {
    throw new TypeError('relayThrough is a 32-byte public key')
  }
  const firewalled =
    options.firewalled ?? !(bootstrap !== 'public' && bootstrap.every((n) => isLoopback(n.host)))
  if (!firewalled && bootstrap === 'public') {
    throw new TypeError('firewalled: false is for local testnets only')
  }
  return new Hyperswarm({
    ...(!firewalled
      ? { dht: new DHT({ bootstrap: bootstrap as BootstrapNode[], firewalled: false }) }
      : {}),
    ...(bootstrap === 'public' ? {} : { bootstrap }),
    ...(keyPair ? { keyPair } : {}),
    ...(maxPeers ? { maxPeers } : {}),
    ...(relayThrough ? { relayThrough } : {})
  })
}

export interface DhtOptions {
  bootstrap: Bootstrap
  keyPair?: KeyPair
}

/** A DHT node for a client: it dials the host's key and never listens. */
export function createDht(options: DhtOptions): DHT {
  const { bootstrap, keyPair } = options
  checkBootstrap(bootstrap)
  return new DHT({
    ...(bootstrap === 'public' ? {} : { bootstrap }),
    ...(keyPair ? { keyPair } : {})
  })
}

function checkBootstrap(bootstrap: Bootstrap): void {
  if (bootstrap !== 'public' && (!Array.isArray(bootstrap) || bootstrap.length === 0)) {
    throw new TypeError("a DHT needs bootstrap nodes, or 'public' for the public DHT")
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

/**
 * `host:port[,host:port…]` as typed on a command line, or undefined when it does not
 * parse. An empty string or 'public' means the public DHT.
 */
export function parseBootstrap(text: string): Bootstrap | undefined {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed === 'public') return 'public'
  const nodes: BootstrapNode[] = []
  for (const part of trimmed.split(',')) {
    const match = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(part.trim())
    const port = match ? Number(match[2]) : NaN
    if (!match || !(port > 0 && port < 65536)) return undefined
    nodes.push({ host: match[1] as string, port })
  }
  return nodes
}

export function formatBootstrap(bootstrap: Bootstrap): string {
  return bootstrap === 'public' ? 'public' : bootstrap.map((n) => `${n.host}:${n.port}`).join(',')
}

/** Resolves true once the DHT has bootstrapped, false if `capMs` passed first. */
export async function waitForBootstrap(dht: DHT, capMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const cap = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), capMs)
  })
  try {
    return await Promise.race([dht.fullyBootstrapped().then(() => true as const), cap])
  } finally {
    clearTimeout(timer)
  }
}
