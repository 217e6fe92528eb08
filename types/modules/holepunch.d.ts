// The parts of Hyperswarm and HyperDHT that LocalLLM uses, typed. Upstream ships JavaScript
// only. Kept to what the code calls, so a wrong assumption shows up as a type error here.

declare module 'hyperdht' {
  export interface KeyPair {
    publicKey: Uint8Array
    secretKey: Uint8Array
  }
  export interface BootstrapNode {
    host: string
    port: number
  }
  export interface DHTOptions {
    bootstrap?: BootstrapNode[] | string[]
    port?: number
    host?: string
    ephemeral?: boolean
    firewalled?: boolean
    /** false: judge our firewall from NAT samples only, not from a quick probe. */
    quickFirewall?: boolean
    keyPair?: KeyPair
  }
  /**
   * The UDX stream under a Noise stream. While a connection is relayed its remote address is
   * the relay's; hyperdht moves it to the peer's (`changeRemote`, event 'remote-changed') when
   * a hole punch succeeds later.
   */
  export interface RawStream {
    readonly remoteHost: string | null
    readonly remotePort: number
    /** Packets resent so far (udx-native's counter), whatever the cause. */
    readonly retransmits: number
    /** Retransmission timeouts so far: each one a wait of at least a second at first. */
    readonly rtoCount: number
    on(event: 'remote-changed', listener: () => void): this
    off(event: 'remote-changed', listener: () => void): this
  }
  /** The Noise-encrypted stream to a peer (@hyperswarm/secret-stream). */
  export interface NoiseStream {
    readonly handshakeHash: Uint8Array
    readonly remotePublicKey: Uint8Array
    readonly publicKey: Uint8Array
    readonly isInitiator: boolean
    readonly destroyed: boolean
    readonly opened: Promise<boolean>
    readonly rawStream: RawStream
    write(data: Uint8Array): boolean
    end(): void
    destroy(err?: Error): void
    setKeepAlive(ms: number): void
    setTimeout(ms: number): void
    on(event: 'data', listener: (data: Uint8Array) => void): this
    on(event: 'open' | 'close' | 'end' | 'finish' | 'drain', listener: () => void): this
    on(event: 'error', listener: (err: Error & { code?: string }) => void): this
    once(event: 'open' | 'close', listener: () => void): this
    off(event: string, listener: (...args: never[]) => void): this
  }
  export type DHTSocket = NoiseStream
  export interface ConnectOptions {
    keyPair?: KeyPair
    /** A blind relay's public key to fall back to when holepunching cannot work. */
    relayThrough?: Uint8Array | null
  }
  export interface Server {
    readonly publicKey: Uint8Array
    listen(keyPair?: KeyPair): Promise<void>
    close(): Promise<void>
    on(event: 'connection', listener: (stream: NoiseStream) => void): this
  }
  export type DHTServer = Server
  export default class DHT {
    constructor(options?: DHTOptions)
    static keyPair(seed?: Uint8Array): KeyPair
    /** A node that knows its own public address from the start (so it has an id at once). */
    static bootstrapper(port: number, host: string, options?: DHTOptions): DHT
    ready(): Promise<void>
    fullyBootstrapped(): Promise<void>
    connect(remotePublicKey: Uint8Array, options?: ConnectOptions): NoiseStream
    createServer(onconnection?: (stream: NoiseStream) => void): Server
    createServer(options: object, onconnection?: (stream: NoiseStream) => void): Server
    createRawStream(options?: object): unknown
    address(): { host: string; port: number }
    suspend(): Promise<void>
    resume(): Promise<void>
    destroy(options?: { force?: boolean }): Promise<void>
    on(event: 'network-change' | 'network-update', listener: () => void): this
    off(event: string, listener: (...args: never[]) => void): this
    readonly destroyed: boolean
    readonly bootstrapped: boolean
    /** Our NAT maps every flow to a new port (a "symmetric" NAT): holepunching from here rarely works. */
    readonly randomized: boolean
    readonly firewalled: boolean
  }
}

