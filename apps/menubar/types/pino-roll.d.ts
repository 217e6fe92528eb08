// pino-roll ships JavaScript only. Typed to what log-sink.ts calls: the factory resolves to
// a SonicBoom stream on the current file, which it reopens on the next one at each roll.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events'

  export interface RollOptions {
    file: string
    size?: string | number
    frequency?: 'daily' | 'hourly' | number
    mkdir?: boolean
    limit?: { count: number }
  }

  export interface RollStream extends EventEmitter {
    /** The file currently written; null until it is open (SonicBoom's 'ready'). */
    readonly file: string | null
    write(data: string): boolean
    flush(callback?: (err?: Error) => void): void
    end(): void
  }

  export default function pinoRoll(options: RollOptions): Promise<RollStream>
}
