// The relay's persistent identity: the seed of its key pair, in `relay.json` in the config
// folder (env-paths, the same folder as the host's `host.json`). The public key people give
// their hosts comes from this seed, so it must survive restarts; the file is written
// atomically and readable by the owner only.
//
//   const store = new RelayConfigStore(envPaths('localllm', { suffix: '' }).config)
//   const { seed } = await store.load()       // creates a new key pair the first time

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import b4a from 'b4a'
import { generateKeySeed } from '@localllm/protocol/capability'

export interface RelayConfig {
  seed: Uint8Array
}

interface StoredRelayConfig {
  version: 1
  seed: string
}

const HEX32 = /^[0-9a-f]{64}$/

export class RelayConfigStore {
  readonly file: string
  readonly #dir: string

  constructor(dir: string) {
    this.#dir = dir
    this.file = join(dir, 'relay.json')
  }

  async load(): Promise<RelayConfig> {
    let text: string | undefined
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    if (text === undefined) {
      const fresh: StoredRelayConfig = { version: 1, seed: b4a.toString(generateKeySeed(), 'hex') }
      await this.#write(fresh)
      return { seed: b4a.from(fresh.seed, 'hex') }
    }
    // Never replaced silently: hosts point at the key this seed gives.
    let value: Partial<StoredRelayConfig> | null
    try {
      value = JSON.parse(text) as Partial<StoredRelayConfig> | null
    } catch {
      value = null
    }
    if (!value || value.version !== 1 || !HEX32.test(value.seed ?? '')) {
      throw new Error(`${this.file} is not a LocalLLM relay config; move it away to start afresh`)
    }
    return { seed: b4a.from(value.seed as string, 'hex') }
  }

  async #write(stored: StoredRelayConfig): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
