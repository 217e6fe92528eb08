// The menu as a pure function of host state: every state the host moves through, Ollama
// missing, the model list changing, and the client count.
import test from 'brittle'
import type { HostState } from '@localllm/host'
import {
  buildMenu,
  statusLine,
  trayTooltip,
  type MenuContext,
  type MenuEntry,
  type MenuItem
} from '../src/menu.js'
import { trayIconFor } from '../src/tray-icons.js'
import { hostState, newIdentity } from './helpers/host-state.js'

const CLOSED: MenuContext = { openAtLogin: false, debugLogsVisible: false }
const id = newIdentity()
const READY = hostState({
  ...id,
  status: 'ready',
  displayName: 'Studio',
  model: 'llama3.2',
  models: ['llama3.2', 'qwen3:8b'],
  ollama: 'ok',
  clients: 1
})

function items(entries: MenuEntry[]): MenuItem[] {
  return entries.flatMap((e) => (e === 'separator' ? [] : [e, ...items(e.submenu ?? [])]))
}

function item(state: HostState, label: string | RegExp, context = CLOSED): MenuItem | undefined {
  return items(buildMenu(state, context)).find((i) =>
    typeof label === 'string' ? i.label === label : label.test(i.label)
  )
}

function labels(state: HostState, context = CLOSED): string[] {
  return buildMenu(state, context).map((e) => (e === 'separator' ? '---' : e.label))
}

function models(state: HostState): MenuItem[] {
  const submenu = item(state, 'Model')?.submenu ?? []
  return submenu.filter((e): e is MenuItem => e !== 'separator')
}

test('a stopped host offers Start Server, and no Server ID to copy before the first start', (t) => {
  const state = hostState()
  t.alike(labels(state), [
    'Stopped',
    '---',
    'Start Server',
    'Model',
    'Copy Server ID',
    'Show QR Code…',
    'Clients Connected: 0',
    '---',
    'Display Name…',
    'Regenerate Server ID…',
    'Open at Login',
    'Toggle Debug Logs',
    '---',
    'Quit LocalLLM'
  ])
  t.alike(item(state, 'Start Server')?.action, { type: 'start' })
  t.is(item(state, 'Stop Server'), undefined)
  t.is(item(state, 'Copy Server ID')?.enabled, false)
  t.is(item(state, 'Show QR Code…')?.enabled, false)
  t.is(item(state, 'Clients Connected: 0')?.enabled, false, 'the client count is a label')
  t.is(trayIconFor(state), 'stopped')
})

test('stopped → starting → ready → busy → ready → stopped: the server item and icon follow', (t) => {
  const steps: Array<[HostState['status'], string, boolean, string]> = [
    ['stopped', 'Start Server', true, 'stopped'],
    ['starting', 'Starting Server…', false, 'stopped'],
    ['ready', 'Stop Server', true, 'ready'],
    ['busy', 'Stop Server', true, 'busy'],
    ['ready', 'Stop Server', true, 'ready'],
    ['stopped', 'Start Server', true, 'stopped']
  ]
  for (const [status, label, enabled, icon] of steps) {
    const state = { ...READY, status }
    const server = item(state, label)
    t.ok(server, `${status}: ${label}`)
    t.is(server?.enabled, enabled, `${status}: ${label} ${enabled ? 'enabled' : 'disabled'}`)
    t.is(trayIconFor(state), icon, `${status}: ${icon} icon`)
    t.is(labels(state)[0], statusLine(state))
  }
  t.is(statusLine({ ...READY, status: 'busy' }), 'Busy · llama3.2')
  t.alike(item({ ...READY, status: 'busy' }, 'Stop Server')?.action, { type: 'stop' })
})

test('a known Server ID can be copied and shown as a QR code, stopped or running', (t) => {
  for (const status of ['stopped', 'ready', 'busy'] as const) {
    const state = { ...READY, status }
    t.is(item(state, 'Copy Server ID')?.enabled, true, `${status}: Copy Server ID`)
    t.alike(item(state, 'Copy Server ID')?.action, { type: 'copy-server-id' })
    t.alike(item(state, 'Show QR Code…')?.action, { type: 'show-qr' })
  }
})

test('the Model submenu lists the installed models with the selected one checked', (t) => {
  const entries = models(READY)
  t.alike(
    entries.map((e) => [e.label, e.checked, e.enabled]),
    [
      ['llama3.2', true, true],
      ['qwen3:8b', false, true]
    ]
  )
  t.alike(entries[1]?.action, { type: 'select-model', model: 'qwen3:8b' })
})

