// The menu as a pure function of host state: every state the host moves through, why it
// can't answer, the model list changing, the client count, and the relay setting.
import test from 'brittle'
import type { HostState } from '@localllm/host'
import { buildMenu, type MenuContext, type MenuEntry, type MenuItem } from '../src/menu.js'
import { statusLine, trayTooltip } from '../src/status-text.js'
import { trayIconFor } from '../src/tray-icons.js'
import { hostState, newIdentity } from './helpers/host-state.js'

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0)
const CLOSED: MenuContext = { openAtLogin: false, debugLogsVisible: false, now: NOW }
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
    'Devices',
    'Clients Connected: 0',
    '---',
    'Display Name…',
    'Relay…',
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
  t.is(item(state, 'Relay…')?.enabled, false, 'the saved relay is not known yet either')
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

test('Ollama not running while serving: "Can\'t answer" with where it looked, Retry, ⊘', (t) => {
  const down = {
    ...READY,
    status: 'unavailable' as const,
    reason: 'ollama_unreachable' as const,
    ollama: 'unreachable' as const,
    models: []
  }
  const all = labels(down)
  t.is(all[0], "Can't answer: Ollama is not running")
  t.is(all[1], 'Ollama is not answering at http://127.0.0.1:11434')
  t.is(all[2], 'Retry')
  t.alike(item(down, 'Retry')?.action, { type: 'retry-ollama' })
  t.is(item(down, /^Ollama is not answering at/)?.enabled, false)
  t.is(models(down)[1]?.label, 'Ollama is not running')
  t.is(trayIconFor(down), 'unavailable')
  t.is(trayTooltip(down), "LocalLLM: Can't answer · llama3.2 · 1 client · Ollama not running")
  t.absent(labels(READY).includes('Retry'), 'no Retry while Ollama answers')
})

test('Ollama not running while stopped: the same warning and ⊘, with Start Server', (t) => {
  const down = { ...hostState(), ollama: 'unreachable' as const }
  t.alike(labels(down).slice(0, 4), [
    'Stopped',
    'Ollama is not answering at http://127.0.0.1:11434',
    'Retry',
    '---'
  ])
  t.ok(item(down, 'Start Server'))
  t.is(trayIconFor(down), 'unavailable')
  t.is(trayTooltip(down), 'LocalLLM: Stopped · no model · 0 clients · Ollama not running')
})

test('the chosen model not installed: "Can\'t answer", how to get it, ⊘', (t) => {
  const missing = {
    ...READY,
    status: 'unavailable' as const,
    reason: 'model_missing' as const,
    model: 'qwen3:32b'
  }
  t.alike(labels(missing).slice(0, 3), [
    "Can't answer: qwen3:32b is not installed",
    'Run `ollama pull qwen3:32b`, or choose an installed one under Model',
    '---'
  ])
  t.is(trayIconFor(missing), 'unavailable')
  t.is(trayTooltip(missing), "LocalLLM: Can't answer · qwen3:32b · 1 client · model not installed")
  const nothingElse = { ...missing, models: [] }
  t.is(labels(nothingElse)[1], 'Run `ollama pull qwen3:32b`')
})

test('no model installed: "Can\'t answer", how to pull one, ⊘', (t) => {
  const none = {
    ...READY,
    status: 'unavailable' as const,
    reason: 'no_model' as const,
    model: undefined,
    models: []
  }
  t.alike(labels(none).slice(0, 3), [
    "Can't answer: no model installed",
    'Run `ollama pull llama3.2` in Terminal',
    '---'
  ])
  t.is(trayIconFor(none), 'unavailable')
  t.is(trayTooltip(none), "LocalLLM: Can't answer · no model · 1 client · no model")
})

test('busy says someone is being answered and the others are told so', (t) => {
  const busy = { ...READY, status: 'busy' as const }
  t.alike(labels(busy).slice(0, 3), [
    'Busy · llama3.2',
    'Answering someone; other devices are told it’s busy',
    '---'
  ])
  t.absent(labels(READY).includes('Answering someone; other devices are told it’s busy'))
})

