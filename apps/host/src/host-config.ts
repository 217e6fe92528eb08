// The host's persistent identity and settings, one JSON file in the platform's config
// folder (env-paths): the 32-byte secret behind the Server ID, the seed of the Noise key
// pair, the display name and the selected model. Written atomically, readable by the owner
// only, since the secret is what lets people in.
//
//   const store = new HostConfigStore(envPaths('localllm', { suffix: '' }).config)
//   const config = await store.load()          // creates a new identity the first time
//   await store.update({ model: 'llama3.2' })
//   await store.regenerate()                   // new Server ID

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import b4a from 'b4a'
import { generateSecret } from '@localllm/protocol/capability'

export interface HostConfig {
  secret: Uint8Array
  noiseSeed: Uint8Array
  displayName: string
  model: string | undefined
}

interface StoredConfig {
  version: 1
  secret: string
  noise_seed: string
  display_name?: string
  model?: string
}

const HEX32 = /^[0-9a-f]{64}$/

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
      version: 1,
      secret: hex(generateSecret()),
      noise_seed: hex(generateSecret())
    }
    await this.#write(fresh)
    return toConfig(fresh)
  }

  async update(changes: { displayName?: string; model?: string }): Promise<HostConfig> {
    const stored = (await this.#read()) ?? fromConfig(await this.load())
    if (changes.displayName !== undefined) stored.display_name = changes.displayName
    if (changes.model !== undefined) stored.model = changes.model
    await this.#write(stored)
    return toConfig(stored)
  }

  /** A new secret and key pair: a new Server ID. Name and model are kept. */
  async regenerate(): Promise<HostConfig> {
    const stored = (await this.#read()) ?? fromConfig(await this.load())
    stored.secret = hex(generateSecret())
    stored.noise_seed = hex(generateSecret())
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
    // Never replaced silently: the secret in it is the user's Server ID.
    const notConfig = () =>
      new Error(`${this.file} is not a LocalLLM host config; move it away to start afresh`)
    let value: Partial<StoredConfig> | null
    try {
      value = JSON.parse(text) as Partial<StoredConfig> | null
    } catch {
      throw notConfig()
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      value.version !== 1 ||
      !HEX32.test(value.secret ?? '') ||
      !HEX32.test(value.noise_seed ?? '')
    ) {
      throw notConfig()
    }
    return value as StoredConfig
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
    secret: b4a.from(stored.secret, 'hex'),
    noiseSeed: b4a.from(stored.noise_seed, 'hex'),
    displayName: stored.display_name ?? defaultDisplayName(),
    model: stored.model
  }
}

function fromConfig(config: HostConfig): StoredConfig {
  return {
    version: 1,
    secret: hex(config.secret),
    noise_seed: hex(config.noiseSeed),
    display_name: config.displayName,
    ...(config.model ? { model: config.model } : {})
  }
}

function hex(bytes: Uint8Array): string {
  return b4a.toString(bytes, 'hex')
}
