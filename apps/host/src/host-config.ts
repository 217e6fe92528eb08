// The host's persistent identity and settings, one JSON file in the platform's config
// folder (env-paths): the seed of the host's Noise key pair (its public key is half of the
// pairing code), the access secret that lets a new device pair, the display name, the model
// and the relay. Written atomically, readable by the owner only.
//
//   const store = new HostConfigStore(envPaths('localllm', { suffix: '' }).config)
//   const config = await store.load()          // creates a new identity the first time
//   await store.update({ model: 'llama3.2' })
//   await store.rotateSecret()                 // after removing a device: the old code pairs nothing
//   await store.regenerate()                   // a new key and secret: everyone pairs again
//
// A version-1 file (a 32-byte shared secret) is upgraded in place: the key pair is kept and
// a new access secret made, since v1's secret means nothing to v2 clients.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import b4a from 'b4a'
import { generateAccessSecret, generateKeySeed } from '@localllm/protocol/capability'

export interface HostConfig {
  /** Seed of the host's Noise key pair: the host's identity. */
  noiseSeed: Uint8Array
  /** The 16-byte access secret in the pairing code. */
  accessSecret: Uint8Array
  displayName: string
  model: string | undefined
  /** A blind relay's public key to fall back to, when set. */
  relay: Uint8Array | undefined
}

interface StoredConfig {
  version: 2
  noise_seed: string
  access_secret: string
  display_name?: string
  model?: string
  relay?: string
}

export interface ConfigChanges {
  displayName?: string
  model?: string
  /** A relay key, or null to stop using one. */
  relay?: Uint8Array | null
}

const HEX32 = /^[0-9a-f]{64}$/
const HEX16 = /^[0-9a-f]{32}$/

export class HostConfigStore {
  readonly file: string
  readonly #dir: string

  constructor(dir: string) {
    this.#dir = dir
    this.file = join(dir, 'host.json')
  }

  async load(): Promise<HostConfig> {
    const stored = await this.#read()
    if (stored) return toConfig(stored)
    const fresh: StoredConfig = {
      version: 2,
      noise_seed: hex(generateKeySeed()),
      access_secret: hex(generateAccessSecret())
    }
    await this.#write(fresh)
    return toConfig(fresh)
  }

  async update(changes: ConfigChanges): Promise<HostConfig> {
    return this.#change((stored) => {
      if (changes.displayName !== undefined) stored.display_name = changes.displayName
      if (changes.model !== undefined) stored.model = changes.model
      if (changes.relay === null) delete stored.relay
      else if (changes.relay !== undefined) stored.relay = hex(changes.relay)
    })
  }

  /** A new access secret: codes shown so far pair no new device. The host key stays. */
  async rotateSecret(): Promise<HostConfig> {
    return this.#change((stored) => {
      stored.access_secret = hex(generateAccessSecret())
    })
  }

  /** A new key pair and secret: a new pairing code that no device knows. Name and model stay. */
  async regenerate(): Promise<HostConfig> {
    return this.#change((stored) => {
      stored.noise_seed = hex(generateKeySeed())
      stored.access_secret = hex(generateAccessSecret())
    })
  }

  async #change(apply: (stored: StoredConfig) => void): Promise<HostConfig> {
    const stored = (await this.#read()) ?? fromConfig(await this.load())
    apply(stored)
    await this.#write(stored)
    return toConfig(stored)
  }

  async #read(): Promise<StoredConfig | undefined> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    // Never replaced silently: the key in it is the host's identity.
    const notConfig = () =>
      new Error(`${this.file} is not a LocalLLM host config; move it away to start afresh`)
    let value: Record<string, unknown> | null
    try {
      value = JSON.parse(text) as Record<string, unknown> | null
    } catch {
      throw notConfig()
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notConfig()
    const text64 = (v: unknown) => typeof v === 'string' && HEX32.test(v)
    const optionalString = (v: unknown) => v === undefined || typeof v === 'string'
    if (
      !optionalString(value.display_name) ||
      !optionalString(value.model) ||
      !(value.relay === undefined || text64(value.relay))
    ) {
      throw notConfig()
    }
    if (value.version === 1 && text64(value.secret) && text64(value.noise_seed)) {
      const upgraded: StoredConfig = {
        version: 2,
        noise_seed: value.noise_seed as string,
        access_secret: hex(generateAccessSecret()),
        ...(value.display_name !== undefined ? { display_name: value.display_name } : {}),
        ...(value.model !== undefined ? { model: value.model } : {})
      }
      await this.#write(upgraded)
      return upgraded
    }
    if (
      value.version !== 2 ||
      !text64(value.noise_seed) ||
      typeof value.access_secret !== 'string' ||
      !HEX16.test(value.access_secret)
    ) {
      throw notConfig()
    }
    return value as unknown as StoredConfig
  }

  async #write(stored: StoredConfig): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}

export function defaultDisplayName(): string {
  return hostname().replace(/\.local$/, '') || 'LocalLLM host'
}

function toConfig(stored: StoredConfig): HostConfig {
  return {
    noiseSeed: b4a.from(stored.noise_seed, 'hex'),
    accessSecret: b4a.from(stored.access_secret, 'hex'),
    displayName: stored.display_name ?? defaultDisplayName(),
    model: stored.model,
    relay: stored.relay ? b4a.from(stored.relay, 'hex') : undefined
  }
}

function fromConfig(config: HostConfig): StoredConfig {
  return {
    version: 2,
    noise_seed: hex(config.noiseSeed),
    access_secret: hex(config.accessSecret),
    display_name: config.displayName,
    ...(config.model ? { model: config.model } : {}),
    ...(config.relay ? { relay: hex(config.relay) } : {})
  }
}

function hex(bytes: Uint8Array): string {
  return b4a.toString(bytes, 'hex')
}
