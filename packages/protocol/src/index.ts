// @localllm/protocol: everything both ends of a LocalLLM connection agree on, with no
// sockets and no Node built-ins, so it runs unchanged under Node, Bare and React Native.
// The pairing proof lives in the `@localllm/protocol/capability` entry (it loads sodium).

export { LIMITS, LIMIT_NOTES, PROTOCOL_VERSION, type Limits } from './limits.js'
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
export { fitHistory } from './history.js'
export { parseClientBound, parseHostBound, readRequestId, type ParseResult } from './validate.js'
export { NdjsonDecoder, encodeLine, type Frame, type NdjsonDecoderOptions } from './ndjson.js'
export { MessageDecoder } from './message-decoder.js'
export {
  ACCESS_SECRET_BYTES,
  CONNECT_LINK_PREFIX,
  HOST_KEY_BYTES,
  PAIRING_CODE_BYTES,
  connectLink,
  formatPairingCode,
  pairingChecksum,
  parsePairingCode,
  type PairingCodeResult
} from './pairing-code.js'