test('the Model submenu follows the list: a pulled model appears, a selection moves', (t) => {
  const pulled = { ...READY, models: [...READY.models, 'mistral'] }
  t.alike(
    models(pulled).map((e) => e.label),
    ['llama3.2', 'qwen3:8b', 'mistral']
  )
  const switched = { ...pulled, model: 'mistral' }
  t.alike(
    models(switched).map((e) => e.checked),
    [false, false, true]
  )
})

test('a selected model that Ollama no longer lists stays visible and checked', (t) => {
  const removed = { ...READY, models: ['qwen3:8b'] }
  const [first, second] = models(removed)
  t.is(first?.label, 'llama3.2 (not installed)')
  t.is(first?.checked, true)
  t.is(first?.enabled, false)
  t.is(second?.checked, false)
})

test('no models installed: the submenu says how to get one', (t) => {
  const empty = { ...READY, model: undefined, models: [] }
  const [only] = models(empty)
  t.is(only?.label, 'No models installed: run `ollama pull llama3.2`')
  t.is(only?.enabled, false)
  t.is(models({ ...empty, ollama: 'unknown' })[0]?.label, 'Checking Ollama…')
})

test('Ollama not running: a line says so with Retry, the icon changes, the tooltip says so', (t) => {
  const down = { ...READY, ollama: 'unreachable' as const, models: [], model: undefined }
  const all = labels(down)
  t.is(all[1], 'Ollama is not running at http://127.0.0.1:11434')
  t.is(all[2], 'Retry')
  t.alike(item(down, 'Retry')?.action, { type: 'retry-ollama' })
  t.is(item(down, /^Ollama is not running at/)?.enabled, false)
  t.is(models(down)[0]?.label, 'Ollama is not running')
  t.is(trayIconFor(down), 'no-ollama')
  t.is(trayIconFor({ ...down, status: 'stopped' }), 'no-ollama')
  t.ok(trayTooltip(down).endsWith('Ollama not running'))
  t.absent(labels(READY).includes('Retry'), 'no Retry while Ollama answers')
})

test('Ollama coming back removes the warning and restores the models', (t) => {
  const down = { ...READY, ollama: 'unreachable' as const }
  t.ok(labels(down).includes('Retry'))
  const back = { ...down, ollama: 'ok' as const }
  t.absent(labels(back).includes('Retry'))
  t.is(trayIconFor(back), 'ready')
})

test('the client count follows the host: label and tooltip', (t) => {
  for (const clients of [0, 1, 3]) {
    const state = { ...READY, clients }
    t.ok(item(state, `Clients Connected: ${clients}`), `label for ${clients}`)
  }
  t.is(trayTooltip({ ...READY, clients: 1 }), 'LocalLLM: Ready · llama3.2 · 1 client')
  t.is(trayTooltip({ ...READY, clients: 3 }), 'LocalLLM: Ready · llama3.2 · 3 clients')
  t.is(trayTooltip(hostState()), 'LocalLLM: Stopped · no model · 0 clients')
})

test('Open at Login and Toggle Debug Logs show their state as a check mark', (t) => {
  t.is(item(READY, 'Open at Login')?.checked, false)
  t.alike(item(READY, 'Open at Login')?.action, { type: 'set-open-at-login', enabled: true })
  const on = { openAtLogin: true, debugLogsVisible: true }
  t.is(item(READY, 'Open at Login', on)?.checked, true)
  t.alike(item(READY, 'Open at Login', on)?.action, { type: 'set-open-at-login', enabled: false })
  t.is(item(READY, 'Toggle Debug Logs')?.checked, false)
  t.is(item(READY, 'Toggle Debug Logs', on)?.checked, true)
})

test('Display Name…, Regenerate Server ID… and Quit are always there', (t) => {
  for (const state of [hostState(), READY, { ...READY, status: 'busy' as const }]) {
    t.alike(item(state, 'Display Name…')?.action, { type: 'edit-display-name' })
    t.alike(item(state, 'Regenerate Server ID…')?.action, { type: 'regenerate' })
    t.alike(item(state, 'Quit LocalLLM')?.action, { type: 'quit' })
  }
})

test('the menu is a pure function: same state, same menu; the state is not touched', (t) => {
  const state = structuredClone(READY)
  t.alike(buildMenu(state, CLOSED), buildMenu(state, CLOSED))
  t.alike(state, READY)
})
