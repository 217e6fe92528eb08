// The QR window: a small always-on-top window with the QR code of the connect link, the
// Server ID in monospace with a Copy button, the display name and model, and how to use it.
// It follows the host's state, so a regenerated Server ID replaces the code in place.
//
//   const qr = new QrWindow(electron, files, { copy: () => clipboard.writeText(id) })
//   qr.update(host.state)      // on every 'state' event; cheap unless something shown changed
//   qr.show()
//
// The page (static/qr.html) only places what it is given; the SVG is made here by `qrcode`.

import QRCode from 'qrcode'
import type { HostState } from '@localllm/host'
import type { ElectronApi } from './electron-api.js'
import { PageWindow, type PageFiles } from './page-window.js'

export interface QrView {
  /** The QR code of `link`, as an SVG document. */
  svg: string
  serverId: string
  link: string
  displayName: string
  model: string | undefined
  /** Whether the server is running, i.e. whether scanning works right now. */
  running: boolean
}

export const QR_HINT = 'Scan with LocalLLM on your iPhone'

export const QR_WINDOW_SIZE = { width: 340, height: 440 }

/** What the QR window shows for this state; undefined while there is no Server ID yet. */
export async function qrView(state: HostState): Promise<QrView | undefined> {
  if (!state.serverId || !state.connectLink) return undefined
  const svg = await QRCode.toString(state.connectLink, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2
  })
  return {
    svg,
    serverId: state.serverId,
    link: state.connectLink,
    displayName: state.displayName,
    model: state.model,
    running: state.status === 'ready' || state.status === 'busy'
  }
}

export class QrWindow {
  readonly #page: PageWindow
  #view: QrView | undefined
  #key = ''
  #latest = 0

  constructor(
    electron: Pick<ElectronApi, 'app' | 'BrowserWindow' | 'ipcMain'>,
    files: PageFiles,
    handlers: { copy(): void }
  ) {
    this.#page = new PageWindow(
      electron,
      files,
      { page: 'qr.html', title: 'LocalLLM Server ID', ...QR_WINDOW_SIZE, alwaysOnTop: true },
      {
        view: () => this.#view ?? null,
        action: (type) => {
          if (type === 'copy') handlers.copy()
        }
      }
    )
  }

  get isOpen(): boolean {
    return this.#page.isOpen
  }

  /** Recomputes the view when something it shows changed, and posts it to an open window. */
  async update(state: HostState): Promise<void> {
    const running = state.status === 'ready' || state.status === 'busy'
    const key = JSON.stringify([state.connectLink, state.displayName, state.model, running])
    if (key === this.#key) return
    this.#key = key
    const call = ++this.#latest
    const view = await qrView(state)
    if (call !== this.#latest) return // a newer state won the race
    this.#view = view
    this.#page.post(view ?? null)
  }

  show(): void {
    this.#page.show()
  }

  close(): void {
    this.#page.close()
  }
}
