// The menu bar app's settings, one JSON file in the app-data folder (Electron's
// `app.getPath('userData')`, e.g. ~/Library/Application Support/LocalLLM on a Mac).
//
//   const store = new SettingsStore(app.getPath('userData'))
//   const settings = await store.load()          // defaults when there is no file yet
//   await store.update({ openAtLogin: true })
//
// Unlike the host's identity file beside it, nothing here is precious: a file that is not
// valid JSON, or a field of the wrong type, falls back to the default instead of failing.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface AppSettings {
  /** The display name clients see; undefined until the user sets one (the computer's name). */
  displayName: string | undefined
  /** The chosen model; undefined means the first one Ollama lists. */
  model: string | undefined
  openAtLogin: boolean
  /** Whether the server was running when the app last quit: if so, it starts at launch. */
  runningAtLastQuit: boolean
}

export const DEFAULT_SETTINGS: Readonly<AppSettings> = Object.freeze({
  displayName: undefined,
  model: undefined,
  openAtLogin: false,
  runningAtLastQuit: false
})

export class SettingsStore {
  readonly file: string
  readonly #dir: string
  #current: AppSettings = { ...DEFAULT_SETTINGS }
  #writes: Promise<void> = Promise.resolve()

  constructor(dir: string) {
    this.#dir = dir
    this.file = join(dir, 'settings.json')
  }

  get current(): AppSettings {
    return { ...this.#current }
  }

  async load(): Promise<AppSettings> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      return this.current
    }
    this.#current = parse(text)
    return this.current
  }

  /** Applies the changes and writes the file; writes happen one at a time, in call order. */
  update(changes: Partial<AppSettings>): Promise<AppSettings> {
    this.#current = { ...this.#current, ...changes }
    const snapshot = this.current
    const write = this.#writes.then(() => this.#write(snapshot))
    this.#writes = write.catch(() => {})
    return write.then(() => snapshot)
  }

  async #write(settings: AppSettings): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const stored = {
      version: 1,
      display_name: settings.displayName,
      model: settings.model,
      open_at_login: settings.openAtLogin,
      running_at_last_quit: settings.runningAtLastQuit
    }
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}

function parse(text: string): AppSettings {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ...DEFAULT_SETTINGS }
  }
  const stored =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const name = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined)
  const flag = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback)
  return {
    displayName: name(stored.display_name),
    model: name(stored.model),
    openAtLogin: flag(stored.open_at_login, DEFAULT_SETTINGS.openAtLogin),
    runningAtLastQuit: flag(stored.running_at_last_quit, DEFAULT_SETTINGS.runningAtLastQuit)
  }
}
