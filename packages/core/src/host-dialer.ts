// Finding the host and retrying: dials the host's public key on the DHT, one attempt at a
// time, says in plain terms why an attempt failed, and backs off between attempts.
//
//   const dialer = new HostDialer({ bootstrap, hostKey, keyPair })
//   dialer.on('stream', (stream) => handshake(stream))   // the host, proven by Noise
//   dialer.on('failure', (err) => show(err))             // HOST_OFFLINE, HOST_UNREACHABLE, …
//   await dialer.start()
//   dialer.lost()                                         // our connection dropped: dial again
//
// Only a stream whose remote key is the host's is ever handed on, so no other peer can say
// anything to the client. Not hyperswarm's joinPeer: it hides why a connect failed and stops
// after five attempts; dialing through HyperDHT directly gives both to us.

import EventEmitter from 'bare-events'
import b4a from 'b4a'
import type DHT from 'hyperdht'
import { type KeyPair, type NoiseStream } from 'hyperdht'
import { LIMITS, protocolError, type ProtocolError } from '@localllm/protocol'
import { RelayWatch } from './connection-path.js'
import { speakSecond } from './relay-start.js'
import { RetryTimer, type RetryTimerOptions } from './retry-timer.js'
import { createDht, waitForBootstrap, type Bootstrap } from './swarm.js'

export interface HostDialerOptions extends RetryTimerOptions {
  bootstrap: Bootstrap
  hostKey: Uint8Array
  /** This device's key pair: the host knows the device by its public key. */
  keyPair: KeyPair
  /** A blind relay to fall back to when holepunching fails (or our NAT randomizes). */
  relayThrough?: Uint8Array | undefined
  bootstrapWaitMs?: number
}

interface DialerEvents {
  stream: [stream: NoiseStream]
  failure: [error: ProtocolError]
  log: [level: 'debug' | 'info' | 'warn', msg: string, fields: Record<string, unknown>]
}

// hyperdht error codes meaning: the host was found, but no path between the two networks.
const NO_PATH = new Set([
  'HOLEPUNCH_ABORTED',
  'HOLEPUNCH_DOUBLE_RANDOMIZED_NATS',
  'HOLEPUNCH_PROBE_TIMEOUT',
  'HOLEPUNCH_INVALID',
  'BAD_HOLEPUNCH_REPLY',
  'CANNOT_HOLEPUNCH',
  'REMOTE_NOT_HOLEPUNCHABLE',
  'REMOTE_NOT_HOLEPUNCHING',
  'RELAY_ABORTED',
  'PEER_CONNECTION_FAILED'
])
// …and these: the host was reached, but refused or broke off the connection.
const REFUSED = new Set([
  'REMOTE_ABORTED',
  'SERVER_ERROR',
  'SERVER_INCOMPATIBLE',
  'BAD_HANDSHAKE_REPLY',
  'HANDSHAKE_INVALID',
  'HANDSHAKE_UNFINISHED'
])
// After these, the relay (when there is one) is used from the next attempt on.
const FORCE_RELAY = new Set([
  'HOLEPUNCH_ABORTED',
  'HOLEPUNCH_DOUBLE_RANDOMIZED_NATS',
  'CANNOT_HOLEPUNCH',
  'REMOTE_NOT_HOLEPUNCHABLE'
])

/** What a failed `dht.connect` means for the person waiting. */
export function classifyDialError(err: { code?: string; message?: string }): ProtocolError {
  const code = err.code ?? 'UNKNOWN'
  const detail = `${code}: ${err.message ?? ''}`.slice(0, 512)
  if (NO_PATH.has(code)) return protocolError('HOST_UNREACHABLE', { detail })
  if (REFUSED.has(code)) return protocolError('CONNECT_FAILED', { detail })
  return protocolError('HOST_OFFLINE', { detail })
}

export class HostDialer extends EventEmitter<DialerEvents> {
  readonly dht: DHT
  /** Tells a relayed stream from a direct one. */
  readonly paths: RelayWatch
  readonly #options: HostDialerOptions
  readonly #retry: RetryTimer
  #relayThrough: Uint8Array | undefined
  #forceRelay = false
  #dialing: NoiseStream | undefined
  #connected = false
  #paused = false
  #halted = false
  #closed = false
  #started = false

