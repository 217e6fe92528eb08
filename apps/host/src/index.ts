// @localllm/host: the host engine, for the CLI, the menu bar app and tests.
export {
  LocalLLMHost,
  stoppedHostState,
  type HostOptions,
  type HostState,
  type HostStatusName
} from './host.js'
export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger.js'
export { resolveOllamaUrl } from './ollama-url.js'
