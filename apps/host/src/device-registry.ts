// The devices paired with this host, and the ones it removed, kept in `devices.json` beside
// host.json (owner-only). A device is its Noise public key; the host pairs it on its first
// valid proof and lets it in by its key from then on.
//
//   const devices = await DeviceRegistry.open(configDir)
//   devices.get(key) ?? devices.pair(key, 'Ana’s iPhone')
//   devices.seen(key)                          // last seen: saved at most every few seconds
//   const found = devices.find('ana')          // by id prefix or by name
//   devices.remove(found.device.key)           // refused from now on with DEVICE_REMOVED
//   await devices.flush()                      // every change is on disk
//
// Changes apply at once in memory (a connection handler never waits on the disk) and are
// written in order, each atomically. Both lists are bounded (`MAX_PAIRED_DEVICES`,
// `MAX_REMOVED_DEVICES`): nothing a device sends can grow the file without limit.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface Device {
  /** The device's public key, lowercase hex. */
  key: string
  /** Its short id for people: the first 8 hex characters of the key. */
  id: string
  /** `hello.client.name` when it paired (or last connected). */
  name: string
  firstSeen: number
  lastSeen: number
}

export type FindResult =
  { ok: true; device: Device } | { ok: false; reason: 'none' | 'ambiguous'; matches: Device[] }

interface StoredDevices {
  version: 1
  devices: { key: string; name: string; first_seen: number; last_seen: number }[]
  removed: { key: string; removed_at: number }[]
}

export const MAX_PAIRED_DEVICES = 100
export const MAX_REMOVED_DEVICES = 1000
const SEEN_SAVE_MS = 5000
const KEY_HEX = /^[0-9a-f]{64}$/

export class DeviceRegistry {
  readonly file: string
  readonly #dir: string
  readonly #devices = new Map<string, Device>()
  readonly #removed = new Map<string, number>()
  #saveTimer: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<void> = Promise.resolve()
  #lastError: Error | undefined

  private constructor(dir: string) {
    this.#dir = dir
    this.file = join(dir, 'devices.json')
  }

  static async open(dir: string): Promise<DeviceRegistry> {
    const registry = new DeviceRegistry(dir)
    await registry.#load()
    return registry
  }

  get size(): number {
    return this.#devices.size
  }

  get(key: string): Device | undefined {
    return this.#devices.get(key)
  }

  isRemoved(key: string): boolean {
    return this.#removed.has(key)
  }

  /** Paired devices, most recently seen first. */
  list(): Device[] {
    return [...this.#devices.values()].sort((a, b) => b.lastSeen - a.lastSeen)
  }

  /**
   * Pairs a new device (or re-pairs a removed one that proved the current secret); undefined
   * when MAX_PAIRED_DEVICES are paired already.
   */
  pair(key: string, name: string, now = Date.now()): Device | undefined {
    if (!KEY_HEX.test(key)) throw new TypeError('a device key is 64 lowercase hex characters')
    const known = this.#devices.get(key)
    if (known) return known
    if (this.#devices.size >= MAX_PAIRED_DEVICES) return undefined
    const device: Device = { key, id: key.slice(0, 8), name, firstSeen: now, lastSeen: now }
    this.#devices.set(key, device)
    this.#removed.delete(key)
    this.#save()
    return device
  }

  /** The device connected or left now; saved soon, not at once. */
  seen(key: string, name?: string, now = Date.now()): void {
    const device = this.#devices.get(key)
    if (!device) return
    device.lastSeen = now
    if (name) device.name = name
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined
      this.#save()
    }, SEEN_SAVE_MS)
  }

  /** By id or key prefix (at least 4 hex characters) or by name, ignoring case. */
  find(idOrName: string): FindResult {
    const query = idOrName.trim().toLowerCase()
    const all = [...this.#devices.values()]
    const byKey = /^[0-9a-f]{4,64}$/.test(query) ? all.filter((d) => d.key.startsWith(query)) : []
    const matches = byKey.length > 0 ? byKey : all.filter((d) => d.name.toLowerCase() === query)
    if (matches.length === 1) return { ok: true, device: matches[0] as Device }
    return { ok: false, reason: matches.length === 0 ? 'none' : 'ambiguous', matches }
  }

  /** Unpairs a device and refuses it from now on. */
  remove(key: string, now = Date.now()): Device | undefined {
    const device = this.#devices.get(key)
    if (!device) return undefined
    this.#devices.delete(key)
    this.#removed.set(key, now)
    while (this.#removed.size > MAX_REMOVED_DEVICES) {
      this.#removed.delete(this.#removed.keys().next().value as string)
    }
    this.#save()
    return device
  }

  /** Forgets every device (a new host key: nobody is paired any more). */
  clear(): void {
    this.#devices.clear()
    this.#removed.clear()
    this.#save()
  }

  /** Resolves once every change so far is on disk; rejects if the last write failed. */
  async flush(): Promise<void> {
    if (this.#saveTimer !== undefined) {
      clearTimeout(this.#saveTimer)
      this.#saveTimer = undefined
      this.#save()
    }
    await this.#writing
    if (this.#lastError) throw this.#lastError
  }

  /** The last failed write, for the host's log. */
  get lastError(): Error | undefined {
    return this.#lastError
  }

  async #load(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    let stored: StoredDevices
    try {
      stored = JSON.parse(text) as StoredDevices
      if (stored.version !== 1 || !Array.isArray(stored.devices) || !Array.isArray(stored.removed))
        throw new Error()
    } catch {
      throw new Error(`${this.file} is not a LocalLLM device list; move it away to start afresh`)
    }
    for (const d of stored.devices.slice(0, MAX_PAIRED_DEVICES)) {
      if (!KEY_HEX.test(d.key)) continue
      this.#devices.set(d.key, {
        key: d.key,
        id: d.key.slice(0, 8),
        name: typeof d.name === 'string' ? d.name : '',
        firstSeen: Number(d.first_seen) || 0,
        lastSeen: Number(d.last_seen) || 0
      })
    }
    for (const r of stored.removed.slice(-MAX_REMOVED_DEVICES)) {
      if (KEY_HEX.test(r.key)) this.#removed.set(r.key, Number(r.removed_at) || 0)
    }
  }

  #save(): void {
    const stored: StoredDevices = {
      version: 1,
      devices: [...this.#devices.values()].map((d) => ({
        key: d.key,
        name: d.name,
        first_seen: d.firstSeen,
        last_seen: d.lastSeen
      })),
      removed: [...this.#removed].map(([key, at]) => ({ key, removed_at: at }))
    }
    // One write at a time, in order, each atomic (a rename over the old file).
    const write = async () => {
      try {
        await mkdir(this.#dir, { recursive: true, mode: 0o700 })
        const tmp = `${this.file}.${process.pid}.tmp`
        await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
        await rename(tmp, this.file)
        this.#lastError = undefined
      } catch (err) {
        this.#lastError = err instanceof Error ? err : new Error(String(err))
      }
    }
    this.#writing = this.#writing.then(write)
  }
}
