// Every number the protocol promises, in one place. `server_info.limits` is built from
// these, the decoder enforces MAX_LINE_BYTES, and the host and client read their timers
// from here, so a limit changes in exactly one line.
//
//   import { LIMITS } from '@localllm/protocol'
//   if (utf8ByteLength(prompt) > LIMITS.maxPromptBytes) ...

export const PROTOCOL_VERSION = 1

export const LIMITS = Object.freeze({
  /** Largest `chat_start` prompt, in UTF-8 bytes. */
  maxPromptBytes: 8192,
  /** Authenticated clients one host serves at once; the next gets HOST_FULL. */
  maxClients: 5,
  /** Silence on an active request after which the client reports TIMEOUT_NO_RESPONSE. */
  responseTimeoutMs: 30_000,
  /** Longest NDJSON line either side buffers, newline excluded. */
  maxLineBytes: 64 * 1024,
  /** A connection that has not sent a valid `hello` by then is closed. */
  helloTimeoutMs: 10_000,
  /** A peer that sends this many bad messages within badMessageWindowMs is dropped. */
  maxBadMessages: 20,
  badMessageWindowMs: 60_000,
  /** How often the host sends `chat_status` while Ollama has produced nothing yet. */
  chatStatusIntervalMs: 10_000,
  /** Ollama silent this long during a generation: GENERATION_FAILED. */
  generationStallMs: 120_000,
  /** No peer for the topic within this long: HOST_OFFLINE. */
  hostOfflineMs: 20_000,
  /** The host sends a keepalive this often on every connection… */
  keepAliveMs: 1_500,
  /** …so a client that hears nothing for this long knows the connection is dead. */
  deadConnectionMs: 4_500,
  /** A found peer has this long to answer `hello` with a valid `server_info`. */
  handshakeTimeoutMs: 5_000,
  /** Longest a client waits for the DHT to bootstrap before looking up the topic. */
  bootstrapWaitMs: 5_000,
  /** Longest `request_id`, in characters. */
  maxRequestIdLength: 128,
  /** Longest display name, model name or client field, in characters. */
  maxNameLength: 256
})

export type Limits = typeof LIMITS
