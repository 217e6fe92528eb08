// A fake Electron for main-process tests: records what the app does to the tray, menus,
// windows, clipboard, dialogs and login items, and lets a test click menu items, answer
// dialogs and act as a page. Quitting follows Electron's rules: 'before-quit' listeners may
// call preventDefault(), and only a quit nobody prevented ends the app. Everything it records
// wakes `until()`, so a test waits for what the app does, not for a clock.
//
//   const electron = new FakeElectron(journal, { userData, logs })
//   await runMenubar({ electron: electron.api, createHost: () => host })
//   (await electron.tray.click()).item('Quit LocalLLM').click()
//   await electron.until(() => electron.ended, 'the app ended')

import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions, MessageBoxOptions, NativeImage } from 'electron'
import { Wakeup } from '@localllm/testing'
import type { ElectronApi, MenuTemplateItem } from '../../src/electron-api.js'
import { ACTION_CHANNEL, VIEW_CHANNEL } from '../../src/page-window.js'

export class FakeImage {
  readonly representations: Array<{ scaleFactor: number; buffer: Buffer }> = []
  template = false

  addRepresentation(options: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push(options)
  }

  setTemplateImage(option: boolean): void {
    this.template = option
  }
}

export class FakeMenu {
  readonly template: MenuTemplateItem[]

  constructor(template: MenuTemplateItem[]) {
    this.template = template
  }

  /** The item with this label, looked up in submenus too. */
  item(label: string | RegExp): MenuTemplateItem & { click(): void } {
    const found = find(this.template, label)
    if (!found) throw new Error(`no menu item ${String(label)} in ${this.labels().join(' | ')}`)
    return { ...found, click: () => found.click?.() }
  }

  has(label: string | RegExp): boolean {
    return find(this.template, label) !== undefined
  }

  labels(items = this.template): string[] {
    return items.flatMap((i) => [i.type === 'separator' ? '---' : (i.label ?? '')])
  }
}

function find(items: MenuTemplateItem[], label: string | RegExp): MenuTemplateItem | undefined {
  for (const item of items) {
    const matches = typeof label === 'string' ? item.label === label : label.test(item.label ?? '')
    if (matches) return item
    const inner = item.submenu && find(item.submenu, label)
    if (inner) return inner
  }
  return undefined
}

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; message: unknown }> = []
  readonly #news: Wakeup

  constructor(news: Wakeup) {
    super()
    this.#news = news
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, message: args[0] })
    this.#news.wake()
  }

  /** The views the page received, in order. */
  get views(): unknown[] {
    return this.sent.filter((s) => s.channel === VIEW_CHANNEL).map((s) => s.message)
  }
}

export class FakeElectron {
  readonly journal: string[]
  readonly trays: FakeTray[] = []
  readonly windows: FakeWindow[] = []
  readonly dialogs: MessageBoxOptions[] = []
  readonly loginItems: Array<{ openAtLogin: boolean }> = []
  readonly ipc = new EventEmitter()
  /** The response (button index) the next message boxes give; Cancel is index 1. */
  dialogResponse = 0
  clipboardText = ''
  dockHidden = false
  singleInstance = true
  ended = false
  revealed: string[] = []
  readonly #app = new EventEmitter()
  readonly #paths: { userData: string; logs: string }
  readonly #news = new Wakeup()

  constructor(journal: string[], paths: { userData: string; logs: string }) {
    this.journal = journal
    this.#paths = paths
  }

  get tray(): FakeTray {
    const tray = this.trays.at(-1)
    if (!tray) throw new Error('no tray was created')
    return tray
  }

