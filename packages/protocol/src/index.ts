// @localllm/protocol: everything both ends of a LocalLLM connection agree on, with no
// sockets and no Node built-ins, so it runs unchanged under Node, Bare and React Native.
// Capability proofs live in the `@localllm/protocol/capability` entry (they load sodium).

export { LIMITS, PROTOCOL_VERSION, type Limits } from './limits.js'
export {
  ERROR_CODES,
  ERROR_INFO,
  isErrorCode,
  protocolError,
  type ErrorCode,
  type ProtocolError
} from './errors.js'
export * from './messages.js'
export { EXAMPLES } from './examples.js'
export { parseClientBound, parseHostBound, readRequestId, type ParseResult } from './validate.js'
export { NdjsonDecoder, encodeLine, type Frame, type NdjsonDecoderOptions } from './ndjson.js'
export { MessageDecoder } from './message-decoder.js'
export {
  CONNECT_LINK_PREFIX,
  SECRET_BYTES,
  connectLink,
  formatServerId,
  parseServerId,
  type ServerIdResult
} from './server-id.js'
