// The words for the host's status: the menu's first line, the lines under it, and the tray
// tooltip. They follow what clients are told in `server_info`: "Can't answer" with the
// reason while the host runs but cannot answer, and busy says someone is being answered.
//
//   statusLine(state)      // "Can't answer: llama3.2 is not installed"
//   statusDetails(state)   // ['Run `ollama pull llama3.2`, or choose another model']
//   trayTooltip(state)     // "LocalLLM: Can't answer · llama3.2 · 0 clients · model not installed"

import type { HostState } from '@localllm/host'

const STATUS_NAMES: Record<HostState['status'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  ready: 'Ready',
  busy: 'Busy',
  unavailable: "Can't answer"
}

/** Why the host can't answer, as the tooltip says it (and the CLI's status line). */
const SHORT_REASONS: Record<NonNullable<HostState['reason']>, string> = {
  ollama_unreachable: 'Ollama not running',
  model_missing: 'model not installed',
  no_model: 'no model'
}

/** The menu's first line: "Ready · llama3.2", "Can't answer: Ollama is not running", … */
export function statusLine(state: HostState): string {
  if (state.status === 'unavailable') {
    switch (state.reason) {
      case 'ollama_unreachable':
        return "Can't answer: Ollama is not running"
      case 'model_missing':
        return `Can't answer: ${state.model ?? 'the model'} is not installed`
      case 'no_model':
      case undefined:
        return "Can't answer: no model installed"
    }
  }
  const status = STATUS_NAMES[state.status]
  return state.model ? `${status} · ${state.model}` : status
}

/** Disabled lines under the first one: what is going on, and what fixes it. */
export function statusDetails(state: HostState): string[] {
  const lines: string[] = []
  if (state.status === 'busy') lines.push('Answering someone; other devices are told it’s busy')
  if (state.ollama === 'unreachable') lines.push(`Ollama is not answering at ${state.ollamaUrl}`)
  if (state.status === 'unavailable' && state.reason === 'model_missing') {
    const others = state.models.length > 0 ? ', or choose an installed one under Model' : ''
    lines.push(`Run \`ollama pull ${state.model ?? 'llama3.2'}\`${others}`)
  }
  if (state.status === 'unavailable' && state.reason === 'no_model') {
    lines.push('Run `ollama pull llama3.2` in Terminal')
  }
  return lines
}

/** The tray tooltip: state, model and client count, and why the host can't answer. */
export function trayTooltip(state: HostState): string {
  const clients = `${state.clients} client${state.clients === 1 ? '' : 's'}`
  const parts = [`LocalLLM: ${STATUS_NAMES[state.status]}`, state.model ?? 'no model', clients]
  if (state.status === 'unavailable' && state.reason) parts.push(SHORT_REASONS[state.reason])
  else if (state.ollama === 'unreachable') parts.push(SHORT_REASONS.ollama_unreachable)
  return parts.join(' · ')
}
