// The parts of Electron the menu bar app uses, as one object passed in: electron-entry.ts
// passes the real module (so these types are checked against electron.d.ts), tests pass a
// fake. Types only: nothing here loads Electron.
//
//   await runMenubar({ electron, createHost })     // electron: ElectronApi
//
// Method syntax on purpose: TypeScript compares method parameters both ways, so the real
// classes (whose `on` has dozens of overloads) satisfy these narrow shapes.

import type { BrowserWindowConstructorOptions, MessageBoxOptions, NativeImage } from 'electron'

export interface ElectronApi {
  app: AppApi
  Tray: new (image: ImageApi) => TrayApi
  Menu: { buildFromTemplate(template: MenuTemplateItem[]): MenuApi }
  nativeImage: { createEmpty(): ImageApi }
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => WindowApi
  ipcMain: IpcMainApi
  clipboard: { writeText(text: string): void }
  dialog: { showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> }
  shell: { showItemInFolder(fullPath: string): void }
}

export interface AppApi {
  readonly dock: { hide(): void } | undefined
  requestSingleInstanceLock(): boolean
  whenReady(): Promise<void>
  quit(): void
  getPath(name: 'userData' | 'logs'): string
  setLoginItemSettings(settings: { openAtLogin: boolean }): void
  /** `steal`: an agent app (no Dock icon) has to take focus to bring its window forward. */
  focus(options?: { steal: boolean }): void
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown
  on(event: 'window-all-closed', listener: () => void): unknown
  on(event: 'second-instance', listener: () => void): unknown
}

/** Electron's own type: Tray's constructor accepts nothing narrower. Fakes cast to it. */
export type ImageApi = NativeImage

export interface TrayApi {
  setImage(image: ImageApi): void
  setToolTip(toolTip: string): void
  popUpContextMenu(menu?: MenuApi): void
  destroy(): void
  on(event: 'click', listener: () => void): unknown
  on(event: 'right-click', listener: () => void): unknown
}

/** An Electron menu, only ever handed back to the tray. */
export type MenuApi = object

export interface MenuTemplateItem {
  type?: 'normal' | 'separator' | 'checkbox'
  label?: string
  enabled?: boolean
  checked?: boolean
  click?: () => void
  submenu?: MenuTemplateItem[]
}

export interface WindowApi {
  readonly webContents: WebContentsApi
  loadFile(filePath: string): Promise<void>
  show(): void
  focus(): void
  close(): void
  isDestroyed(): boolean
  on(event: 'closed', listener: () => void): unknown
}

export interface WebContentsApi {
  send(channel: string, ...args: unknown[]): void
  on(event: 'did-finish-load', listener: () => void): unknown
}

export interface IpcMainApi {
  on(channel: string, listener: (event: { sender: unknown }, ...args: unknown[]) => void): unknown
  removeListener(
    channel: string,
    listener: (event: { sender: unknown }, ...args: unknown[]) => void
  ): unknown
}
