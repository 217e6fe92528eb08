// What `localllm chat` keeps between runs, in `client.json` in its config folder (owner
// only): the seed of this terminal's device key pair, so a host that paired it once knows
// it again, and the relay each host announced, so the next connect can use it at once.
//
//   const store = new ClientStore(envPaths('localllm', { suffix: '' }).config)
//   const { keyPair } = await store.load()
//   await store.rememberRelay(hostKeyHex, relayHex)

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import b4a from 'b4a'
import DHT, { type KeyPair } from 'hyperdht'
import { generateKeySeed } from '@localllm/protocol/capability'

interface StoredClient {
  version: 1
  device_seed: string
  relays?: Record<string, string>
}

const HEX32 = /^[0-9a-f]{64}$/
const MAX_RELAYS = 64

export class ClientStore {
  readonly file: string
  readonly #dir: string

  constructor(dir: string) {
    this.#dir = dir
    this.file = join(dir, 'client.json')
  }

  /** This terminal's device key pair (made the first time) and the relays hosts announced. */
  async load(): Promise<{ keyPair: KeyPair; relays: Record<string, string> }> {
    let stored = await this.#read()
    if (!stored) {
      stored = { version: 1, device_seed: b4a.toString(generateKeySeed(), 'hex') }
      await this.#write(stored)
    }
    return {
      keyPair: DHT.keyPair(b4a.from(stored.device_seed, 'hex')),
      relays: { ...stored.relays }
    }
  }

  async rememberRelay(hostKey: string, relay: string | undefined): Promise<void> {
    const stored = await this.#read()
    if (!stored || stored.relays?.[hostKey] === relay) return
    const relays = { ...stored.relays }
    if (relay) relays[hostKey] = relay
    else delete relays[hostKey]
    const keys = Object.keys(relays)
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_RELAYS))) delete relays[old]
    await this.#write({ ...stored, relays })
  }

  async #read(): Promise<StoredClient | undefined> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    let value: StoredClient
    try {
      value = JSON.parse(text) as StoredClient
    } catch {
      value = {} as StoredClient
    }
    if (value?.version !== 1 || !HEX32.test(value.device_seed ?? '')) {
      throw new Error(`${this.file} is not a LocalLLM client file; move it away to start afresh`)
    }
    const relays: Record<string, string> = {}
    for (const [host, relay] of Object.entries(value.relays ?? {})) {
      if (HEX32.test(host) && typeof relay === 'string' && HEX32.test(relay)) relays[host] = relay
    }
    return { version: 1, device_seed: value.device_seed, relays }
  }

  async #write(stored: StoredClient): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
