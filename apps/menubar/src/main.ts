// The menu bar app's main process: the tray icon and its menu, the small windows (QR code,
// logs, display name, relay), the settings and the host engine, wired together. Electron and the engine come in as
// arguments, so tests drive all of it with fakes; electron-entry.ts passes the real ones.
//
//   await runMenubar({ electron, createHost: ({ configDir, log }) => new LocalLLMHost({ … }) })
//
// The menu is rebuilt from buildMenu(state) each time it opens, after a short wait for a
// fresh model list. Anything that drops people (Remove…, Regenerate…) asks first. Quitting (the menu, ⌘Q, logging out) goes through 'before-quit', which
// is held until the server has stopped, so connected clients hear that the host stopped.

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger, type HostState, type LocalLLMHost, type Logger } from '@localllm/host'
import type { ElectronApi, ImageApi, MenuTemplateItem, TrayApi } from './electron-api.js'
import { LogSink } from './log-sink.js'
import { LogWindow } from './log-window.js'
import { buildMenu, type MenuAction, type MenuEntry } from './menu.js'
import { NameWindow } from './name-window.js'
import type { PageFiles } from './page-window.js'
import { QrWindow } from './qr-window.js'
import { RelayWindow } from './relay-window.js'
import { SettingsStore } from './settings.js'
import { trayTooltip } from './status-text.js'
import { TRAY_ICON_NAMES, trayIconFor, trayIconPng, type TrayIconName } from './tray-icons.js'

/** The engine as the app uses it: LocalLLMHost, or a stand-in in tests. */
export interface HostEngine extends Pick<
  LocalLLMHost,
  | 'state'
  | 'start'
  | 'stop'
  | 'setModel'
  | 'setDisplayName'
  | 'regenerate'
  | 'refreshOllama'
  | 'listDevices'
  | 'removeDevice'
  | 'setRelay'
> {
  on(event: 'state', listener: (state: HostState) => void): unknown
  off(event: 'state', listener: (state: HostState) => void): unknown
}

export interface MenubarOptions {
  electron: ElectronApi
  /** Makes the engine; its identity and settings go in `configDir` (the app-data folder). */
  createHost(options: { configDir: string; log: Logger }): HostEngine
  /** The pages and the preload script; by default the package's own. */
  files?: PageFiles
  /** How long an opening menu waits for Ollama's model list. */
  menuRefreshMs?: number
  /** How long Quit waits for the server to stop before exiting anyway. */
  stopTimeoutMs?: number
}

/** What a menu item or one of the windows asks the app to do. */
export type AppAction =
  | MenuAction
  | { type: 'save-display-name'; name: string }
  | { type: 'save-relay'; key: Uint8Array | null }

export const DEFAULT_FILES: PageFiles = {
  staticDir: fileURLToPath(new URL('../../static/', import.meta.url)),
  preload: fileURLToPath(new URL('./preload.cjs', import.meta.url))
}

/** Starts the app; undefined when another instance already runs (this one then quits). */
export async function runMenubar(options: MenubarOptions): Promise<MenubarApp | undefined> {
  const { app } = options.electron
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return undefined
  }
  app.dock?.hide() // LSUIElement does this for the packaged app; this covers `electron .`
  await app.whenReady()
  const menubar = new MenubarApp(options)
  await menubar.ready()
  return menubar
}

export class MenubarApp {
  readonly #options: MenubarOptions
  readonly #electron: ElectronApi
  readonly #settings: SettingsStore
  readonly #sink: LogSink
  readonly #log: Logger
  readonly #host: HostEngine
  readonly #images = new Map<TrayIconName, ImageApi>()
  readonly #qr: QrWindow
  readonly #logs: LogWindow
  readonly #names: NameWindow
  readonly #relay: RelayWindow
  #tray: TrayApi | undefined
  #shown = { icon: '', tooltip: '' }
  #quit: 'no' | 'stopping' | 'stopped' = 'no'
  #closing: Promise<void> | undefined
  readonly #running = new Set<Promise<void>>()

