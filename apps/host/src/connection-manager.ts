// The host's side of every connection: who may come in (paired devices by their key, new
// ones by a pairing proof), the client limit, the bad-message budget, and routing of chat
// messages to the ChatService.
//
//   const manager = new ConnectionManager({ devices, secret: () => current, chat, info, log })
//   swarm.on('connection', (stream) => manager.accept(stream))
//   manager.broadcastInfo()          // status, model or name changed
//   manager.drop(deviceKey)          // a removed device: DEVICE_REMOVED, then closed
//   await manager.close()            // server_info 'stopped' to everyone, then close
//
// A device the host does not know and whose proof is wrong (or missing, late or malformed)
// is closed with nothing sent. A removed device is told DEVICE_REMOVED, unless it proves
// the current secret: then someone gave it the new code, and it pairs again.
//
// Fair use (the numbers are FAIR_USE): before `hello`, connections from keys that are not
// paired devices are capped in total and per remote address, with a short line limit and
// timeout (a paired device is never held up by them); a connection whose chat_starts
// keep being refused cools down: its device's chat_starts get TOO_MANY_REQUESTS at once for a
// while, without touching the gate, so it cannot grab the gate the moment it frees; when
// every slot is taken, a device idle long enough makes room for a newcomer; a client's
// `error` messages count as bad messages and are logged at most once per interval.

import {
  LIMITS,
  MessageDecoder,
  PROTOCOL_VERSION,
  errorMessage,
  protocolError,
  type ClientBoundMessage,
  type HostBoundMessage,
  type HostStatus,
  type ProtocolError,
  type UnavailableReason
} from '@localllm/protocol'
import { verifyPairingProof } from '@localllm/protocol/capability'
import { FramedConnection, type ConnectionPath, type RelayWatch } from '@localllm/core'
import type { SwarmConnection } from 'hyperswarm'
import b4a from 'b4a'
import type { ChatClient, ChatService } from './chat-service.js'
import { checkOutgoing } from './outgoing.js'
import type { Device, DeviceRegistry } from './device-registry.js'
import type { Logger } from './logger.js'

export interface HostInfo {
  host_name: string
  model: string
  status: HostStatus
  reason?: UnavailableReason | undefined
  /** The relay's public key (hex) when the host falls back to one. */
  relay?: string | undefined
}

/** A device connected right now. */
export interface ConnectedDevice {
  key: string
  id: string
  name: string
  connectedAt: number
  /** Straight to the device, or through a blind relay. */
  path: ConnectionPath
}

/** The fair-use numbers; docs/spec.md gives each one's reason. */
export interface FairUse {
  /** Connections that have not been let in yet, in total… */
  maxPending: number
  /** …and from one remote address (a relay counts as one address). */
  maxPendingPerAddress: number
  /** Longest line before `hello` is accepted (a valid `hello` is well under 1 KiB). */
  preHelloMaxLineBytes: number
  /** `chat_start`s refused within `refusedStartWindowMs` before the device cools down… */
  maxRefusedStarts: number
  refusedStartWindowMs: number
  /** …for this long: every chat_start gets TOO_MANY_REQUESTS at once. */
  penaltyMs: number
  /** With every slot taken, a device idle this long makes room for a newcomer. */
  idleEvictMs: number
  /** At most one log line per connection for the `error` messages it sends, this often. */
  errorLogIntervalMs: number
}

export const FAIR_USE: FairUse = Object.freeze({
  maxPending: 64,
  maxPendingPerAddress: 8,
  preHelloMaxLineBytes: 4096,
  maxRefusedStarts: 10,
  refusedStartWindowMs: 10_000,
  penaltyMs: 10_000,
  idleEvictMs: 60_000,
  errorLogIntervalMs: 10_000
})

export interface ConnectionManagerOptions {
  devices: DeviceRegistry
  /** The current access secret (it changes when a device is removed). */
  secret: () => Uint8Array
  chat: ChatService
  info: () => HostInfo
  log: Logger
  maxClients?: number
  helloTimeoutMs?: number
  fairUse?: Partial<FairUse>
  /** What `server_info.limits` says about the reply caps. */
  replyLimits?: { maxReplyTokens: number; maxReplyMs: number }
  /** Called whenever the set of connected devices changes. */
  onClientsChange?: (connected: ConnectedDevice[]) => void
}

class Client implements ChatClient {
  readonly id: string
  readonly conn: FramedConnection<HostBoundMessage>
  readonly device: Device
  readonly connectedAt = Date.now()
  path: ConnectionPath = 'direct'
  /** The last chat_start or reply end: idle time counts from here. */
  lastActive = Date.now()
  refusedStarts: number[] = []
  errorsLoggedAt = 0
  errorsSuppressed = 0

