// The "Relay…" window: the public key of the blind relay the host falls back to when a
// device cannot reach it directly, pasted as `localllm relay` prints it (z-base32, or hex),
// to set, change or turn off. Checked here; the engine saves it (host.setRelay).
//
//   const relay = new RelayWindow(electron, files, { save: (key) => host.setRelay(key) })
//   relay.show(host.state)          // save(Uint8Array) on Save, save(null) on Turn Off
//
// A running server restarts on a new key, so the page says so before Save is pressed.

import { decode, encode } from 'hypercore-id-encoding'
import type { HostState } from '@localllm/host'
import { parsePairingCode } from '@localllm/protocol'
import type { ElectronApi } from './electron-api.js'
import { PageWindow, type PageFiles } from './page-window.js'

export const RELAY_WINDOW_SIZE = { width: 440, height: 280 }

export interface RelayView {
  /** The relay in use, as `localllm relay` prints it; '' when none. */
  relay: string
  /** Whether saving restarts a running server. */
  running: boolean
}

export type RelayKeyResult = { ok: true; key: Uint8Array } | { ok: false; error: string }

const KEY_SHAPE = /^([0-9a-f]{64}|[ybndrfg8ejkmcpqxot1uwisza345h769]{52})$/

/** A relay key from what was pasted: 52 characters of z-base32 or 64 of hex. */
export function parseRelayKey(input: unknown): RelayKeyResult {
  const text = typeof input === 'string' ? input.replace(/\s+/g, '').toLowerCase() : ''
  if (text.length === 0) return { ok: false, error: 'Paste the key `localllm relay` printed.' }
  if (parsePairingCode(typeof input === 'string' ? input.trim() : '').ok) {
    return { ok: false, error: 'That is a Server ID. Paste the key of the relay instead.' }
  }
  if (KEY_SHAPE.test(text)) {
    try {
      return { ok: true, key: decode(text) }
    } catch {
      // Falls through to the sentence below.
    }
  }
  return {
    ok: false,
    error: 'Not a relay key: it is 52 letters and digits (or 64 hex characters).'
  }
}

/** The relay key of a host state (hex) as `localllm relay` prints it, or ''. */
export function relayKeyText(relayHex: string | undefined): string {
  return relayHex ? encode(Buffer.from(relayHex, 'hex')) : ''
}

export class RelayWindow {
  readonly #page: PageWindow
  #view: RelayView = { relay: '', running: false }

  constructor(
    electron: Pick<ElectronApi, 'app' | 'BrowserWindow' | 'ipcMain'>,
    files: PageFiles,
    handlers: { save(key: Uint8Array | null): void }
  ) {
    this.#page = new PageWindow(
      electron,
      files,
      { page: 'relay.html', title: 'Relay', ...RELAY_WINDOW_SIZE },
      {
        view: () => this.#view,
        action: (type, value) => {
          if (type === 'cancel') return this.#page.close()
          if (type === 'turn-off') {
            handlers.save(null)
            return this.#page.close()
          }
          if (type !== 'save') return
          const result = parseRelayKey(value)
          if (!result.ok) return this.#page.post({ error: result.error })
          handlers.save(result.key)
          this.#page.close()
        }
      }
    )
  }

  get isOpen(): boolean {
    return this.#page.isOpen
  }

  /** Opens the window on the relay in use now (or brings an open one forward as it is). */
  show(state: HostState): void {
    if (!this.#page.isOpen) {
      this.#view = { relay: relayKeyText(state.relay), running: state.status !== 'stopped' }
    }
    this.#page.show()
  }

  close(): void {
    this.#page.close()
  }
}