test('Ollama coming back removes the warning, and the host is ready again', (t) => {
  const down = {
    ...READY,
    status: 'unavailable' as const,
    reason: 'ollama_unreachable' as const,
    ollama: 'unreachable' as const
  }
  t.ok(labels(down).includes('Retry'))
  const back = { ...down, status: 'ready' as const, reason: undefined, ollama: 'ok' as const }
  t.absent(labels(back).includes('Retry'))
  t.is(labels(back)[0], 'Ready · llama3.2')
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
  const on = { openAtLogin: true, debugLogsVisible: true, now: NOW }
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

type Device = HostState['devices'][number]

/** A paired device with a made-up key (`fill` repeated), seen `minutesAgo` minutes before NOW. */
function device(fill: string, name: string, minutesAgo: number): Device {
  const key = fill.repeat(64)
  const lastSeen = NOW - minutesAgo * 60_000
  return { key, id: key.slice(0, 8), name, firstSeen: lastSeen, lastSeen, connected: false }
}

/** READY with these devices; those named in `connected` are connected now. */
function withDevices(devices: Device[], connected: string[] = []): HostState {
  const now = devices.filter((d) => connected.includes(d.name))
  return {
    ...READY,
    clients: now.length,
    connected: now.map((d) => ({
      key: d.key,
      id: d.id,
      name: d.name,
      connectedAt: NOW,
      path: d.name.includes('relayed') ? ('relayed' as const) : ('direct' as const)
    })),
    devices: devices.map((d) => ({ ...d, connected: connected.includes(d.name) }))
  }
}

function devices(state: HostState): MenuItem[] {
  return (item(state, 'Devices')?.submenu ?? []).filter((e): e is MenuItem => e !== 'separator')
}

test('Devices: every paired device, connected ones first, connected now or when last seen', (t) => {
  const state = withDevices(
    [
      device('b', 'Ben’s iPad', 5),
      device('d', 'Dan’s iPhone', 125),
      device('a', 'Ana’s iPhone', 180),
      device('c', 'Cara', 3 * 24 * 60),
      device('e', 'Eve', 30 * 24 * 60)
    ],
    ['Ana’s iPhone']
  )
  t.alike(
    devices(state).map((d) => d.label),
    [
      'Ana’s iPhone — connected',
      'Ben’s iPad — last seen 5 min ago',
      'Dan’s iPhone — last seen 2 h ago',
      'Cara — last seen 3 days ago',
      'Eve — last seen on 3 Nov 2026'
    ]
  )
  t.ok(
    devices(state).every((d) => d.enabled),
    'each opens its own submenu'
  )
})

test('Devices: a device connected through a relay says so', (t) => {
  const state = withDevices(
    [device('a', 'Ana (relayed)', 0), device('b', 'Ben', 0)],
    ['Ana (relayed)', 'Ben']
  )
  t.alike(
    devices(state).map((d) => d.label),
    ['Ana (relayed) — connected · relayed', 'Ben — connected']
  )
})

test('Devices: each device has its id and Remove…, which names the device by its key', (t) => {
  const ana = device('a', 'Ana’s iPhone', 0)
  const [row] = devices(withDevices([ana], ['Ana’s iPhone']))
  t.alike(
    (row?.submenu ?? []).map((e) => (e === 'separator' ? '---' : [e.label, e.enabled])),
    [['ID aaaaaaaa', false], '---', ['Remove…', true]]
  )
  const remove = (row?.submenu ?? []).find((e) => e !== 'separator' && e.label === 'Remove…')
  t.alike(remove !== 'separator' && remove?.action, {
    type: 'remove-device',
    key: ana.key,
    name: 'Ana’s iPhone'
  })
})

test('Devices: none paired yet says how one shows up', (t) => {
  t.alike(
    devices(READY).map((d) => [d.label, d.enabled]),
    [
      ['No devices yet', false],
      ['A phone that scans the QR code shows up here', false]
    ]
  )
  t.ok(item(hostState(), 'Devices')?.enabled, 'there while stopped too')
})

test('Devices: no name shows the id, a shared name adds the id, odd names are cleaned', (t) => {
  const state = withDevices([
    device('1', '', 1),
    device('2', 'iPhone', 1),
    device('3', 'iPhone', 1),
    device('4', 'Line\nbreak\u0007 and\ttab', 1),
    device('5', 'A'.repeat(100), 1)
  ])
  t.alike(
    devices(state).map((d) => d.label.split(' — ')[0]),
    [
      '11111111',
      'iPhone (22222222)',
      'iPhone (33333333)',
      'Line break and tab',
      `${'A'.repeat(39)}…`
    ]
  )
})

test('last seen: just now, minutes, hours, yesterday, days, then the date', (t) => {
  const at = (minutesAgo: number) =>
    devices(withDevices([device('f', 'F', minutesAgo)]))[0]?.label.slice('F — '.length)
  t.is(at(0), 'last seen just now')
  t.is(at(59), 'last seen 59 min ago')
  t.is(at(60), 'last seen 1 h ago')
  t.is(at(24 * 60), 'last seen yesterday')
  t.is(at(6 * 24 * 60), 'last seen 6 days ago')
  t.is(at(7 * 24 * 60), 'last seen on 26 Nov 2026')
  const never = { ...device('f', 'F', 0), lastSeen: 0 }
  t.is(devices(withDevices([never]))[0]?.label, 'F — not seen yet')
})

test('Relay…: there once the Server ID is known, checked while a relay is set', (t) => {
  t.is(item(READY, 'Relay…')?.enabled, true)
  t.is(item(READY, 'Relay…')?.checked, false)
  t.alike(item(READY, 'Relay…')?.action, { type: 'edit-relay' })
  t.is(item({ ...READY, relay: 'ab'.repeat(32) }, 'Relay…')?.checked, true)
  t.is(item({ ...READY, status: 'stopped' }, 'Relay…')?.enabled, true, 'stopped: still settable')
})

test('the menu is a pure function: same state, same menu; the state is not touched', (t) => {
  const state = structuredClone(READY)
  t.alike(buildMenu(state, CLOSED), buildMenu(state, CLOSED))
  t.alike(state, READY)
})
