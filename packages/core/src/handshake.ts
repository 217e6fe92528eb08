// The client's half of the LocalLLM handshake on a stream to the host: `hello` with this
// device's pairing proof, then the host's `server_info`, or its reason for refusing.
//
//   const r = await handshake(stream, { secret, client, after: handlers })
//   if (r.ok) use(r.conn, r.info)        // later messages go to `handlers`
//   else if (r.fatal) stop(r.error)      // DEVICE_REMOVED, UNSUPPORTED_VERSION: retrying won't help
//
// The stream's remote key is already known to be the host's (the Noise handshake proved it),
// so whatever arrives here is the host's word. The proof matters only to a host that does
// not know this device yet; a paired device is let in by its key.
//
// A host that refuses a device closes the connection at once (with an error, or without a
// word for a wrong proof): CONNECT_FAILED. A connection over which nothing at all comes back
// after `hello` (the stream's dead-connection timeout, or no answer in time) is not a refusal
// but a dead path, HOST_DISCONNECTED: in the NAT lab, hyperdht 6.34.0 can hand out a stream
// whose other end went through the relay while this end went direct (docs/reliability.md).

import {
  LIMITS,
  MessageDecoder,
  PROTOCOL_VERSION,
  errorMessage,
  protocolError,
  type ClientBoundMessage,
  type ProtocolError,
  type ServerInfoPayload
} from '@localllm/protocol'
import { pairingProof } from '@localllm/protocol/capability'
import type { NoiseStream } from 'hyperdht'
import { FramedConnection, type ConnectionHandlers } from './framed-connection.js'

export interface HandshakeOptions {
  /** The access secret from the pairing code. */
  secret: Uint8Array
  /** What the host shows for this device: `hello.client`. */
  client?: { name?: string; platform?: string; version?: string } | undefined
  /** How long the host gets to answer `hello`. */
  timeoutMs?: number
  /** Where messages go once the handshake succeeded. */
  after: ConnectionHandlers<ClientBoundMessage>
}

export type HandshakeResult =
  | { ok: true; conn: FramedConnection<ClientBoundMessage>; info: ServerInfoPayload }
  | { ok: false; error: ProtocolError; fatal: boolean }

// Refusals after which trying again cannot help without someone acting.
const FATAL = new Set(['DEVICE_REMOVED', 'UNSUPPORTED_VERSION'])

export function handshake(
  stream: NoiseStream,
  options: HandshakeOptions
): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let done = false
    const finish = (result: HandshakeResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      stream.off('error', onError)
      if (!result.ok) conn.destroy()
      resolve(result)
    }
    const refuse = (error: ProtocolError) =>
      finish({ ok: false, error, fatal: FATAL.has(error.code) })

    // The host keeps the stream alive; silence this long means it is gone.
    stream.setTimeout(LIMITS.deadConnectionMs)
    const started = Date.now()
    let timedOut = false
    const onError = (err: Error) => {
      if (err.message === 'Stream timed out') timedOut = true
    }
    stream.on('error', onError)
    const silent = (why: string) =>
      protocolError('HOST_DISCONNECTED', {
        detail: `the connection opened, but nothing came back after hello (${why}, ${Date.now() - started} ms)`
      })
    const conn: FramedConnection<ClientBoundMessage> = new FramedConnection(
      stream,
      MessageDecoder.forClient(),
      {
        message: (message) => {
          if (done) return options.after.message(message)
          if (message.type === 'server_info') {
            finish({ ok: true, conn, info: message.payload })
          } else if (message.type === 'error' && message.request_id === undefined) {
            refuse(protocolError(message.payload.code, { detail: message.payload.detail }))
          } else {
            refuse(
              protocolError('CONNECT_FAILED', {
                detail: `the host sent ${message.type} before server_info`
              })
            )
          }
        },
        bad: (err) => {
          if (done) return options.after.bad(err)
          if (err.code === 'UNSUPPORTED_VERSION') return refuse(err)
          conn.send(errorMessage(err))
          refuse(
            protocolError('CONNECT_FAILED', { detail: `bad server_info: ${err.detail ?? ''}` })
          )
        },
        close: () => {
          if (done) return options.after.close()
          refuse(
            timedOut
              ? silent('the stream timed out')
              : protocolError('CONNECT_FAILED', {
                  detail: 'the host closed the connection without letting this device in'
                })
          )
        }
      }
    )
    const timer = setTimeout(
      () => refuse(silent('no answer to hello in time')),
      options.timeoutMs ?? LIMITS.handshakeTimeoutMs
    )
    conn.send({
      type: 'hello',
      payload: {
        protocol_version: PROTOCOL_VERSION,
        proof: pairingProof(options.secret, stream.handshakeHash),
        ...(options.client ? { client: options.client } : {})
      }
    })
  })
}
