// Where the menu bar app's log lines go: the rotating file in the platform's log folder (as
// the CLI's), and the last lines in memory for the debug log window, which follows them live.
//
//   const sink = new LogSink({ file: join(app.getPath('logs'), 'host.log') })
//   const log = createLogger({ level: 'info', stream: sink })   // pino writes one line a call
//   sink.on('line', (line) => window.append(line))
//   await sink.ready() … await sink.close()
//
// pino-roll runs in-process here, not as a pino transport: a transport is a worker thread
// that loads its target by path, which Electron's packaged (asar) app makes fragile.

import { EventEmitter, once } from 'node:events'
import pinoRoll, { type RollStream } from 'pino-roll'

export interface LogSinkOptions {
  /** The log file; rotated daily or at 10 MB, five kept. Without it, lines stay in memory. */
  file?: string
  /** How many recent lines to keep for the log window. */
  keep?: number
}

export class LogSink extends EventEmitter<{ line: [line: string] }> {
  readonly #file: string | undefined
  readonly #keep: number
  readonly #recent: string[] = []
  /** Lines written before the file was open. */
  #pending: string[] | undefined = []
  #stream: RollStream | undefined
  #closed = false

  constructor(options: LogSinkOptions = {}) {
    super()
    this.#file = options.file
    this.#keep = options.keep ?? 1000
  }

  async ready(): Promise<void> {
    if (this.#file && !this.#stream && !this.#closed) {
      const stream = await pinoRoll({
        file: this.#file,
        frequency: 'daily',
        size: '10m',
        mkdir: true,
        limit: { count: 5 }
      })
      // The file opens asynchronously; until then the stream has no name for it.
      if (stream.file === null) await once(stream, 'ready')
      this.#stream = stream
    }
    const pending = this.#pending ?? []
    this.#pending = undefined
    if (this.#stream) for (const line of pending) this.#stream.write(line)
  }

  /** Called by pino with one JSON line (newline included). */
  write(line: string): void {
    if (this.#closed) return
    this.#recent.push(line)
    if (this.#recent.length > this.#keep) this.#recent.shift()
    if (this.#pending) this.#pending.push(line)
    else this.#stream?.write(line)
    this.emit('line', line)
  }

  /** The most recent lines, oldest first. */
  lines(): string[] {
    return [...this.#recent]
  }

  /** The file being written now (pino-roll numbers them: host.1.log, host.2.log, …). */
  get currentFile(): string | undefined {
    return this.#stream?.file ?? undefined
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const stream = this.#stream
    this.#stream = undefined
    if (!stream) return
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve())
      stream.once('error', () => resolve())
      stream.end()
    })
  }
}
