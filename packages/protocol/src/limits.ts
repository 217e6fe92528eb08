// Every number the protocol promises, in one place. `server_info.limits` is built from
// these, the decoder enforces maxLineBytes, and the host and client read their timers from
// here, so a limit changes in exactly one line. LIMIT_NOTES says what each one bounds
// (docs/spec.md's limits table is generated from both).
//
//   import { LIMITS } from '@localllm/protocol'
//   if (utf8ByteLength(prompt) > LIMITS.maxPromptBytes) ...

export const PROTOCOL_VERSION = 2

export const LIMITS = Object.freeze({
  maxPromptBytes: 8192,
  maxHistoryTurns: 100,
  maxHistoryBytes: 48 * 1024,
  maxClients: 5,
  responseTimeoutMs: 30_000,
  maxLineBytes: 64 * 1024,
  helloTimeoutMs: 5_000,
  maxBadMessages: 20,
  badMessageWindowMs: 60_000,
  chatStatusIntervalMs: 10_000,
  generationStallMs: 120_000,
  keepAliveMs: 1_500,
  deadConnectionMs: 4_500,
  handshakeTimeoutMs: 5_000,
  bootstrapWaitMs: 5_000,
  maxRequestIdLength: 128,
  maxNameLength: 256
})

export type Limits = typeof LIMITS

/** What each limit bounds, and who enforces it. */
export const LIMIT_NOTES: { readonly [K in keyof Limits]: string } = {
  maxPromptBytes: 'largest `chat_start.prompt`, in UTF-8 bytes (host: `BAD_MESSAGE`)',
  maxHistoryTurns: 'most turns in one `chat_start.history` (host: `BAD_MESSAGE`)',
  maxHistoryBytes:
    'most UTF-8 bytes of content in one `chat_start.history`; the client leaves out the oldest exchanges to fit (host: `BAD_MESSAGE`)',
  maxClients: 'devices one host serves at once; the next gets `HOST_FULL`',
  responseTimeoutMs:
    'client: silence on an active request (no `chat_status`, chunk or end) before `TIMEOUT_NO_RESPONSE` and an `abort`',
  maxLineBytes:
    'longest NDJSON line either side buffers, newline excluded; longer is dropped as `BAD_MESSAGE`',
  helloTimeoutMs: 'host: a connection without a valid `hello` by then is closed, nothing sent',
  maxBadMessages:
    'either side: this many bad messages within `badMessageWindowMs` and the peer is disconnected',
  badMessageWindowMs: 'the sliding window of `maxBadMessages`',
  chatStatusIntervalMs:
    'host: how often `chat_status` is sent while Ollama has produced nothing yet (a model loading)',
  generationStallMs: 'host: Ollama silent this long during a generation is `GENERATION_FAILED`',
  keepAliveMs:
    'host: after this long without sending on a connection, it sends a keepalive, an empty secret-stream message (no NDJSON line)…',
  deadConnectionMs:
    '…so a client that receives nothing, keepalives included, for this long knows the connection is dead and reconnects',
  handshakeTimeoutMs:
    'client: the host has this long to answer `hello`; else `HOST_DISCONNECTED` and a new attempt',
  bootstrapWaitMs:
    'client and host: longest wait for the DHT to bootstrap before the first dial or listen',
  maxRequestIdLength: 'longest `request_id`, in characters',
  maxNameLength: 'longest display name, model name or `hello.client` field, in characters'
}
