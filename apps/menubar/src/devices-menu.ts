// The Devices submenu: every paired device, connected ones first, each with its state in
// its label ("Ana’s iPhone — connected", "Dan’s iPad — last seen 3 h ago") and a submenu
// with its id and Remove…. Pure, like buildMenu: the time comes in as `now`.
//
//   devicesSubmenu(host.state, Date.now())   // [{ label: 'Ana’s iPhone — connected', submenu }]
//
// Names come from the devices themselves (`hello.client.name`), so a label is cleaned up
// (no control characters, at most 40 characters) before a menu shows it.

import type { HostState } from '@localllm/host'
import type { MenuEntry, MenuItem } from './menu.js'

type Device = HostState['devices'][number]
type Connection = HostState['connected'][number]

const MAX_LABEL = 40

export function devicesSubmenu(state: HostState, now: number): MenuEntry[] {
  if (state.devices.length === 0) {
    return [
      { label: 'No devices yet', enabled: false },
      { label: 'A phone that scans the QR code shows up here', enabled: false }
    ]
  }
  const names = state.devices.map(displayName)
  const shared = new Set(names.filter((name, i) => names.indexOf(name) !== i))
  const connections = new Map(state.connected.map((c) => [c.key, c]))
  const rows = state.devices.map((device, i) => ({ device, name: names[i] as string }))
  // Connected ones first; each group keeps the engine's order (most recently seen first).
  rows.sort((a, b) => Number(connections.has(b.device.key)) - Number(connections.has(a.device.key)))
  return rows.map(({ device, name }) => {
    const shown = shared.has(name) ? `${name} (${device.id})` : name
    const connection = connections.get(device.key)
    const note = connection ? connectedNote(connection) : lastSeenText(device.lastSeen, now)
    return deviceItem(device, shown, note)
  })
}

function deviceItem(device: Device, name: string, note: string): MenuItem {
  return {
    label: `${name} — ${note}`,
    enabled: true,
    submenu: [
      { label: `ID ${device.id}`, enabled: false },
      'separator',
      { label: 'Remove…', enabled: true, action: { type: 'remove-device', key: device.key, name } }
    ]
  }
}

/** How a connected device is shown; its path (direct or relayed) will join it here. */
function connectedNote(connection: Connection): string {
  return connection.path === 'relayed' ? 'connected · relayed' : 'connected'
}

/** The device's name as a menu can show it, or its id when it gave none. */
export function displayName(device: Pick<Device, 'id' | 'name'>): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = device.name.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim()
  if (clean.length === 0) return device.id
  const chars = [...clean]
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : clean
}

/** "last seen just now", "… 5 min ago", "… 3 h ago", "… yesterday", "… 4 days ago", "… on 3 Dec 2026". */
export function lastSeenText(lastSeen: number, now: number): string {
  if (lastSeen <= 0) return 'not seen yet'
  const minutes = Math.floor((now - lastSeen) / 60_000)
  if (minutes < 1) return 'last seen just now'
  if (minutes < 60) return `last seen ${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `last seen ${hours} h ago`
  const days = Math.floor(hours / 24)
  if (days < 2) return 'last seen yesterday'
  if (days < 7) return `last seen ${days} days ago`
  const date = new Date(lastSeen).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric'
  })
  return `last seen on ${date}`
}