  constructor(options: MenubarOptions) {
    const electron = (this.#electron = options.electron)
    const files = options.files ?? DEFAULT_FILES
    const dataDir = electron.app.getPath('userData')
    this.#options = options
    this.#settings = new SettingsStore(dataDir)
    this.#sink = new LogSink({ file: join(electron.app.getPath('logs'), 'host.log') })
    this.#log = createLogger({ level: 'info', stream: this.#sink })
    this.#host = options.createHost({ configDir: dataDir, log: this.#log })
    this.#qr = new QrWindow(electron, files, { copy: () => this.#copyServerId() })
    this.#logs = new LogWindow(electron, files, { sink: this.#sink, log: this.#log })
    this.#names = new NameWindow(electron, files, {
      save: (name) => void this.dispatch({ type: 'save-display-name', name })
    })
    this.#relay = new RelayWindow(electron, files, {
      save: (key) => void this.dispatch({ type: 'save-relay', key })
    })
  }

  async ready(): Promise<void> {
    const { app, Tray } = this.#electron
    await this.#sink.ready()
    const settings = await this.#settings.load()
    try {
      if (settings.displayName) await this.#host.setDisplayName(settings.displayName)
      if (settings.model) await this.#host.setModel(settings.model)
    } catch (err) {
      await this.#showError('LocalLLM could not read its settings', err)
    }
    // The Devices menu lists paired devices while the server is stopped too.
    await this.#host.listDevices().catch((err: unknown) => {
      this.#log.error({ err }, 'could not read the paired devices')
    })

    for (const name of TRAY_ICON_NAMES) this.#images.set(name, this.#trayImage(name))
    const tray = (this.#tray = new Tray(this.#image(trayIconFor(this.#host.state))))
    tray.on('click', () => void this.openMenu())
    tray.on('right-click', () => void this.openMenu())
    this.#host.on('state', this.#render)
    this.#render(this.#host.state)

    app.on('before-quit', this.#onBeforeQuit)
    app.on('window-all-closed', () => {}) // closing the last window must not quit a tray app
    app.on('second-instance', () => {
      if (this.#host.state.serverId) void this.dispatch({ type: 'show-qr' })
    })

    this.#log.info({ settings: this.#settings.file }, 'menu bar app ready')
    void this.dispatch({ type: 'retry-ollama' })
    if (settings.runningAtLastQuit) void this.dispatch({ type: 'start' })
  }

  /** Rebuilds the menu from the current state (with a fresh model list) and pops it up. */
  async openMenu(): Promise<void> {
    await withTimeout(this.#host.refreshOllama(), this.#options.menuRefreshMs ?? 400)
    const menu = this.#electron.Menu.buildFromTemplate(this.#menuTemplate())
    this.#tray?.popUpContextMenu(menu)
  }

  /** The Electron template for the menu as it would open now. */
  #menuTemplate(): MenuTemplateItem[] {
    const entries = buildMenu(this.#host.state, {
      openAtLogin: this.#settings.current.openAtLogin,
      debugLogsVisible: this.#logs.isOpen,
      now: Date.now()
    })
    return toTemplate(entries, (action) => void this.dispatch(action))
  }

  /** Carries out what a menu item or window asked for; a failure becomes an error dialog. */
  dispatch(action: AppAction): Promise<void> {
    const done: Promise<void> = this.#dispatch(action).finally(() => this.#running.delete(done))
    this.#running.add(done)
    return done
  }

  /**
   * Resolves once every action under way has finished (a menu item's click does not wait for
   * its action): the engine was asked, the settings saved, any error dialog answered.
   */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running)
  }

  async #dispatch(action: AppAction): Promise<void> {
    const { app } = this.#electron
    try {
      switch (action.type) {
        case 'start':
          return await this.#host.start()
        case 'stop':
          return await this.#host.stop()
        case 'select-model':
          await this.#host.setModel(action.model)
          await this.#settings.update({ model: action.model })
          return
        case 'copy-server-id':
          return this.#copyServerId()
        case 'show-qr':
          await this.#qr.update(this.#host.state)
          return this.#qr.show()
        case 'edit-display-name':
          return this.#names.show(this.#host.state.displayName)
        case 'save-display-name':
          await this.#host.setDisplayName(action.name)
          await this.#settings.update({ displayName: action.name })
          return
        case 'regenerate':
          return await this.#regenerate()
        case 'remove-device':
          return await this.#removeDevice(action.key, action.name)
        case 'edit-relay':
          return this.#relay.show(this.#host.state)
        case 'save-relay':
          return await this.#host.setRelay(action.key)
        case 'set-open-at-login':
          app.setLoginItemSettings({ openAtLogin: action.enabled })
          await this.#settings.update({ openAtLogin: action.enabled })
          return
        case 'toggle-debug-logs':
          return this.#logs.toggle()
        case 'retry-ollama':
          return await this.#host.refreshOllama()
        case 'quit':
          return app.quit()
      }
    } catch (err) {
      this.#log.error({ err, action: action.type }, 'menu action failed')
      await this.#showError(FAILURES[action.type] ?? 'That did not work', err)
    }
  }

  /** Stops the server (clients are told), records whether it ran, and closes everything. */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    const running = this.#host.state.status !== 'stopped'
    await this.#settings.update({ runningAtLastQuit: running }).catch((err: unknown) => {
      this.#log.error({ err }, 'could not save settings')
    })
    await withTimeout(this.#host.stop(), this.#options.stopTimeoutMs ?? 3000)
    this.#host.off('state', this.#render)
    this.#relay.close()
    this.#names.close()
    this.#logs.close()
    this.#qr.close()
    this.#tray?.destroy()
    this.#tray = undefined
    this.#log.info('quit')
    await this.#sink.close()
  }

  #onBeforeQuit = (event: { preventDefault(): void }): void => {
    if (this.#quit === 'stopped') return
    event.preventDefault()
    if (this.#quit === 'stopping') return
    this.#quit = 'stopping'
    void this.close().finally(() => {
      this.#quit = 'stopped'
      this.#electron.app.quit()
    })
  }

  #render = (state: HostState): void => {
    const icon = trayIconFor(state)
    const tooltip = trayTooltip(state)
    if (icon !== this.#shown.icon) this.#tray?.setImage(this.#image(icon))
    if (tooltip !== this.#shown.tooltip) this.#tray?.setToolTip(tooltip)
    this.#shown = { icon, tooltip }
    void this.#qr.update(state)
  }

  #copyServerId(): void {
    const id = this.#host.state.serverId
    if (id) this.#electron.clipboard.writeText(id)
  }

  async #regenerate(): Promise<void> {
    this.#electron.app.focus({ steal: true })
    const { response } = await this.#electron.dialog.showMessageBox({
      type: 'warning',
      message: 'Regenerate the Server ID?',
      detail:
        'Everyone connected will be disconnected, and the current Server ID and QR code ' +
        'will stop working. People need the new ID to connect again.',
      buttons: ['Regenerate', 'Cancel'],
      defaultId: 1,
      cancelId: 1
    })
    if (response === 0) await this.#host.regenerate()
  }

  async #removeDevice(key: string, name: string): Promise<void> {
    this.#electron.app.focus({ steal: true })
    const { response } = await this.#electron.dialog.showMessageBox({
      type: 'warning',
      message: `Remove “${name}”?`,
      detail:
        `${name} is disconnected now and cannot connect again. The Server ID and QR code ` +
        'change, so the current ones pair no new device. Your other devices keep working ' +
        'without the new ID.',
      buttons: ['Remove', 'Cancel'],
      defaultId: 1,
      cancelId: 1
    })
    if (response === 0) await this.#host.removeDevice(key)
  }

  async #showError(message: string, err: unknown): Promise<void> {
    this.#electron.app.focus({ steal: true })
    await this.#electron.dialog.showMessageBox({
      type: 'error',
      message,
      detail: err instanceof Error ? err.message : String(err),
      buttons: ['OK']
    })
  }

  #trayImage(name: TrayIconName): ImageApi {
    const image = this.#electron.nativeImage.createEmpty()
    image.addRepresentation({ scaleFactor: 1, buffer: trayIconPng(name, 1) })
    image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(name, 2) })
    image.setTemplateImage(true)
    return image
  }

  #image(name: TrayIconName): ImageApi {
    const image = this.#images.get(name)
    if (!image) throw new Error(`no tray image ${name}`)
    return image
  }
}

const FAILURES: Partial<Record<string, string>> = {
  start: 'The server could not start',
  stop: 'The server did not stop cleanly',
  'select-model': 'The model could not be saved',
  'save-display-name': 'The display name could not be saved',
  regenerate: 'The Server ID could not be regenerated',
  'remove-device': 'The device could not be removed',
  'save-relay': 'The relay could not be saved',
  'set-open-at-login': 'Open at Login could not be changed'
}

export function toTemplate(
  entries: MenuEntry[],
  dispatch: (action: MenuAction) => void
): MenuTemplateItem[] {
  return entries.map((entry): MenuTemplateItem => {
    if (entry === 'separator') return { type: 'separator' }
    const { action } = entry
    return {
      type: entry.checked === undefined ? 'normal' : 'checkbox',
      label: entry.label,
      enabled: entry.enabled,
      ...(entry.checked === undefined ? {} : { checked: entry.checked }),
      ...(action ? { click: () => dispatch(action) } : {}),
      ...(entry.submenu ? { submenu: toTemplate(entry.submenu, dispatch) } : {})
    }
  })
}

/** Waits for `promise`, but at most `ms`; its failure is someone else's to report. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  ])
  clearTimeout(timer)
}
