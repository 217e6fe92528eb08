// The phone in a lab attempt, driven the way a person would drive it and read in one shape:
// the iPhone worklet under `bare` (NDJSON commands on stdin) or `localllm chat --json`
// reading prompts line by line from a pipe. Its statuses, paths and every reply's chunks.
//
//   const phone = await LabClient.start(lab, site, { kind: 'bare', serverId, lifeMs })
//   await phone.connected(25_000)                      // its first `connected`, or undefined
//   const reply = await phone.reply(phone.send('prompt 1'), 60_000)   // { ok, code, chunks… }
//
// Times are the lab's wall clock as each line reached it (LabEvent.wall). `localllm chat`
// answers prompts one at a time and numbers its requests `<tag>-1`, `-2`, …: the k-th prompt
// is the request ending in `-k`; its errors carry no request id, so a reply that did not end
// ends with the first `error` line after it was sent.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatBootstrap } from '@localllm/core'
import { decode as decodeKey } from 'hypercore-id-encoding'
import { LOCALLLM } from './lab-host.js'
import { wallClock, type LabEvent, type LabProcess } from './lab-process.js'
import type { NatLab, Site } from './nat-lab.js'

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url))
export const WORKLET_DIR = repo('apps/client/worklet')
export const BARE = repo('node_modules/.bin/bare')

/** The iPhone worklet under `bare`, or `localllm chat` under Node. */
export type ProductClient = 'node' | 'bare'

export interface LabClientOptions {
  kind: ProductClient
  serverId: string
  /** The relay the phone knows already (`connect.relay`, `chat --relay`). */
  relayKey?: string | undefined
  lifeMs: number
  /** `localllm chat --wait`: how long it tries before giving up on a first connect. */
  waitMs?: number
}

/** One prompt sent: where its lines start in the event list, and when it went out. */
export interface SentPrompt {
  prompt: string
  index: number
  /** The k-th prompt of this client (1-based). */
  number: number
  from: number
  sentWall: number
}

export interface ReplyResult {
  ok: boolean
  /** The error code it ended with, when it did not end normally. */
  code?: string
  sentWall: number
  /** Arrival of each chunk (wall clock), in order. */
  chunks: number[]
  /** When it ended (the `end` or `error` line arrived), if it did within the wait. */
  endWall?: number
}

export class LabClient {
  readonly kind: ProductClient
  readonly process: LabProcess
  /** When connecting began: the `connect` command (bare) or the process start (node). */
  readonly connectFrom: number
  readonly #configDir: string | undefined
  #sent = 0

  private constructor(
    kind: ProductClient,
    process: LabProcess,
    connectFrom: number,
    configDir?: string
  ) {
    this.kind = kind
    this.process = process
    this.connectFrom = connectFrom
    this.#configDir = configDir
  }

  static async start(lab: NatLab, site: Site, options: LabClientOptions): Promise<LabClient> {
    const bootstrap = formatBootstrap(lab.bootstrap)
    if (options.kind === 'bare') {
      const worklet = site.peer.start([BARE, join(WORKLET_DIR, 'bin', 'stdio.js')], {
        lifeMs: options.lifeMs,
        stdin: true,
        cwd: WORKLET_DIR
      })
      try {
        await worklet.waitFor((e) => e.event === 'ready', 15_000)
      } catch (err) {
        await worklet.stop()
        throw err
      }
      const connectFrom = wallClock()
      worklet.write(
        JSON.stringify({
          cmd: 'connect',
          server_id: options.serverId,
          bootstrap,
          ...(options.relayKey ? { relay: toHex(options.relayKey) } : {})
        }) + '\n'
      )
      return new LabClient('bare', worklet, connectFrom)
    }
    const configDir = await mkdtemp(join(tmpdir(), 'natlab-chat-'))
    const connectFrom = wallClock()
    const chat = site.peer.start(
      [
        process.execPath,
        LOCALLLM,
        'chat',
        options.serverId,
        '--bootstrap',
        bootstrap,
        '--config-dir',
        configDir,
        '--wait',
        String(Math.ceil((options.waitMs ?? 25_000) / 1000)),
        ...(options.relayKey ? ['--relay', options.relayKey] : []),
        '--json'
      ],
      { lifeMs: options.lifeMs, stdin: true }
    )
    return new LabClient('node', chat, connectFrom, configDir)
  }

  get events(): LabEvent[] {
    return this.process.events
  }

  /** The first `connected` status from event `from` on, or undefined after `timeoutMs`. */
  connected(timeoutMs: number, from = 0): Promise<LabEvent | undefined> {
    return this.process
      .waitFor((e) => e.event === 'status' && e.status === 'connected', timeoutMs, from)
      .catch(() => undefined)
  }

  /** Sends a prompt as the person would: a `send` command, or a line on the chat's stdin. */
  send(prompt: string): SentPrompt {
    const number = ++this.#sent
    const from = this.process.events.length
    const sentWall = wallClock()
    if (this.kind === 'bare') {
      this.process.write(JSON.stringify({ cmd: 'send', ref: `r${number}`, prompt }) + '\n')
    } else {
      this.process.write(`${prompt}\n`)
    }
    return { prompt, index: number - 1, number, from, sentWall }
  }

  /** Waits for the reply to `sent` to end (normally or with an error), up to `timeoutMs`. */
  async reply(sent: SentPrompt, timeoutMs: number): Promise<ReplyResult> {
    const mine = this.#isMine(sent)
    const terminal = await this.process
      .waitFor(
        (e) =>
          (e.event === 'end' && mine(e)) ||
          (e.event === 'error' && (this.kind === 'node' || mine(e))),
        timeoutMs,
        sent.from
      )
      .catch(() => undefined)
    const chunks = this.process.events
      .slice(sent.from)
      .filter((e) => e.event === 'chunk' && mine(e) && (!terminal || e.wall <= terminal.wall))
      .map((e) => e.wall)
    return {
      ok: terminal?.event === 'end',
      ...(terminal?.event === 'error' ? { code: String(terminal.code) } : {}),
      sentWall: sent.sentWall,
      chunks,
      ...(terminal ? { endWall: terminal.wall } : {})
    }
  }

  /** Error codes the client reported (connect failures and failed replies), in order. */
  errorCodes(from = 0): string[] {
    return this.events
      .slice(from)
      .filter((e) => e.event === 'error')
      .map((e) => String(e.code))
  }

  /** The same, each with the hyperdht code behind it when the detail names one. */
  errorDetails(from = 0): string[] {
    return this.events
      .slice(from)
      .filter((e) => e.event === 'error')
      .map((e) => {
        const cause = /^([A-Z][A-Z_]+):/.exec(typeof e.detail === 'string' ? e.detail : '')?.[1]
        return cause ? `${String(e.code)} (${cause})` : String(e.code)
      })
  }

  async close(): Promise<void> {
    this.process.child.stdin?.end()
    await this.process.exitWithin(3000)
    await this.process.stop()
    if (this.#configDir) await rm(this.#configDir, { recursive: true, force: true })
  }

  #isMine(sent: SentPrompt): (e: LabEvent) => boolean {
    if (this.kind === 'bare') {
      const ref = `r${sent.number}`
      return (e) => e.ref === ref
    }
    const suffix = `-${sent.number}`
    return (e) => typeof e.request_id === 'string' && e.request_id.endsWith(suffix)
  }
}

/** A relay key as `localllm relay` prints it (z-base32) or hex, as hex (the worklet's form). */
export function toHex(key: string): string {
  return /^[0-9a-f]{64}$/i.test(key)
    ? key.toLowerCase()
    : Buffer.from(decodeKey(key)).toString('hex')
}
