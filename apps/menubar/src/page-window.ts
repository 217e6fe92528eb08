// One of the app's small windows (QR code, debug logs, display name): a static page from
// static/, the preload bridge (preload.cts), a view pushed to the page, and the page's
// actions back to the main process.
//
//   const win = new PageWindow(electron, files, { page: 'qr.html', title, width, height },
//     { view: () => currentView, action: (type, value) => … })
//   win.show()                 // opens it, or brings it forward
//   win.post({ svg, … })       // to the page now, if it is loaded
//
// The page gets `view()` each time it finishes loading, so a message posted before that is
// not lost: the view it gets already includes it.

import { join } from 'node:path'
import type { ElectronApi, WindowApi } from './electron-api.js'

export const VIEW_CHANNEL = 'localllm:view'
export const ACTION_CHANNEL = 'localllm:action'

export interface PageFiles {
  /** The folder with the pages (static/). */
  staticDir: string
  /** The compiled preload script (dist/src/preload.cjs). */
  preload: string
}

export interface PageWindowOptions {
  page: string
  title: string
  /** The page's size in points, title bar not included. */
  width: number
  height: number
  alwaysOnTop?: boolean
  resizable?: boolean
}

export interface PageHandlers {
  /** What the page shows when it (re)loads. */
  view(): unknown
  /** A button or field on the page asked for something. */
  action(type: string, value: unknown): void
}

type Electron = Pick<ElectronApi, 'app' | 'BrowserWindow' | 'ipcMain'>

export class PageWindow {
  readonly #electron: Electron
  readonly #files: PageFiles
  readonly #options: PageWindowOptions
  readonly #handlers: PageHandlers
  #window: WindowApi | undefined
  #loaded = false

  constructor(
    electron: Electron,
    files: PageFiles,
    options: PageWindowOptions,
    handlers: PageHandlers
  ) {
    this.#electron = electron
    this.#files = files
    this.#options = options
    this.#handlers = handlers
  }

  get isOpen(): boolean {
    return this.#window !== undefined
  }

  show(): void {
    const win = this.#window ?? this.#open()
    win.show()
    win.focus()
    this.#electron.app.focus({ steal: true })
  }

  post(message: unknown): void {
    if (this.#window && this.#loaded) this.#window.webContents.send(VIEW_CHANNEL, message)
  }

  close(): void {
    const win = this.#window
    if (win && !win.isDestroyed()) win.close()
  }

  #open(): WindowApi {
    const { BrowserWindow, ipcMain } = this.#electron
    const o = this.#options
    const win = new BrowserWindow({
      title: o.title,
      width: o.width,
      height: o.height,
      useContentSize: true, // the page gets width × height; the title bar is extra
      show: false,
      alwaysOnTop: o.alwaysOnTop ?? false,
      resizable: o.resizable ?? false,
      minimizable: false,
      fullscreenable: false,
      webPreferences: {
        preload: this.#files.preload,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false
      }
    })
    const onAction = (event: { sender: unknown }, type: unknown, value: unknown) => {
      if (event.sender === win.webContents && typeof type === 'string') {
        this.#handlers.action(type, value)
      }
    }
    ipcMain.on(ACTION_CHANNEL, onAction)
    win.webContents.on('did-finish-load', () => {
      this.#loaded = true
      win.webContents.send(VIEW_CHANNEL, this.#handlers.view())
    })
    win.on('closed', () => {
      ipcMain.removeListener(ACTION_CHANNEL, onAction)
      this.#window = undefined
      this.#loaded = false
    })
    this.#window = win
    // Rejects when the window is closed while loading: nothing is left to do then.
    win.loadFile(join(this.#files.staticDir, o.page)).catch(() => {})
    return win
  }
}
