// @localllm/core: connections over Hyperswarm, for the host (Node) and the clients (Node
// and Bare). Depends on @localllm/protocol; knows nothing of Ollama or screens.

export {
  TESTNET_SIZE,
  createDht,
  createSwarm,
  formatBootstrap,
  parseBootstrap,
  waitForBootstrap,
  type Bootstrap,
  type DhtOptions,
  type SwarmOptions
} from './swarm.js'
export { BadMessageBudget, type BadMessageBudgetOptions } from './bad-message-budget.js'
export {
  FramedConnection,
  type ConnectionHandlers,
  type FramedConnectionOptions
} from './framed-connection.js'
export {
  ClientSession,
  type ClientSessionOptions,
  type SessionPath,
  type SendOptions,
  type SessionLog,
  type SessionStatus
} from './client-session.js'
export { ChatRequest, type ChatResult } from './chat-request.js'
export { HostDialer, classifyDialError, type HostDialerOptions } from './host-dialer.js'
export { handshake, type HandshakeOptions, type HandshakeResult } from './handshake.js'
export { RequestTable, type RequestTableOptions } from './request-table.js'
export { RetryTimer, DEFAULT_BACKOFFS, type RetryTimerOptions } from './retry-timer.js'
export {
  RelayWatch,
  addressKind,
  type AddressKind,
  type ConnectionPath
} from './connection-path.js'
