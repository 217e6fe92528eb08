// Structured logs (pino). The CLI and menu bar write them to a rotating file in the
// platform's log folder; tests pass a memory stream or nothing. The level can change while
// the host runs (`log.level = 'debug'`). Prompts and replies are logged at debug only.
//
//   const log = createLogger({ level: 'info', file: join(paths.log, 'host.log') })

import { chmodSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import pino from 'pino'

export type Logger = pino.Logger
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
export const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export interface LoggerOptions {
  level?: LogLevel
  /**
   * A file to write, rotated daily or at 10 MB, five kept. pino-roll numbers the files
   * (`host.1.log`, `host.2.log`, …); `current.log` beside them always links to the one
   * being written (see `currentLogFile`).
   */
  file?: string
  /** Or any writable stream (tests). */
  stream?: pino.DestinationStream
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info'
  if (options.stream) return pino({ level, base: undefined }, options.stream)
  if (options.file) {
    // pino-roll links current.log before its own mkdir has run: make the folder first. Logs
    // name devices and, at debug, hold prompts: the folder is the owner's only (0700), and
    // so is every file in it (0600), including ones an older version left readable.
    const dir = dirname(options.file)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
    for (const name of readdirSync(dir)) {
      if (name !== 'current.log') chmodSync(join(dir, name), 0o600)
    }
    const transport = pino.transport({
      target: 'pino-roll',
      options: {
        file: options.file,
        frequency: 'daily',
        size: '10m',
        mkdir: true,
        symlink: true,
        limit: { count: 5 },
        // Passed on to SonicBoom, which creates each file with it.
        mode: 0o600
      }
    }) as pino.DestinationStream
    return pino({ level, base: undefined }, transport)
  }
  return pino({ level: 'silent' })
}

/** The path that always points at the log being written, for people to open. */
export function currentLogFile(file: string): string {
  return join(dirname(file), 'current.log')
}
