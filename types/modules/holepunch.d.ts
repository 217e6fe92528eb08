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
    keyPair?: KeyPair
  }
  /** The Noise-encrypted stream to a peer (@hyperswarm/secret-stream). */
  export interface NoiseStream {
    readonly handshakeHash: Uint8Array
    readonly remotePublicKey: Uint8Array
    readonly publicKey: Uint8Array
    readonly isInitiator: boolean
    readonly destroyed: boolean
    readonly opened: Promise<boolean>
    /** The UDX stream underneath: the peer's address as this side sees it (a relay's when relayed). */
    readonly rawStream?: { remoteHost?: string; remotePort?: number }
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
  export interface ConnectOptions {
    keyPair?: KeyPair
    /** A blind relay's public key to fall back to when holepunching cannot work. */
    relayThrough?: Uint8Array | null
  }
  export interface Server {
    listen(keyPair: KeyPair): Promise<void>
    close(): Promise<void>
    readonly publicKey: Uint8Array
    on(event: 'connection', listener: (stream: NoiseStream) => void): this
  }
  export default class DHT {
    constructor(options?: DHTOptions)
    static keyPair(seed?: Uint8Array): KeyPair
    ready(): Promise<void>
    fullyBootstrapped(): Promise<void>
    connect(remotePublicKey: Uint8Array, options?: ConnectOptions): NoiseStream
    createServer(onconnection?: (stream: NoiseStream) => void): Server
    address(): { host: string; port: number }
    suspend(): Promise<void>
    resume(): Promise<void>
    destroy(options?: { force?: boolean }): Promise<void>
    on(event: 'network-change' | 'network-update', listener: () => void): this
    off(event: string, listener: (...args: never[]) => void): this
    readonly destroyed: boolean
    readonly bootstrapped: boolean
    /** Our NAT maps every flow to a new port: holepunching from here rarely works. */
    readonly randomized: boolean
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
  import type { BootstrapNode, KeyPair } from 'hyperdht'

  import type { NoiseStream } from 'hyperdht'
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
