// @localllm/core: connections over Hyperswarm, for the host (Node) and the clients (Node
// and Bare). Depends on @localllm/protocol; knows nothing of Ollama or screens.

export {
  TESTNET_SIZE,
  createSwarm,
  formatBootstrap,
  parseBootstrap,
  waitForBootstrap,
  type Bootstrap,
  type SwarmOptions
} from './swarm.js'
export {
  FramedConnection,
  type ConnectionHandlers,
  type FramedConnectionOptions
} from './framed-connection.js'
export {
  ClientSession,
  type ClientSessionOptions,
  type SessionLog,
  type SessionStatus
} from './client-session.js'
export { ChatRequest, type ChatResult } from './chat-request.js'
