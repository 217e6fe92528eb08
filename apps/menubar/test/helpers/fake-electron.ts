// A fake Electron for main-process tests: records what the app does to the tray, menus,
// windows, clipboard, dialogs and login items, and lets a test click menu items, answer
// dialogs and act as a page. Quitting follows Electron's rules: 'before-quit' listeners may
// call preventDefault(), and only a quit nobody prevented ends the app.
//
//   const electron = new FakeElectron(journal, { userData, logs })
//   await runMenubar({ electron: electron.api, createHost: () => host })
//   await electron.tray.click(); electron.menu.item('Copy Server ID').click()

import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions, MessageBoxOptions, NativeImage } from 'electron'
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

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, message: args[0] })
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

  constructor(journal: string[], paths: { userData: string; logs: string }) {
    this.journal = journal
    this.#paths = paths
  }

  get tray(): FakeTray {
    const tray = this.trays.at(-1)
    if (!tray) throw new Error('no tray was created')
    return tray
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
    }
  }

  emitApp(event: string): void {
    this.#app.emit(event)
  }

  get api(): ElectronApi {
    const app = this.#app
    const paths = this.#paths
    const onTray = (tray: FakeTray) => this.trays.push(tray)
    const onWindow = (win: FakeWindow) => this.windows.push(win)
    class Tray extends FakeTray {
      constructor(image: NativeImage) {
        super(image)
        onTray(this)
      }
    }
    class BrowserWindow extends FakeWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        super(options)
        onWindow(this)
      }
    }
    return {
      app: {
        dock: { hide: () => void (this.dockHidden = true) },
        requestSingleInstanceLock: () => this.singleInstance,
        whenReady: () => Promise.resolve(),
        quit: () => this.quit(),
        getPath: (name) => paths[name],
        setLoginItemSettings: (settings) => void this.loginItems.push(settings),
        focus: () => {},
        on: (event: string, listener: (event: { preventDefault(): void }) => void) =>
          app.on(event, listener)
      },
      Tray,
      Menu: { buildFromTemplate: (template) => new FakeMenu(template) },
      nativeImage: { createEmpty: () => new FakeImage() as unknown as NativeImage },
      BrowserWindow,
      ipcMain: this.ipc,
      clipboard: { writeText: (text) => void (this.clipboardText = text) },
      dialog: {
        showMessageBox: (options) => {
          this.dialogs.push(options)
          return Promise.resolve({ response: this.dialogResponse })
        }
      },
      shell: { showItemInFolder: (path) => void this.revealed.push(path) }
    }
  }
}

export class FakeTray extends EventEmitter {
  image: FakeImage
  tooltip = ''
  menus: FakeMenu[] = []
  destroyed = false

  constructor(image: NativeImage) {
    super()
    this.image = image as unknown as FakeImage
  }

  setImage(image: NativeImage): void {
    this.image = image as unknown as FakeImage
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip
  }

  popUpContextMenu(menu?: object): void {
    this.menus.push(menu as FakeMenu)
  }

  destroy(): void {
    this.destroyed = true
  }

  /** Clicks the icon and resolves with the menu that pops up. */
  async click(): Promise<FakeMenu> {
    const before = this.menus.length
    this.emit('click')
    const deadline = Date.now() + 3000
    while (this.menus.length === before) {
      if (Date.now() > deadline) throw new Error('no menu popped up')
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    return this.menus.at(-1) as FakeMenu
  }
}

export class FakeWindow extends EventEmitter {
  readonly options: BrowserWindowConstructorOptions
  readonly webContents = new FakeWebContents()
  file: string | undefined
  shown = false
  destroyed = false

  constructor(options: BrowserWindowConstructorOptions) {
    super()
    this.options = options
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