  /** Resolves once `check()` holds, re-checked each time the app does something to Electron. */
  async until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    await this.#news.until(
      () => check() || undefined,
      timeoutMs,
      () => new Error(`timed out waiting for ${what}`)
    )
  }

  /** The window showing this page (e.g. 'qr.html'), if one is open. */
  window(page: string): FakeWindow | undefined {
    return this.windows.find((w) => !w.destroyed && w.file?.endsWith(page))
  }

  /** What a page's button does: an action on the bridge's channel. */
  pageAction(win: FakeWindow, type: string, value?: unknown): void {
    this.ipc.emit(ACTION_CHANNEL, { sender: win.webContents }, type, value)
  }

  /** ⌘Q, logging out, or the menu's Quit: Electron emits 'before-quit' first. */
  quit(): void {
    let prevented = false
    this.#app.emit('before-quit', { preventDefault: () => (prevented = true) })
    if (!prevented) {
      this.ended = true
      this.journal.push('app ended')
      this.#news.wake()
    }
  }

  emitApp(event: string): void {
    this.#app.emit(event)
  }

  get api(): ElectronApi {
    const app = this.#app
    const paths = this.#paths
    const news = this.#news
    const record = <T>(list: T[], item: T) => {
      list.push(item)
      news.wake()
    }
    const trays = this.trays
    const windows = this.windows
    class Tray extends FakeTray {
      constructor(image: NativeImage) {
        super(image, news)
        record(trays, this)
      }
    }
    class BrowserWindow extends FakeWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        super(options, news)
        record(windows, this)
      }
    }
    return {
      app: {
        dock: { hide: () => void (this.dockHidden = true) },
        requestSingleInstanceLock: () => this.singleInstance,
        whenReady: () => Promise.resolve(),
        quit: () => this.quit(),
        getPath: (name) => paths[name],
        setLoginItemSettings: (settings) => record(this.loginItems, settings),
        focus: () => {},
        on: (event: string, listener: (event: { preventDefault(): void }) => void) =>
          app.on(event, listener)
      },
      Tray,
      Menu: { buildFromTemplate: (template) => new FakeMenu(template) },
      nativeImage: { createEmpty: () => new FakeImage() as unknown as NativeImage },
      BrowserWindow,
      ipcMain: this.ipc,
      clipboard: {
        writeText: (text) => {
          this.clipboardText = text
          news.wake()
        }
      },
      dialog: {
        showMessageBox: (options) => {
          record(this.dialogs, options)
          return Promise.resolve({ response: this.dialogResponse })
        }
      },
      shell: { showItemInFolder: (path) => record(this.revealed, path) }
    }
  }
}

export class FakeTray extends EventEmitter {
  image: FakeImage
  tooltip = ''
  menus: FakeMenu[] = []
  destroyed = false
  readonly #news: Wakeup

  constructor(image: NativeImage, news: Wakeup) {
    super()
    this.image = image as unknown as FakeImage
    this.#news = news
  }

  setImage(image: NativeImage): void {
    this.image = image as unknown as FakeImage
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip
  }

  popUpContextMenu(menu?: object): void {
    this.menus.push(menu as FakeMenu)
    this.#news.wake()
  }

  destroy(): void {
    this.destroyed = true
  }

  /** Clicks the icon and resolves with the menu that pops up. */
  async click(): Promise<FakeMenu> {
    const before = this.menus.length
    this.emit('click')
    return this.#news.until(
      () => this.menus[before],
      3000,
      () => new Error('no menu popped up')
    )
  }
}

export class FakeWindow extends EventEmitter {
  readonly options: BrowserWindowConstructorOptions
  readonly webContents: FakeWebContents
  file: string | undefined
  shown = false
  destroyed = false

  constructor(options: BrowserWindowConstructorOptions, news: Wakeup) {
    super()
    this.options = options
    this.webContents = new FakeWebContents(news)
  }

  /** Loads at once: the page's 'did-finish-load' follows on the next tick. */
  loadFile(filePath: string): Promise<void> {
    this.file = filePath
    setImmediate(() => this.webContents.emit('did-finish-load'))
    return Promise.resolve()
  }

  show(): void {
    this.shown = true
  }

  focus(): void {}

  close(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('closed')
  }

  isDestroyed(): boolean {
    return this.destroyed
  }
}
