// The debug log window: the host's log lines as they are written, with a checkbox for debug
// detail (the logger's level, changed at run time) and a button that shows the log file in
// Finder. The lines still go to the rotating file whether or not the window is open.
//
//   const logs = new LogWindow(electron, files, { sink, log })
//   logs.toggle()                        // "Toggle Debug Logs" in the menu
//
// Lines are formatted here (formatLogLine), so the page only appends text.

import type { Logger } from '@localllm/host'
import type { ElectronApi } from './electron-api.js'
import type { LogSink } from './log-sink.js'
import { PageWindow, type PageFiles } from './page-window.js'

export const LOG_WINDOW_SIZE = { width: 760, height: 460 }

export interface LogView {
  lines: string[]
  debug: boolean
  file: string | undefined
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL'
}

/** One pino JSON line as "12:03:04 INFO  announced server_id_prefix=4f3a …". */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.trimEnd()
  }
  const { time, level, msg, ...rest } = entry
  const clock = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '--:--:--'
  const name = (typeof level === 'number' ? LEVEL_NAMES[level] : undefined) ?? String(level)
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  return [clock, name.padEnd(5), typeof msg === 'string' ? msg : '', ...fields].join(' ').trimEnd()
}

export class LogWindow {
  readonly #page: PageWindow
  readonly #sink: LogSink
  readonly #log: Logger

  constructor(
    electron: Pick<ElectronApi, 'app' | 'BrowserWindow' | 'ipcMain' | 'shell'>,
    files: PageFiles,
    parts: { sink: LogSink; log: Logger }
  ) {
    this.#sink = parts.sink
    this.#log = parts.log
    this.#page = new PageWindow(
      electron,
      files,
      { page: 'logs.html', title: 'LocalLLM Logs', ...LOG_WINDOW_SIZE, resizable: true },
      {
        view: () => this.view(),
        action: (type, value) => {
          if (type === 'set-debug') this.setDebug(value === true)
          const file = this.#sink.currentFile
          if (type === 'reveal' && file) electron.shell.showItemInFolder(file)
        }
      }
    )
    this.#sink.on('line', this.#onLine)
  }

  get isOpen(): boolean {
    return this.#page.isOpen
  }

  get debug(): boolean {
    return this.#log.isLevelEnabled('debug')
  }

  view(): LogView {
    return {
      lines: this.#sink.lines().map(formatLogLine),
      debug: this.debug,
      file: this.#sink.currentFile
    }
  }

  toggle(): void {
    if (this.#page.isOpen) this.#page.close()
    else this.#page.show()
  }

  setDebug(enabled: boolean): void {
    this.#log.level = enabled ? 'debug' : 'info'
    this.#log.info({ level: this.#log.level }, 'log level changed')
    this.#page.post({ debug: this.debug })
  }

  close(): void {
    this.#sink.off('line', this.#onLine)
    this.#page.close()
  }

  #onLine = (line: string): void => {
    this.#page.post({ append: [formatLogLine(line)] })
  }
}