  constructor(options: HostDialerOptions) {
    super()
    this.#options = options
    this.#relayThrough = options.relayThrough
    this.dht = createDht({ bootstrap: options.bootstrap, keyPair: options.keyPair })
    this.paths = new RelayWatch(this.dht, (key) => !b4a.equals(key, options.hostKey))
    this.#retry = new RetryTimer(() => this.#dial(), options)
    this.dht.on('network-change', this.#onNetworkChange)
  }

  /** Whether an attempt is running now. */
  get dialing(): boolean {
    return this.#dialing !== undefined
  }

  get relayThrough(): Uint8Array | undefined {
    return this.#relayThrough
  }

  /** Waits (capped) for the DHT to bootstrap, then dials. */
  async start(): Promise<void> {
    if (this.#started) return
    this.#started = true
    const bootstrapped = await waitForBootstrap(
      this.dht,
      this.#options.bootstrapWaitMs ?? LIMITS.bootstrapWaitMs
    )
    if (this.#closed) return
    this.#log(
      'debug',
      bootstrapped ? 'dht bootstrapped' : 'dht not bootstrapped in time; dialing anyway',
      {}
    )
    this.#dial()
  }

  /** Dial now instead of waiting for the next backoff (no-op while an attempt runs). */
  retryNow(): void {
    if (!this.#started || this.#closed || this.#paused || this.#connected) return
    this.#halted = false
    this.#retry.reset()
    this.#retry.clear()
    this.#dial()
  }

  /** The host said which relay it uses: later attempts may go through it too. */
  setRelay(publicKey: Uint8Array | undefined): void {
    this.#relayThrough = publicKey
  }

  /** The stream handed out was accepted (the handshake went through). */
  connected(): void {
    this.#connected = true
    this.#forceRelay = false
    this.#retry.reset()
    this.#retry.clear()
  }

  /** The accepted connection dropped, or the handshake on a stream failed: try again. */
  lost(): void {
    this.#connected = false
    if (this.#closed || this.#paused || this.#halted) return
    this.#retry.schedule()
  }

  /** Stop retrying (a fatal answer such as DEVICE_REMOVED); retryNow() starts again. */
  halt(): void {
    this.#halted = true
    this.#retry.clear()
  }

  async suspend(): Promise<void> {
    if (this.#paused || this.#closed) return
    this.#paused = true
    this.#retry.clear()
    await this.dht.suspend()
  }

  /** Wakes the DHT; the caller dials again (retryNow) if its connection did not survive. */
  async resume(): Promise<void> {
    if (!this.#paused || this.#closed) return
    this.#paused = false
    await this.dht.resume()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#retry.clear()
    this.dht.off('network-change', this.#onNetworkChange)
    this.#dialing?.destroy()
    await this.dht.destroy()
  }

  #dial(): void {
    if (this.#closed || this.#paused || this.#halted || this.#connected || this.#dialing) return
    const relayThrough = this.#relayFor()
    const attempt = this.#retry.attempts
    this.#log('debug', 'dialing the host', { attempt, relay: relayThrough !== undefined })
    const started = Date.now()
    const stream = this.dht.connect(this.#options.hostKey, {
      keyPair: this.#options.keyPair,
      ...(relayThrough ? { relayThrough } : {})
    })
    speakSecond(stream, (raw) => this.paths.isRelayed(raw))
    this.#dialing = stream
    let failure: ProtocolError | undefined
    stream.on('error', (err) => {
      failure ??= classifyDialError(err)
      if (err.code && FORCE_RELAY.has(err.code)) this.#forceRelay = true
    })
    stream.on('close', () => {
      if (this.#dialing !== stream) return
      this.#dialing = undefined
      const error = failure ?? protocolError('HOST_OFFLINE', { detail: 'closed before opening' })
      this.#log('info', 'dial failed', {
        code: error.code,
        detail: error.detail,
        ms: Date.now() - started
      })
      if (this.#closed) return
      this.emit('failure', error)
      if (!this.#paused && !this.#halted) this.#retry.schedule()
    })
    stream.once('open', () => {
      if (this.#dialing !== stream) return
      this.#dialing = undefined
      if (!b4a.equals(stream.remotePublicKey, this.#options.hostKey)) {
        // hyperdht verifies the key it dialed; this cannot happen unless that breaks.
        this.#log('warn', 'a peer other than the host answered: dropped', {})
        stream.destroy()
        this.#retry.schedule()
        return
      }
      this.#log('debug', 'host reached', { ms: Date.now() - started })
      this.emit('stream', stream)
    })
  }

  #relayFor(): Uint8Array | undefined {
    if (!this.#relayThrough) return undefined
    return this.#forceRelay || this.dht.randomized ? this.#relayThrough : undefined
  }

  #onNetworkChange = (): void => {
    this.#log('info', 'network changed', {})
    if (!this.#connected) this.retryNow()
  }

  #log(level: 'debug' | 'info' | 'warn', msg: string, fields: Record<string, unknown>): void {
    this.emit('log', level, msg, fields)
  }
}
