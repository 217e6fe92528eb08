// Types for the untyped parts the benchmark touches: holesail's server and client (loaded
// through holesail.ts, never imported directly) and the repository's netns script.

declare module 'holesail-server' {
  import type DHT from 'hyperdht'
  export default class HolesailServer {
    constructor(opts?: { logger?: { log(entry: unknown): void } })
    readonly key: string
    readonly dht: DHT
    start(args: { port: number; host: string; udp?: boolean; secure?: boolean }): Promise<void>
    destroy(): Promise<void>
  }
}

declare module 'holesail-client' {
  import type DHT from 'hyperdht'
  export default class HolesailClient {
    constructor(opts: { key: string; secure?: boolean })
    readonly dht: DHT
    connect(
      options: { port: number; host: string; udp?: boolean },
      callback?: () => void
    ): Promise<void>
    destroy(): Promise<void>
  }
}
