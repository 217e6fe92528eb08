// @localllm/ollama-standin: an Ollama-compatible HTTP server for tests, the demo and
// benchmarks, with scripted models, replies, timing and failures, and a log of what every
// request saw. Node only.
//
//   const standin = new OllamaStandin({ reply: 'Hi!', loadDelayMs: 200 })
//   await standin.ready()   // then: new Ollama({ host: standin.url })

export { OllamaStandin, type StandinEvents, type StandinOptions } from './standin.js'
export type { StandinControl } from './control-routes.js'
export {
  DEFAULT_SETTINGS,
  type Failure,
  type FailureKind,
  type Script,
  type Settings
} from './script.js'
export type { InstalledModelInfo, ModelInput, ModelSpec } from './models.js'
export type { Outcome, RequestRecord, RequestState } from './request-log.js'
export { OLLAMA_VERSION } from './ollama-routes.js'
