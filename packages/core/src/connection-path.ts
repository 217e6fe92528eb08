// Whether a connection goes straight to the peer or through a blind relay, for people to see
// ("relayed") and for the lab to measure.
//
//   const paths = new RelayWatch(dht)                  // before the DHT opens any connection
//   paths.pathOf(stream)                                // 'direct' | 'relayed'
//   paths.follow(stream, (path) => show(path))          // and when it changes (relayed → direct)
//
// HyperDHT reaches a relay by dialing it with the node's own `connect()`, and a relayed
// stream's UDX stream is connected to that relay socket's address; when a later hole punch
// succeeds, hyperdht moves it to the peer's address ('remote-changed'). So the watch wraps
// this node's `connect` to learn the relays' addresses, and compares.

import type DHT from 'hyperdht'
import type { ConnectOptions, NoiseStream, RawStream } from 'hyperdht'

export type ConnectionPath = 'direct' | 'relayed'

/** What kind of address the peer is at, as this side sees it. */
export type AddressKind = 'loopback' | 'private' | 'public' | 'unknown'

export class RelayWatch {
  readonly #relays = new Set<NoiseStream>()
  readonly #isRelay: (remoteKey: Uint8Array) => boolean

  /**
   * `isRelay` tells a relay dial from the node's own dials (a client passes "not the host's
   * key"; a host, which never dials, passes nothing: every dial is a relay).
   */
  constructor(dht: DHT, isRelay: (remoteKey: Uint8Array) => boolean = () => true) {
    this.#isRelay = isRelay
    const connect = dht.connect.bind(dht)
    dht.connect = (remoteKey: Uint8Array, options?: ConnectOptions): NoiseStream => {
      const stream = connect(remoteKey, options)
      if (this.#isRelay(remoteKey)) {
        this.#relays.add(stream)
        stream.once('close', () => this.#relays.delete(stream))
      }
      return stream
    }
  }

  pathOf(stream: NoiseStream): ConnectionPath {
    return this.isRelayed(stream.rawStream) ? 'relayed' : 'direct'
  }

  /** Whether a UDX stream is connected to one of this node's relays. */
  isRelayed(raw: Pick<RawStream, 'remoteHost' | 'remotePort'>): boolean {
    for (const relay of this.#relays) {
      const via = relay.rawStream
      if (via && raw.remoteHost === via.remoteHost && raw.remotePort === via.remotePort) {
        return true
      }
    }
    return false
  }

  /** Calls `onChange` with the path now and whenever the stream moves; stops at close. */
  follow(stream: NoiseStream, onChange: (path: ConnectionPath) => void): void {
    let last = this.pathOf(stream)
    onChange(last)
    const changed = () => {
      const path = this.pathOf(stream)
      if (path === last) return
      last = path
      onChange(path)
    }
    stream.rawStream.on('remote-changed', changed)
    stream.once('close', () => stream.rawStream.off('remote-changed', changed))
  }
}

/** Loopback, private (RFC 1918, carrier-grade NAT, link-local, IPv6 ULA) or public. */
export function addressKind(host: string | null | undefined): AddressKind {
  if (!host) return 'unknown'
  const h = host.toLowerCase().replace(/^::ffff:/, '')
  if (h === '::1' || h.startsWith('127.')) return 'loopback'
  const octets = h.split('.').map(Number)
  if (octets.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255)) {
    const [a, b] = octets as [number, number]
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'
    if (a === 100 && b >= 64 && b <= 127) return 'private'
    if (a === 169 && b === 254) return 'private'
    return 'public'
  }
  if (h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80')) return 'private'
  return h.includes(':') ? 'public' : 'unknown'
}