  constructor(id: string, conn: FramedConnection<HostBoundMessage>, device: Device) {
    this.id = id
    this.conn = conn
    this.device = device
  }

  get deviceKey(): string {
    return this.device.key
  }

  replied(): void {
    this.lastActive = Date.now()
  }

  send(message: ClientBoundMessage): boolean {
    return this.conn.send(message)
  }
}

export class ConnectionManager {
  readonly #options: ConnectionManagerOptions
  readonly #fair: FairUse
  readonly #clients = new Map<string, Client>()
  readonly #pending = new Set<FramedConnection<HostBoundMessage>>()
  /** Strangers (keys that are not paired devices) waiting for hello, in total and by address. */
  #strangers = 0
  readonly #strangersByAddress = new Map<string, number>()
  /** Devices cooling down after too many refused chat_starts, until when. */
  readonly #penalties = new Map<string, number>()
  #closing = false
  #nextId = 1
  #paths: RelayWatch | undefined

  constructor(options: ConnectionManagerOptions) {
    this.#options = options
    this.#fair = { ...FAIR_USE, ...options.fairUse }
  }

  get clientCount(): number {
    return this.#clients.size
  }

  /** Connections that have not been let in yet. */
  get pendingCount(): number {
    return this.#pending.size
  }

  /** The devices connected now, oldest connection first. */
  get connected(): ConnectedDevice[] {
    return [...this.#clients.values()].map((c) => ({
      key: c.device.key,
      id: c.device.id,
      name: c.device.name,
      connectedAt: c.connectedAt,
      path: c.path
    }))
  }

  /** Tells each connection's path (direct or relayed) from now on. */
  watchPaths(paths: RelayWatch): void {
    this.#paths = paths
  }

  accept(stream: SwarmConnection): void {
    const { log } = this.#options
    if (this.#closing) {
      stream.destroy()
      return
    }
    const key = b4a.toString(stream.remotePublicKey, 'hex')
    const id = `c${this.#nextId++}-${key.slice(0, 8)}`
    const address = stream.rawStream?.remoteHost ?? 'unknown'
    // A paired device is never held up by strangers: the caps count unknown keys only.
    const stranger = this.#options.devices.get(key) === undefined
    const fromAddress = this.#strangersByAddress.get(address) ?? 0
    if (
      stranger &&
      (this.#strangers >= this.#fair.maxPending || fromAddress >= this.#fair.maxPendingPerAddress)
    ) {
      log.debug(
        { client: id, pending: this.#strangers, from_address: fromAddress },
        'refused: too many connections waiting for hello'
      )
      stream.destroy()
      return
    }
    log.debug({ client: id }, 'peer connected; waiting for hello')
    // Lets clients tell a dead host (killed, network gone) from a quiet one within
    // LIMITS.deadConnectionMs, so they reconnect quickly when it comes back.
    stream.setKeepAlive(LIMITS.keepAliveMs)
    let client: Client | undefined
    let refused = false
    // A valid hello is small: until one is accepted, a long line is a bad one.
    const decoder = MessageDecoder.forHost({ maxLineBytes: this.#fair.preHelloMaxLineBytes })
    let pending = true
    const settle = () => {
      if (!pending) return
      pending = false
      this.#pending.delete(conn)
      if (!stranger) return
      this.#strangers--
      const left = (this.#strangersByAddress.get(address) ?? 1) - 1
      if (left > 0) this.#strangersByAddress.set(address, left)
      else this.#strangersByAddress.delete(address)
    }

    const conn: FramedConnection<HostBoundMessage> = new FramedConnection(stream, decoder, {
      message: (message) => {
        if (client) return this.#onMessage(client, message)
        if (refused) return
        settle()
        client = this.#onHello(id, key, conn, message)
        refused = client === undefined
        if (client) decoder.maxLineBytes = LIMITS.maxLineBytes
        clearTimeout(helloTimer)
      },
      bad: (err) => {
        if (client) {
          log.debug({ client: id, detail: err.detail }, 'bad message')
          client.send(errorMessage(err))
        } else if (refused) {
          return
        } else if (err.code === 'UNSUPPORTED_VERSION') {
          log.info({ client: id, detail: err.detail }, 'refused: other protocol version')
          refused = true
          conn.send(errorMessage(err))
          conn.end()
        } else {
          log.info({ client: id, detail: err.detail }, 'refused: malformed hello')
          refused = true
          conn.destroy()
        }
      },
      close: () => {
        clearTimeout(helloTimer)
        settle()
        if (client && this.#clients.get(client.device.key) === client) {
          this.#clients.delete(client.device.key)
          this.#options.chat.dropClient(client)
          this.#options.devices.seen(client.device.key)
          log.info({ client: id, clients: this.#clients.size }, 'client left')
          this.#changed()
        }
      }
    })
    this.#pending.add(conn)
    if (stranger) {
      this.#strangers++
      this.#strangersByAddress.set(address, fromAddress + 1)
    }
    // Callbacks above run only on later events, by which time this is set.
    const helloTimer = setTimeout(() => {
      if (client || refused) return
      log.info({ client: id }, 'refused: no hello in time')
      conn.destroy()
    }, this.#options.helloTimeoutMs ?? LIMITS.helloTimeoutMs)
  }

  /** Sends the current server_info to every client (status, model or name changed). */
  broadcastInfo(): void {
    for (const client of this.#clients.values()) this.#sendInfo(client)
  }

  /** A device was removed: tell it so and close its connection, if it has one. */
  drop(deviceKey: string, error: ProtocolError = protocolError('DEVICE_REMOVED')): void {
    const client = this.#clients.get(deviceKey)
    if (!client) return
    this.#options.log.info({ client: client.id }, `dropped: ${error.code}`)
    client.send(errorMessage(error))
    client.conn.end()
  }

  /** Stop: server_info 'stopped' to every client, then every connection closes. */
  async close(): Promise<void> {
    if (this.#closing) return
    this.#closing = true
    const closed: Promise<void>[] = []
    for (const client of this.#clients.values()) {
      this.#sendInfo(client, 'stopped')
      closed.push(waitClosed(client.conn))
      client.conn.end()
    }
    for (const conn of this.#pending) conn.destroy()
    await Promise.all(closed)
  }

  #onHello(
    id: string,
    key: string,
    conn: FramedConnection<HostBoundMessage>,
    message: HostBoundMessage
  ): Client | undefined {
    const { log, devices } = this.#options
    if (message.type !== 'hello') {
      log.info({ client: id, type: message.type }, 'refused: first message was not hello')
      conn.destroy()
      return undefined
    }
    const name = message.payload.client?.name ?? ''
    let device = devices.get(key)
    if (!device) {
      const proved = verifyPairingProof(
        this.#options.secret(),
        conn.handshakeHash,
        message.payload.proof
      )
      if (!proved && devices.isRemoved(key)) {
        log.info({ client: id }, 'refused: a removed device')
        return this.#refuse(conn, protocolError('DEVICE_REMOVED'))
      }
      if (!proved) {
        log.info({ client: id }, 'refused: unknown device, wrong proof')
        conn.destroy()
        return undefined
      }
      device = devices.pair(key, name)
      if (!device) {
        log.warn({ client: id }, 'refused: the device list is full')
        return this.#refuse(
          conn,
          protocolError('HOST_FULL', { detail: 'the host has as many paired devices as it keeps' })
        )
      }
      log.info({ client: id, name, device: device.id }, 'device paired')
    }
    // The same device again (it reconnected before its old connection timed out): the new
    // connection takes the old one's place instead of holding a second slot.
    this.#clients.get(key)?.conn.destroy()
    const max = this.#options.maxClients ?? LIMITS.maxClients
    if (this.#clients.size >= max && !this.#makeRoom(id)) {
      log.info({ client: id, clients: this.#clients.size }, 'refused: host full')
      return this.#refuse(conn, protocolError('HOST_FULL'))
    }
    devices.seen(key, name || undefined)
    const client = new Client(id, conn, device)
    this.#clients.set(key, client)
    this.#paths?.follow(conn.stream, (path) => {
      const changed = client.path !== path
      client.path = path
      if (changed && this.#clients.get(key) === client) {
        log.info({ client: id, path }, 'path changed')
        this.#changed()
      }
    })
    log.info(
      {
        client: id,
        device: device.id,
        name: device.name,
        platform: message.payload.client?.platform,
        clients: this.#clients.size
      },
      'client joined'
    )
    this.#sendInfo(client)
    this.#changed()
    return client
  }

  #refuse(conn: FramedConnection<HostBoundMessage>, error: ProtocolError): undefined {
    conn.send(errorMessage(error))
    conn.end()
    return undefined
  }

  /** Every slot is taken: the device idle longest goes, if idle long enough. */
  #makeRoom(newcomer: string): boolean {
    const now = Date.now()
    let idlest: Client | undefined
    for (const c of this.#clients.values()) {
      if (this.#options.chat.isAnswering(c.device.key)) continue
      if (now - c.lastActive < this.#fair.idleEvictMs) continue
      if (!idlest || c.lastActive < idlest.lastActive) idlest = c
    }
    if (!idlest) return false
    const idleS = Math.round((now - idlest.lastActive) / 1000)
    this.#options.log.info(
      { client: idlest.id, idle_s: idleS, for: newcomer },
      'made room: an idle device was disconnected'
    )
    this.#clients.delete(idlest.device.key)
    this.#options.devices.seen(idlest.device.key)
    idlest.send(
      errorMessage(
        protocolError('HOST_FULL', {
          detail: `disconnected after ${idleS} s idle to make room for another device`
        })
      )
    )
    idlest.conn.end()
    return true
  }

  #onMessage(client: Client, message: HostBoundMessage): void {
    switch (message.type) {
      case 'chat_start': {
        const now = Date.now()
        client.lastActive = now
        const coolUntil = this.#penalties.get(client.device.key)
        if (coolUntil !== undefined && coolUntil > now) {
          client.send(
            errorMessage(
              protocolError('TOO_MANY_REQUESTS', {
                request_id: message.request_id,
                detail: `try again in ${Math.ceil((coolUntil - now) / 1000)} s`
              })
            )
          )
          return
        }
        if (this.#options.chat.start(client, message)) return
        this.#onRefusedStart(client)
        return
      }
      case 'abort':
        this.#options.chat.abort(client, message.request_id)
        return
      case 'error':
        this.#onClientError(client, message.payload.code, message.payload.detail)
        return
      case 'hello':
        client.send(
          errorMessage(protocolError('BAD_MESSAGE', { detail: 'hello was already received' }))
        )
        return
    }
  }

  /** Too many chat_starts refused in a short time: the device cools down (TOO_MANY_REQUESTS). */
  #onRefusedStart(client: Client): void {
    const now = Date.now()
    const window = this.#fair.refusedStartWindowMs
    client.refusedStarts = client.refusedStarts.filter((at) => at > now - window)
    client.refusedStarts.push(now)
    if (client.refusedStarts.length < this.#fair.maxRefusedStarts) return
    this.#options.log.warn(
      { client: client.id, refused: client.refusedStarts.length, window_ms: window },
      'too many refused requests: the device cools down'
    )
    client.refusedStarts = []
    for (const [device, until] of this.#penalties) if (until <= now) this.#penalties.delete(device)
    this.#penalties.set(client.device.key, now + this.#fair.penaltyMs)
  }

  /** A client's `error`: counted as a bad message, and logged at most once per interval. */
  #onClientError(client: Client, code: string, detail: string | undefined): void {
    if (client.conn.penalize()) return
    const now = Date.now()
    if (now - client.errorsLoggedAt < this.#fair.errorLogIntervalMs) {
      client.errorsSuppressed++
      return
    }
    this.#options.log.info(
      { client: client.id, code, detail, suppressed: client.errorsSuppressed },
      'client reported an error'
    )
    client.errorsLoggedAt = now
    client.errorsSuppressed = 0
  }

  #sendInfo(client: Client, status?: HostStatus): void {
    const info = this.#options.info()
    const replyLimits = this.#options.replyLimits
    const effective = status ?? info.status
    const message: ClientBoundMessage = {
      type: 'server_info',
      payload: {
        host_name: info.host_name,
        model: info.model,
        status: effective,
        ...(effective === 'unavailable' && info.reason ? { reason: info.reason } : {}),
        protocol_version: PROTOCOL_VERSION,
        limits: {
          max_prompt_bytes: LIMITS.maxPromptBytes,
          max_clients: this.#options.maxClients ?? LIMITS.maxClients,
          response_timeout_ms: LIMITS.responseTimeoutMs,
          max_reply_tokens: replyLimits?.maxReplyTokens ?? 0,
          max_reply_ms: replyLimits?.maxReplyMs ?? 0
        },
        ...(info.relay ? { relay: info.relay } : {})
      }
    }
    // Valid by construction (the host clamps names); checked anyway, so a bug cannot put a
    // line every client would refuse on the wire.
    const checked = checkOutgoing(message)
    if (!checked.ok) {
      this.#options.log.error({ detail: checked.detail }, 'refused to send an invalid server_info')
      return
    }
    client.send(message)
  }

  #changed(): void {
    this.#options.onClientsChange?.(this.connected)
  }
}

function waitClosed(conn: FramedConnection<unknown>): Promise<void> {
  if (conn.closed || conn.stream.destroyed) return Promise.resolve()
  return new Promise((resolve) => conn.stream.on('close', () => resolve()))
}
