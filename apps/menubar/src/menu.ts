// What the menu bar shows, as a pure function of the host's state and the app's settings:
// the menu (a plain description, no Electron), the tooltip and the status line. main.ts turns
// the description into an Electron menu each time the menu opens and runs the actions.
//
//   const entries = buildMenu(host.state, { openAtLogin: false, debugLogsVisible: false })
//   // [{ label: 'Ready · llama3.2', enabled: false }, 'separator', { label: 'Stop Server', … }, …]
//
// An item carries the action its click asks for, never a callback, so tests compare values.

import type { HostState } from '@localllm/host'

export type MenuAction =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'select-model'; model: string }
  | { type: 'copy-server-id' }
  | { type: 'show-qr' }
  | { type: 'edit-display-name' }
  | { type: 'regenerate' }
  | { type: 'set-open-at-login'; enabled: boolean }
  | { type: 'toggle-debug-logs' }
  | { type: 'retry-ollama' }
  | { type: 'quit' }

export interface MenuItem {
  label: string
  enabled: boolean
  /** Present on items that show a check mark (rendered as a checkbox item). */
  checked?: boolean
  action?: MenuAction
  submenu?: MenuEntry[]
}

export type MenuEntry = MenuItem | 'separator'

/** The app's own settings and windows the menu reflects. */
export interface MenuContext {
  openAtLogin: boolean
  /** Whether the debug log window is open. */
  debugLogsVisible: boolean
}

export function buildMenu(state: HostState, context: MenuContext): MenuEntry[] {
  const hasId = state.serverId !== undefined
  const entries: MenuEntry[] = [{ label: statusLine(state), enabled: false }]
  if (state.ollama === 'unreachable') {
    entries.push(
      { label: `Ollama is not running at ${state.ollamaUrl}`, enabled: false },
      { label: 'Retry', enabled: true, action: { type: 'retry-ollama' } }
    )
  }
  entries.push(
    'separator',
    serverItem(state),
    { label: 'Model', enabled: true, submenu: modelEntries(state) },
    { label: 'Copy Server ID', enabled: hasId, action: { type: 'copy-server-id' } },
    { label: 'Show QR Code…', enabled: hasId, action: { type: 'show-qr' } },
    { label: `Clients Connected: ${state.clients}`, enabled: false },
    'separator',
    { label: 'Display Name…', enabled: true, action: { type: 'edit-display-name' } },
    { label: 'Regenerate Server ID…', enabled: true, action: { type: 'regenerate' } },
    {
      label: 'Open at Login',
      enabled: true,
      checked: context.openAtLogin,
      action: { type: 'set-open-at-login', enabled: !context.openAtLogin }
    },
    {
      label: 'Toggle Debug Logs',
      enabled: true,
      checked: context.debugLogsVisible,
      action: { type: 'toggle-debug-logs' }
    },
    'separator',
    { label: 'Quit LocalLLM', enabled: true, action: { type: 'quit' } }
  )
  return entries
}

/** "Ready · llama3.2", "Busy · llama3.2", "Stopped", "Starting…": the menu's first line. */
export function statusLine(state: HostState): string {
  const status = STATUS_NAMES[state.status]
  return state.model ? `${status} · ${state.model}` : status
}

/** The tray tooltip: state, model and client count, and Ollama when it is missing. */
export function trayTooltip(state: HostState): string {
  const clients = `${state.clients} client${state.clients === 1 ? '' : 's'}`
  const parts = [`LocalLLM: ${STATUS_NAMES[state.status]}`, state.model ?? 'no model', clients]
  if (state.ollama === 'unreachable') parts.push('Ollama not running')
  return parts.join(' · ')
}

const STATUS_NAMES: Record<HostState['status'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  ready: 'Ready',
  busy: 'Busy',
  unavailable: "Can't answer"
}

function serverItem(state: HostState): MenuItem {
  switch (state.status) {
    case 'stopped':
      return { label: 'Start Server', enabled: true, action: { type: 'start' } }
    case 'starting':
      return { label: 'Starting Server…', enabled: false }
    case 'ready':
    case 'busy':
    case 'unavailable':
      return { label: 'Stop Server', enabled: true, action: { type: 'stop' } }
  }
}

function modelEntries(state: HostState): MenuEntry[] {
  const entries: MenuEntry[] = []
  // A chosen model Ollama no longer lists (removed, or Ollama is down) stays visible.
  if (state.model && !state.models.includes(state.model)) {
    const note = state.ollama === 'ok' ? 'not installed' : 'not checked'
    entries.push({ label: `${state.model} (${note})`, enabled: false, checked: true })
  }
  for (const model of state.models) {
    entries.push({
      label: model,
      enabled: true,
      checked: model === state.model,
      action: { type: 'select-model', model }
    })
  }
  if (state.models.length === 0) {
    const why =
      state.ollama === 'unreachable'
        ? 'Ollama is not running'
        : state.ollama === 'ok'
          ? 'No models installed: run `ollama pull llama3.2`'
          : 'Checking Ollama…'
    entries.push({ label: why, enabled: false })
  }
  return entries
}
