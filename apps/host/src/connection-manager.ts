// The host's side of every connection: the capability check, the five-client limit, the
// bad-message budget, and routing of chat messages to the ChatService.
//
//   const manager = new ConnectionManager({ secret, chat, info: () => currentInfo(), log })
//   swarm.on('connection', (stream) => manager.accept(stream))
//   manager.broadcastInfo()          // status, model or name changed
//   await manager.close()            // server_info 'stopped' to everyone, then close
//
// Until a connection proves it holds the secret it gets nothing: a missing (10 s), late,
// malformed or wrong `hello` closes it silently, so a peer that only knows the topic learns
// nothing, not even that a LocalLLM host is there. Only another protocol version is told so.

import {
  LIMITS,
  MessageDecoder,
  PROTOCOL_VERSION,
  errorMessage,
  protocolError,
  type ClientBoundMessage,
  type HostBoundMessage,
  type HostStatus,
  type ProtocolError
} from '@localllm/protocol'
import { hostProof, verifyClientProof } from '@localllm/protocol/capability'
import { FramedConnection } from '@localllm/core'
import type { SwarmConnection } from 'hyperswarm'
import b4a from 'b4a'
import type { ChatClient, ChatService } from './chat-service.js'
import type { Logger } from './logger.js'

export interface HostInfo {
  host_name: string
  model: string
  status: HostStatus
}

export interface ConnectionManagerOptions {
  secret: Uint8Array
  chat: ChatService
  info: () => HostInfo
  log: Logger
  maxClients?: number
  helloTimeoutMs?: number
  /** Called whenever the number of authenticated clients changes. */
  onClientsChange?: (count: number) => void
}

class Client implements ChatClient {
  readonly id: string
  readonly conn: FramedConnection<HostBoundMessage>
  name: string | undefined

  constructor(id: string, conn: FramedConnection<HostBoundMessage>) {
    this.id = id
    this.conn = conn
  }

  send(message: ClientBoundMessage): boolean {
    return this.conn.send(message)
  }
}

export class ConnectionManager {
  readonly #options: ConnectionManagerOptions
  readonly #clients = new Set<Client>()
  readonly #pending = new Set<FramedConnection<HostBoundMessage>>()
  #closing = false
  #nextId = 1

  constructor(options: ConnectionManagerOptions) {
    this.#options = options
  }

  get clientCount(): number {
    return this.#clients.size
  }

  /** Connections that have not proved themselves yet. */
  get pendingCount(): number {
    return this.#pending.size
  }

