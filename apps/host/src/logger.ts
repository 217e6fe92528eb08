// Structured logs (pino). The CLI and menu bar write them to a rotating file in the
// platform's log folder; tests pass a memory stream or nothing. The level can change while
// the host runs (`log.level = 'debug'`). Prompts and replies are logged at debug only.
//
//   const log = createLogger({ level: 'info', file: join(paths.log, 'host.log') })

import pino from 'pino'

export type Logger = pino.Logger
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
export const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export interface LoggerOptions {
  level?: LogLevel
  /** A file to write, rotated daily or at 10 MB, five kept. */
  file?: string
  /** Or any writable stream (tests). */
  stream?: pino.DestinationStream
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info'
  if (options.stream) return pino({ level, base: undefined }, options.stream)
  if (options.file) {
    const transport = pino.transport({
      target: 'pino-roll',
      options: {
        file: options.file,
        frequency: 'daily',
        size: '10m',
        mkdir: true,
        limit: { count: 5 }
      }
    }) as pino.DestinationStream
    return pino({ level, base: undefined }, transport)
  }
  return pino({ level: 'silent' })
}
