// What the menu bar's menu shows, as a pure function of the host's state and the app's
// settings: a plain description, no Electron. main.ts turns it into an Electron menu each
// time the menu opens and runs the actions.
//
//   const entries = buildMenu(host.state, { openAtLogin: false, debugLogsVisible: false, now })
//   // [{ label: 'Ready · llama3.2', enabled: false }, 'separator', { label: 'Stop Server', … }, …]
//
// An item carries the action its click asks for, never a callback, so tests compare values.

import type { HostState } from '@localllm/host'
import { devicesSubmenu } from './devices-menu.js'
import { statusDetails, statusLine } from './status-text.js'

export type MenuAction =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'select-model'; model: string }
  | { type: 'copy-server-id' }
  | { type: 'show-qr' }
  | { type: 'edit-display-name' }
  | { type: 'remove-device'; key: string; name: string }
  | { type: 'edit-relay' }
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
  /** The time now (ms), for "last seen 5 min ago". */
  now: number
}

export function buildMenu(state: HostState, context: MenuContext): MenuEntry[] {
  const hasId = state.serverId !== undefined
  const entries: MenuEntry[] = [{ label: statusLine(state), enabled: false }]
  for (const line of statusDetails(state)) entries.push({ label: line, enabled: false })
  if (state.ollama === 'unreachable') {
    entries.push({ label: 'Retry', enabled: true, action: { type: 'retry-ollama' } })
  }
  entries.push(
    'separator',
    serverItem(state),
    { label: 'Model', enabled: true, submenu: modelEntries(state) },
    { label: 'Copy Server ID', enabled: hasId, action: { type: 'copy-server-id' } },
    { label: 'Show QR Code…', enabled: hasId, action: { type: 'show-qr' } },
    { label: 'Devices', enabled: true, submenu: devicesSubmenu(state, context.now) },
    { label: `Clients Connected: ${state.clients}`, enabled: false },
    'separator',
    { label: 'Display Name…', enabled: true, action: { type: 'edit-display-name' } },
    // The saved relay is known once the host's config is (like the Server ID).
    {
      label: 'Relay…',
      enabled: hasId,
      checked: state.relay !== undefined,
      action: { type: 'edit-relay' }
    },
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
