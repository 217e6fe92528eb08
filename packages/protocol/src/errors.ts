// The protocol's error codes: the twelve the protocol started with, plus HOST_FULL (v1), and in
// v2 DEVICE_REMOVED, HOST_UNREACHABLE and TOO_MANY_REQUESTS. Each carries whether trying again
// can help and a sentence a phone screen can show as it is.
//
//   const err = protocolError('MODEL_BUSY', { request_id: 'r1' })
//   // { code: 'MODEL_BUSY', message: 'The host is answering someone else…', retryable: true, request_id: 'r1' }
//
// `detail` is for logs and the debug screen; `message` is for people. `raisedBy` and `when`
// document each code (docs/spec.md's error table is generated from them).

export const ERROR_INFO = {
  INVALID_SERVER_ID: {
    raisedBy: 'client',
    when: 'the code does not decode to 52 bytes or its checksum does not match (checked before any network access)',
    retryable: false,
    message: "That Server ID isn't valid. Copy it again from the host, or scan its QR code."
  },
  CONNECT_FAILED: {
    raisedBy: 'client',
    when: 'the host (its key proven by the Noise handshake) closed the connection after our `hello` without letting this device in, or answered it with something other than `server_info`: e.g. this device is not paired and its code is out of date',
    retryable: true,
    message:
      "The host was found but didn't let this device in. Check that you have the host's current Server ID."
  },
  HOST_OFFLINE: {
    raisedBy: 'client',
    when: "the DHT does not find the host's key (hyperdht `PEER_NOT_FOUND`): the host is not running or not online",
    retryable: true,
    message:
      "The host wasn't found on the network. Make sure LocalLLM is running on the host computer, then try again."
  },
  HOST_UNREACHABLE: {
    raisedBy: 'client',
    when: 'the host was found but no connection could be made through the two networks (hole punching failed: `HOLEPUNCH_ABORTED` and the like)',
    retryable: true,
    message:
      "The host was found, but these two networks don't allow a direct connection. The host can add a relay to fix this."
  },
  HOST_DISCONNECTED: {
    raisedBy: 'client',
    when: 'an established connection dropped; or a new one over which nothing came back after our `hello` (the dead-connection timeout, or no answer within `handshakeTimeoutMs`): a dead path, not a refusal. The client keeps reconnecting',
    retryable: true,
    message: 'The connection to the host was lost. Reconnecting…'
  },
  HOST_FULL: {
    raisedBy: 'host',
    when: 'a device arrives when `maxClients` are connected and none has been idle for `idleEvictMs` (or is itself the idle one that makes room; its `detail` says so), or a new device when the host already keeps 100; the host closes the connection after sending this',
    retryable: true,
    message: 'The host already has as many people connected as it allows. Try again later.'
  },
  DEVICE_REMOVED: {
    raisedBy: 'host',
    when: 'a device the host removed connects again; the host closes it after sending this',
    retryable: false,
    message: 'The host removed this device. Ask the host for its current Server ID to pair again.'
  },
  TOO_MANY_REQUESTS: {
    raisedBy: 'host',
    when: 'a device had `maxRefusedStarts` `chat_start`s refused within `refusedStartWindowMs`: for `penaltyMs` each of its `chat_start`s gets this at once, without touching the gate (`detail`: when to try again)',
    retryable: true,
    message: 'This device sent too many requests at once. Wait a moment, then try again.'
  },
  UNSUPPORTED_VERSION: {
    raisedBy: 'both',
    when: 'a `hello` or `server_info` carries another `protocol_version`',
    retryable: false,
    message:
      'This app and the host use different versions of LocalLLM. Update LocalLLM on both devices.'
  },
  OLLAMA_NOT_FOUND: {
    raisedBy: 'host',
    when: "Ollama's API does not answer (connection refused)",
    retryable: true,
    message: "Ollama isn't running on the host computer. Ask the host to start Ollama."
  },
  OLLAMA_MODEL_NOT_AVAILABLE: {
    raisedBy: 'host',
    when: 'the selected model is not installed (Ollama 404), or the host has no model selected',
    retryable: false,
    message:
      "The host's selected model isn't installed in Ollama. Ask the host to choose another model."
  },
  MODEL_BUSY: {
    raisedBy: 'host',
    when: 'a `chat_start` arrives while any generation holds the gate',
    retryable: true,
    message: 'The host is answering someone else right now. Try again in a moment.'
  },
  GENERATION_FAILED: {
    raisedBy: 'host',
    when: 'Ollama error status, an `{"error"}` line mid-stream, a line of its stream over 1 MiB or not JSON, a stream ending without `done`, a stall of `generationStallMs`, or a message the host would have sent that fails its own schema',
    retryable: true,
    message: 'The model stopped with an error before finishing its reply. Try again.'
  },
  GENERATION_ABORTED: {
    raisedBy: 'host',
    when: 'after an `abort`, once the Ollama request is closed; or the host is stopping',
    retryable: false,
    message: 'The reply was stopped.'
  },
  BAD_MESSAGE: {
    raisedBy: 'both',
    when: 'invalid JSON or UTF-8, a line over `maxLineBytes`, a schema violation, an unknown type, a `request_id` reused while active',
    retryable: false,
    message:
      "A message couldn't be understood. If this keeps happening, update LocalLLM on both devices."
  },
  TIMEOUT_NO_RESPONSE: {
    raisedBy: 'client',
    when: '`responseTimeoutMs` of silence on an active request; the client then sends `abort`',
    retryable: true,
    message: 'The host stopped responding. Try again.'
  }
} as const satisfies Record<
  string,
  { raisedBy: 'client' | 'host' | 'both'; when: string; retryable: boolean; message: string }
>

export type ErrorCode = keyof typeof ERROR_INFO

export const ERROR_CODES = Object.keys(ERROR_INFO) as ErrorCode[]

/** An error as it travels in an `error` message, plus the request it belongs to. */
export interface ProtocolError {
  code: ErrorCode
  message: string
  retryable: boolean
  request_id?: string
  /** What exactly went wrong, for logs; never shown as the headline. */
  detail?: string
}

export function protocolError(
  code: ErrorCode,
  options: { request_id?: string | undefined; detail?: string | undefined } = {}
): ProtocolError {
  const info = ERROR_INFO[code]
  const err: ProtocolError = { code, message: info.message, retryable: info.retryable }
  if (options.request_id !== undefined) err.request_id = options.request_id
  if (options.detail !== undefined) err.detail = options.detail
  return err
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_INFO, value)
}