  accept(stream: SwarmConnection): void {
    const { log } = this.#options
    if (this.#closing) {
      stream.destroy()
      return
    }
    const id = `c${this.#nextId++}-${b4a.toString(stream.remotePublicKey, 'hex').slice(0, 8)}`
    log.debug({ client: id }, 'peer connected; waiting for hello')
    // Lets clients tell a dead host (killed, network gone) from a quiet one within
    // LIMITS.deadConnectionMs, so they reconnect quickly when it comes back.
    stream.setKeepAlive(LIMITS.keepAliveMs)
    let client: Client | undefined

    const conn: FramedConnection<HostBoundMessage> = new FramedConnection(
      stream,
      MessageDecoder.forHost(),
      {
        message: (message) => {
          if (client) this.#onMessage(client, message)
          else client = this.#onHello(id, conn, message)
          if (client) clearTimeout(helloTimer)
        },
        bad: (err) => {
          if (client) {
            log.debug({ client: id, detail: err.detail }, 'bad message')
            client.send(errorMessage(err))
          } else if (err.code === 'UNSUPPORTED_VERSION') {
            log.info({ client: id, detail: err.detail }, 'refused: other protocol version')
            conn.send(errorMessage(err))
            conn.end()
          } else {
            log.info({ client: id, detail: err.detail }, 'refused: malformed hello')
            conn.destroy()
          }
        },
        close: () => {
          clearTimeout(helloTimer)
          this.#pending.delete(conn)
          if (client && this.#clients.delete(client)) {
            this.#options.chat.dropClient(client)
            log.info({ client: id, clients: this.#clients.size }, 'client left')
            this.#options.onClientsChange?.(this.#clients.size)
          }
        }
      }
    )
    this.#pending.add(conn)
    // Callbacks above run only on later events, by which time this is set.
    const helloTimer = setTimeout(() => {
      if (client) return
      log.info({ client: id }, 'refused: no hello in time')
      conn.destroy()
    }, this.#options.helloTimeoutMs ?? LIMITS.helloTimeoutMs)
  }

  /** Sends the current server_info to every client (status, model or name changed). */
  broadcastInfo(): void {
    for (const client of this.#clients) this.#sendInfo(client)
  }

  /** Stop: server_info 'stopped' to every client, then every connection closes. */
  async close(): Promise<void> {
    if (this.#closing) return
    this.#closing = true
    const closed: Promise<void>[] = []
    for (const client of this.#clients) {
      this.#sendInfo(client, 'stopped')
      closed.push(waitClosed(client.conn))
      client.conn.end()
    }
    for (const conn of this.#pending) conn.destroy()
    await Promise.all(closed)
  }

  #onHello(
    id: string,
    conn: FramedConnection<HostBoundMessage>,
    message: HostBoundMessage
  ): Client | undefined {
    const { log, secret } = this.#options
    if (message.type !== 'hello') {
      log.info({ client: id, type: message.type }, 'refused: first message was not hello')
      conn.destroy()
      return undefined
    }
    if (!verifyClientProof(secret, conn.handshakeHash, message.payload.proof)) {
      log.info({ client: id }, 'refused: wrong proof')
      conn.destroy()
      return undefined
    }
    this.#pending.delete(conn)
    const max = this.#options.maxClients ?? LIMITS.maxClients
    if (this.#clients.size >= max) {
      log.info({ client: id, clients: this.#clients.size }, 'refused: host full')
      conn.send(errorMessage(protocolError('HOST_FULL')))
      conn.end()
      return undefined
    }
    const client = new Client(id, conn)
    client.name = message.payload.client?.name
    this.#clients.add(client)
    log.info(
      {
        client: id,
        name: client.name,
        platform: message.payload.client?.platform,
        clients: this.#clients.size
      },
      'client joined'
    )
    this.#sendInfo(client)
    this.#options.onClientsChange?.(this.#clients.size)
    return client
  }

  #onMessage(client: Client, message: HostBoundMessage): void {
    switch (message.type) {
      case 'chat_start':
        this.#options.chat.start(client, message)
        return
      case 'abort':
        this.#options.chat.abort(client, message.request_id)
        return
      case 'error':
        this.#options.log.info(
          { client: client.id, code: message.payload.code, detail: message.payload.detail },
          'client reported an error'
        )
        return
      case 'hello':
        this.#reply(client, protocolError('BAD_MESSAGE', { detail: 'hello was already received' }))
        return
    }
  }

  #sendInfo(client: Client, status?: HostStatus): void {
    const info = this.#options.info()
    client.send({
      type: 'server_info',
      payload: {
        host_proof: hostProof(this.#options.secret, client.conn.handshakeHash),
        host_name: info.host_name,
        model: info.model,
        status: status ?? info.status,
        protocol_version: PROTOCOL_VERSION,
        limits: {
          max_prompt_bytes: LIMITS.maxPromptBytes,
          max_clients: this.#options.maxClients ?? LIMITS.maxClients,
          response_timeout_ms: LIMITS.responseTimeoutMs
        }
      }
    })
  }

  #reply(client: Client, err: ProtocolError): void {
    client.send(errorMessage(err))
  }
}

function waitClosed(conn: FramedConnection<unknown>): Promise<void> {
  if (conn.closed || conn.stream.destroyed) return Promise.resolve()
  return new Promise((resolve) => conn.stream.on('close', () => resolve()))
}
