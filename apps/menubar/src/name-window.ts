// The "Display Name…" window: one text field with the name clients see in `server_info`,
// checked here (trimmed, not empty, at most LIMITS.maxNameLength characters) before the host
// gets it; a name that fails stays in the field with the reason under it.
//
//   const names = new NameWindow(electron, files, { save: (name) => host.setDisplayName(name) })
//   names.show(host.state.displayName)

import { LIMITS } from '@localllm/protocol'
import type { ElectronApi } from './electron-api.js'
import { PageWindow, type PageFiles } from './page-window.js'

export const NAME_WINDOW_SIZE = { width: 380, height: 190 }

export type DisplayNameResult = { ok: true; name: string } | { ok: false; error: string }

export function parseDisplayName(input: unknown): DisplayNameResult {
  const name = typeof input === 'string' ? input.trim() : ''
  if (name.length === 0) return { ok: false, error: 'Enter a name.' }
  if ([...name].length > LIMITS.maxNameLength) {
    return { ok: false, error: `At most ${LIMITS.maxNameLength} characters.` }
  }
  return { ok: true, name }
}

export class NameWindow {
  readonly #page: PageWindow
  #current = ''

  constructor(
    electron: Pick<ElectronApi, 'app' | 'BrowserWindow' | 'ipcMain'>,
    files: PageFiles,
    handlers: { save(name: string): void }
  ) {
    this.#page = new PageWindow(
      electron,
      files,
      { page: 'name.html', title: 'Display Name', ...NAME_WINDOW_SIZE },
      {
        view: () => ({ displayName: this.#current, maxLength: LIMITS.maxNameLength }),
        action: (type, value) => {
          if (type === 'cancel') return this.#page.close()
          if (type !== 'save') return
          const result = parseDisplayName(value)
          if (!result.ok) return this.#page.post({ error: result.error })
          handlers.save(result.name)
          this.#page.close()
        }
      }
    )
  }

  get isOpen(): boolean {
    return this.#page.isOpen
  }

  show(current: string): void {
    if (!this.#page.isOpen) this.#current = current
    this.#page.show()
  }

  close(): void {
    this.#page.close()
  }
}