declare module 'hyperdht/testnet.js' {
  import type DHT from 'hyperdht'
  import type { BootstrapNode } from 'hyperdht'
  export interface Testnet {
    nodes: DHT[]
    bootstrap: BootstrapNode[]
    destroy(): Promise<void>
  }
  export default function createTestnet(
    size?: number,
    options?: { host?: string; port?: number; teardown?: (fn: () => Promise<void>) => void }
  ): Promise<Testnet>
}

declare module 'hyperswarm' {
  import type DHT from 'hyperdht'
  import type { BootstrapNode, KeyPair, NoiseStream } from 'hyperdht'

  export type SwarmConnection = NoiseStream

  export interface PeerInfo {
    readonly publicKey: Uint8Array
    readonly topics: Uint8Array[]
    readonly client: boolean
    readonly server: boolean
    reconnect(enabled: boolean): void
    ban(enabled?: boolean): void
  }

  export interface PeerDiscovery {
    flushed(): Promise<void>
    refresh(options?: { client?: boolean; server?: boolean }): Promise<void>
    destroy(): Promise<void>
  }

  export interface HyperswarmOptions {
    dht?: DHT
    keyPair?: KeyPair
    seed?: Uint8Array
    bootstrap?: BootstrapNode[]
    maxPeers?: number
    firewall?: (remotePublicKey: Uint8Array, payload: unknown) => boolean
    backoffs?: number[]
    jitter?: number
    /**
     * A blind relay's public key (32 bytes), or a function choosing one. A key is used when
     * this swarm's own NAT is randomizing, or (as a client) after a failed hole punch; a
     * function is asked every time (server side: `force` is always undefined).
     */
    relayThrough?:
      | Uint8Array
      | Uint8Array[]
      | ((force: boolean | undefined, swarm: Hyperswarm) => Uint8Array | null)
      | null
  }

  export default class Hyperswarm {
    constructor(options?: HyperswarmOptions)
    readonly keyPair: KeyPair
    readonly dht: DHT
    readonly connections: Set<SwarmConnection>
    readonly peers: Map<string, PeerInfo>
    readonly connecting: number
    readonly destroyed: boolean
    readonly suspended: boolean
    join(topic: Uint8Array, options?: { server?: boolean; client?: boolean }): PeerDiscovery
    leave(topic: Uint8Array): Promise<void>
    joinPeer(publicKey: Uint8Array): void
    leavePeer(publicKey: Uint8Array): void
    flush(): Promise<boolean>
    listen(): Promise<void>
    suspend(): Promise<void>
    resume(): Promise<void>
    destroy(options?: { force?: boolean }): Promise<void>
    on(event: 'connection', listener: (conn: SwarmConnection, info: PeerInfo) => void): this
    on(event: 'update', listener: () => void): this
    off(event: string, listener: (...args: never[]) => void): this
    removeListener(event: string, listener: (...args: never[]) => void): this
  }
}

declare module 'blind-relay' {
  import type { DHTSocket } from 'hyperdht'
  export interface RelayStats {
    sessions: { accepted: number; opened: number; closed: number; active: number }
    pairings: {
      requested: number
      matched: number
      cancelled: number
      pending: number
      active: number
    }
    streams: { opened: number; closed: number; errors: number; active: number }
  }
  export interface RelaySession {
    on(event: 'error', listener: (err: Error) => void): this
  }
  export class Server {
    constructor(options: { createStream(options: object): unknown })
    readonly stats: RelayStats
    accept(stream: DHTSocket, options: { id: Uint8Array }): RelaySession
    close(): Promise<void>
  }
}

declare module 'hypercore-id-encoding' {
  /** 32 bytes as z-base32 (52 characters). */
  export function encode(key: Uint8Array): string
  /** A key as z-base32 or hex (or bytes); throws on anything else. */
  export function decode(id: string | Uint8Array): Uint8Array
  export function normalize(id: string | Uint8Array): string
}
