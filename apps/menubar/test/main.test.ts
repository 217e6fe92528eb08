// The main process wired to a fake Electron and a fake engine: what a click does, what the
// tray shows, what is saved, and the order of things when quitting. A test waits for the
// app's actions to finish (`menubar.idle()`) or for what it does to Electron
// (`electron.until()`), never for a clock.
import test from 'brittle'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '@localllm/testing'
import { runMenubar } from '../src/main.js'
import { trayIconPng, type TrayIconName } from '../src/tray-icons.js'
import { startApp } from './helpers/app.js'
import { FakeElectron, type FakeImage } from './helpers/fake-electron.js'
import { FakeHost } from './helpers/fake-host.js'

function shows(image: FakeImage, name: TrayIconName): boolean {
  const [one, two] = image.representations
  return (
    image.template &&
    one?.scaleFactor === 1 &&
    one.buffer.equals(trayIconPng(name, 1)) &&
    two?.scaleFactor === 2 &&
    two.buffer.equals(trayIconPng(name, 2))
  )
}

/** What settings.json holds for `key` now. */
async function saved(userData: string, key: string): Promise<unknown> {
  const text = await readFile(join(userData, 'settings.json'), 'utf8').catch(() => '{}')
  return (JSON.parse(text) as Record<string, unknown>)[key]
}

test('launch: no Dock icon, a stopped template icon with a tooltip, Ollama checked', async (t) => {
  const { electron, journal, menubar } = await startApp(t, { host: { model: 'llama3.2' } })
  t.ok(electron.dockHidden, 'the Dock icon is hidden')
  t.ok(shows(electron.tray.image, 'stopped'), 'the stopped icon, as a template image')
  t.is(electron.tray.tooltip, 'LocalLLM: Stopped · llama3.2 · 0 clients')
  await menubar.idle()
  t.ok(journal.includes('refreshOllama'), 'Ollama checked')
  t.absent(journal.includes('start'), 'not started: it was not running at the last quit')
})

test('a second instance quits at once and leaves the first alone', async (t) => {
  const dir = await tempDir(t)
  const electron = new FakeElectron([], { userData: dir, logs: dir })
  electron.singleInstance = false
  const menubar = await runMenubar({ electron: electron.api, createHost: () => new FakeHost() })
  t.is(menubar, undefined)
  t.ok(electron.ended, 'it quit')
  t.is(electron.trays.length, 0, 'no second tray icon')
})

test('opening the menu asks Ollama for the models first, then shows them', async (t) => {
  const { electron, host, journal } = await startApp(t, { host: { models: ['llama3.2'] } })
  journal.length = 0
  host.refreshOllama = () => {
    journal.push('refreshOllama')
    host.set({ models: ['llama3.2', 'mistral'] }) // pulled while the menu was closed
    return Promise.resolve()
  }
  const menu = await electron.tray.click()
  t.is(journal[0], 'refreshOllama')
  t.ok(menu.has('mistral'), 'the new model is in the menu that opened')
})

test('Start Server starts the engine; icon and tooltip follow ready → busy → ready', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t, {
    host: { model: 'llama3.2', models: ['llama3.2'] }
  })
  const menu = await electron.tray.click()
  menu.item('Start Server').click()
  await menubar.idle()
  t.is(host.state.status, 'ready')
  t.ok(journal.includes('start'))
  t.ok(shows(electron.tray.image, 'ready'), 'ready icon')
  t.is(electron.tray.tooltip, 'LocalLLM: Ready · llama3.2 · 0 clients')

  host.set({ status: 'busy', clients: 2 })
  t.ok(shows(electron.tray.image, 'busy'), 'busy icon')
  t.is(electron.tray.tooltip, 'LocalLLM: Busy · llama3.2 · 2 clients')
  host.set({ status: 'ready', clients: 1 })
  t.ok(shows(electron.tray.image, 'ready'), 'ready again')
  t.is(electron.tray.tooltip, 'LocalLLM: Ready · llama3.2 · 1 client')

  const running = await electron.tray.click()
  t.ok(running.has('Clients Connected: 1'))
  running.item('Stop Server').click()
  await menubar.idle()
  t.is(host.state.status, 'stopped')
  t.ok(shows(electron.tray.image, 'stopped'), 'stopped icon')
})

test("Ollama not running: the can't-answer icon, and Retry asks the engine again", async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  host.set({ ollama: 'unreachable' })
  t.ok(shows(electron.tray.image, 'unavailable'), 'the ⊘ icon')
  t.ok(electron.tray.tooltip.endsWith('· Ollama not running'))
  const menu = await electron.tray.click()
  journal.length = 0
  menu.item('Retry').click()
  await menubar.idle()
  t.ok(journal.includes('refreshOllama'), 'the engine was asked')
  host.set({ ollama: 'ok' })
  t.ok(shows(electron.tray.image, 'stopped'), 'back to the state icon once Ollama answers')
})

test("a running host that can't answer: ⊘, the reason in the tooltip and the first line", async (t) => {
  const { electron, host } = await startApp(t, { host: { model: 'qwen3:32b', models: [] } })
  await host.start()
  t.ok(shows(electron.tray.image, 'ready'))
  host.set({ status: 'unavailable', reason: 'model_missing' })
  t.ok(shows(electron.tray.image, 'unavailable'), 'the ⊘ icon')
  t.is(
    electron.tray.tooltip,
    "LocalLLM: Can't answer · qwen3:32b · 0 clients · model not installed"
  )
  const menu = await electron.tray.click()
  t.is(menu.labels()[0], "Can't answer: qwen3:32b is not installed")
  host.set({ status: 'ready', reason: undefined, models: ['qwen3:32b'] })
  t.ok(shows(electron.tray.image, 'ready'), 'ready again once the model is there')
})

test('choosing a model tells the engine and saves it in the app-data folder', async (t) => {
  const { electron, host, journal, menubar, userData } = await startApp(t, {
    host: { model: 'llama3.2', models: ['llama3.2', 'qwen3:8b'] }
  })
  const menu = await electron.tray.click()
  t.is(menu.item('llama3.2').checked, true)
  menu.item('qwen3:8b').click()
  await menubar.idle()
  t.is(host.state.model, 'qwen3:8b')
  t.ok(journal.includes('setModel qwen3:8b'))
  t.is(await saved(userData, 'model'), 'qwen3:8b', 'saved')
  t.is((await electron.tray.click()).item('qwen3:8b').checked, true, 'checked when reopened')
})

test('Copy Server ID puts the ID on the clipboard', async (t) => {
  const { electron, host } = await startApp(t)
  await host.start()
  const menu = await electron.tray.click()
  menu.item('Copy Server ID').click()
  t.is(electron.clipboardText, host.state.serverId)
  t.ok(electron.clipboardText.length > 40)
})

test('Regenerate Server ID asks first, saying everyone will be disconnected; Cancel keeps it', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  await host.start()
  const before = host.state.serverId
  electron.dialogResponse = 1 // Cancel
  ;(await electron.tray.click()).item('Regenerate Server ID…').click()
  await menubar.idle() // the answer is in and acted on
  t.is(electron.dialogs.length, 1)
  const [dialog] = electron.dialogs
  t.is(dialog?.message, 'Regenerate the Server ID?')
  t.ok(dialog?.detail?.includes('Everyone connected will be disconnected'))
  t.alike(dialog?.buttons, ['Regenerate', 'Cancel'])
  t.is(dialog?.cancelId, 1)
  t.absent(journal.includes('regenerate'), 'cancelled: the engine was not asked')
  t.is(host.state.serverId, before)
})

test('Regenerate Server ID after confirming gives a new ID', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  await host.start()
  const before = host.state.serverId
  electron.dialogResponse = 0 // Regenerate
  ;(await electron.tray.click()).item('Regenerate Server ID…').click()
  await menubar.idle()
  t.ok(journal.includes('regenerate'))
  t.is(electron.dialogs.length, 1, 'confirmed once')
  t.not(host.state.serverId, before)
})

test('Quit stops the server before the app ends, and remembers it was running', async (t) => {
  const { electron, host, journal, userData } = await startApp(t)
  await host.start()
  journal.length = 0
  ;(await electron.tray.click()).item('Quit LocalLLM').click()
  await electron.until(() => electron.ended, 'the app ended')
  t.alike(
    journal.filter((e) => e !== 'refreshOllama'), // opening the menu checks Ollama
    ['stop', 'stopped', 'app ended'],
    'the server stopped, then the app ended'
  )
  t.ok(electron.tray.destroyed, 'the tray icon is gone')
  t.is(await saved(userData, 'running_at_last_quit'), true, 'saved: it was running')
})

test('⌘Q while a stop is under way does not quit twice', async (t) => {
  const { electron, journal } = await startApp(t)
  electron.quit()
  electron.quit()
  await electron.until(() => electron.ended, 'the app ended')
  t.is(journal.filter((e) => e === 'app ended').length, 1)
  t.is(journal.filter((e) => e === 'stop').length, 1)
})

test('launching again after quitting while running starts the server with the same ID', async (t) => {
  const first = await startApp(t)
  await first.host.start()
  first.electron.quit()
  await first.electron.until(() => first.electron.ended, 'the first launch ended')

  const second = await startApp(t, {
    folders: { userData: first.userData, logs: first.logs },
    host: { serverId: first.host.state.serverId }
  })
  await second.menubar.idle()
  t.is(second.host.state.status, 'ready')
  t.ok(second.journal.includes('start'), 'started at launch')
  t.is(second.host.state.serverId, first.host.state.serverId)
})

test('saved display name and model are handed to the engine at launch', async (t) => {
  const { host, journal } = await startApp(t, {
    settings: { version: 1, display_name: 'Studio Mac', model: 'qwen3:8b' }
  })
  t.ok(journal.includes('setDisplayName Studio Mac'))
  t.ok(journal.includes('setModel qwen3:8b'))
  t.is(host.state.displayName, 'Studio Mac')
})

test('Open at Login sets the login item and is saved', async (t) => {
  const { electron, menubar, userData } = await startApp(t)
  ;(await electron.tray.click()).item('Open at Login').click()
  await menubar.idle()
  t.alike(electron.loginItems, [{ openAtLogin: true }])
  const menu = await electron.tray.click()
  t.is(menu.item('Open at Login').checked, true)
  t.is(await saved(userData, 'open_at_login'), true, 'saved')
  menu.item('Open at Login').click()
  await menubar.idle()
  t.is(electron.loginItems.length, 2)
  t.alike(electron.loginItems[1], { openAtLogin: false })
})

test('Show QR Code opens an always-on-top window that follows a regenerated ID', async (t) => {
  const { electron, host } = await startApp(t, { host: { displayName: 'Studio' } })
  await host.start()
  ;(await electron.tray.click()).item('Show QR Code…').click()
  await electron.until(
    () => (electron.window('qr.html')?.webContents.views.length ?? 0) > 0,
    'the QR page got its view'
  )
  const win = electron.window('qr.html')
  if (!win) return t.fail('no QR window')
  t.is(win.options.alwaysOnTop, true)
  t.ok(win.shown)
  const first = win.webContents.views.at(-1) as { serverId: string; svg: string; link: string }
  t.is(first.serverId, host.state.serverId)
  t.is(first.link, host.state.connectLink)
  t.ok(first.svg.startsWith('<svg'))

  await host.regenerate()
  await electron.until(
    () => (win.webContents.views.at(-1) as { serverId: string }).serverId === host.state.serverId,
    'the new ID in the open window'
  )
  t.pass('the open window got the new ID')

  electron.pageAction(win, 'copy')
  t.is(electron.clipboardText, host.state.serverId, "the window's Copy button copies the ID")
})

test('Toggle Debug Logs shows the log lines; the window’s checkbox switches debug detail', async (t) => {
  const { electron, menubar, logs } = await startApp(t)
  const menu = await electron.tray.click()
  t.is(menu.item('Toggle Debug Logs').checked, false)
  menu.item('Toggle Debug Logs').click()
  await electron.until(
    () => (electron.window('logs.html')?.webContents.views.length ?? 0) > 0,
    'the log page got its view'
  )
  const win = electron.window('logs.html')
  if (!win) return t.fail('no log window')
  const view = win.webContents.views[0] as { lines: string[]; debug: boolean; file: string }
  t.ok(
    view.lines.some((l) => l.includes('menu bar app ready')),
    'lines so far'
  )
  t.is(view.debug, false)
  t.ok(view.file.startsWith(logs), 'the rotating file is in the log folder')
  t.is((await electron.tray.click()).item('Toggle Debug Logs').checked, true)

  electron.pageAction(win, 'set-debug', true)
  t.ok(
    win.webContents.views.some((v) => (v as { debug?: boolean }).debug === true),
    'the checkbox state comes back to the page'
  )
  await menubar.dispatch({ type: 'retry-ollama' })
  t.ok(
    win.webContents.views.some((v) =>
      ((v as { append?: string[] }).append ?? []).some((l) => l.includes('log level changed'))
    ),
    'new lines follow live'
  )

  electron.pageAction(win, 'reveal')
  t.is(electron.revealed[0], view.file)
  ;(await electron.tray.click()).item('Toggle Debug Logs').click()
  t.ok(win.destroyed, 'toggled off: the window closes')
})

test('Display Name… saves a good name and keeps the window open on an empty one', async (t) => {
  const { electron, host, journal, menubar, userData } = await startApp(t)
  await host.setDisplayName('Old Name')
  ;(await electron.tray.click()).item('Display Name…').click()
  await electron.until(
    () => (electron.window('name.html')?.webContents.views.length ?? 0) > 0,
    'the name page got its view'
  )
  const win = electron.window('name.html')
  if (!win) return t.fail('no name window')
  t.is((win.webContents.views[0] as { displayName: string }).displayName, 'Old Name')

  electron.pageAction(win, 'save', '   ')
  t.alike(win.webContents.views.at(-1), { error: 'Enter a name.' })
  t.absent(win.destroyed)

  electron.pageAction(win, 'save', '  Studio Mac ')
  await menubar.idle()
  t.ok(journal.includes('setDisplayName Studio Mac'))
  t.ok(win.destroyed, 'saved: the window closes')
  t.is(host.state.displayName, 'Studio Mac')
  t.is(await saved(userData, 'display_name'), 'Studio Mac', 'saved')
})

test('a Start that fails shows what went wrong', async (t) => {
  const { electron, host, menubar } = await startApp(t)
  host.failStart = new Error('/x/host.json is not a LocalLLM host config')
  ;(await electron.tray.click()).item('Start Server').click()
  await menubar.idle()
  t.is(electron.dialogs.length, 1)
  t.is(electron.dialogs[0]?.type, 'error')
  t.is(electron.dialogs[0]?.message, 'The server could not start')
  t.is(electron.dialogs[0]?.detail, '/x/host.json is not a LocalLLM host config')
})

test('the Devices menu lists paired devices at launch, while the server is stopped', async (t) => {
  const { electron, host, journal } = await startApp(t)
  t.ok(journal.includes('listDevices'), 'the engine was asked for its devices at launch')
  host.pair('Ana’s iPhone', { lastSeen: Date.now() - 5 * 60_000 })
  const menu = await electron.tray.click()
  t.ok(menu.has('Ana’s iPhone — last seen 5 min ago'))
  host.pair('Ben’s iPad', { connected: true })
  t.ok((await electron.tray.click()).has('Ben’s iPad — connected'), 'follows a connection')
})

test('Remove… asks first, saying what happens; Cancel keeps the device', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  await host.start()
  host.pair('Ana’s iPhone', { connected: true })
  const before = host.state.serverId
  electron.dialogResponse = 1 // Cancel
  ;(await electron.tray.click()).item('Remove…').click()
  await menubar.idle() // the answer is in and acted on
  t.is(electron.dialogs.length, 1)
  const [dialog] = electron.dialogs
  t.is(dialog?.message, 'Remove “Ana’s iPhone”?')
  t.ok(dialog?.detail?.includes('is disconnected now and cannot connect again'), 'dropped now')
  t.ok(dialog?.detail?.includes('The Server ID and QR code change'), 'the ID changes')
  t.ok(dialog?.detail?.includes('Your other devices keep working'), 'the others keep working')
  t.alike(dialog?.buttons, ['Remove', 'Cancel'])
  t.is(dialog?.cancelId, 1)
  t.is(dialog?.defaultId, 1, 'Return cancels')
  t.absent(
    journal.some((e) => e.startsWith('removeDevice')),
    'cancelled: the engine was not asked'
  )
  t.is(host.state.serverId, before)
})

test('Remove… after confirming removes that device, and the open QR window shows the new code', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  await host.start()
  const ana = host.pair('Ana’s iPhone', { connected: true })
  host.pair('Ben’s iPad', { connected: true })
  ;(await electron.tray.click()).item('Show QR Code…').click()
  await electron.until(
    () => (electron.window('qr.html')?.webContents.views.length ?? 0) > 0,
    'the QR page got its view'
  )
  const win = electron.window('qr.html')
  if (!win) return t.fail('no QR window')
  const oldCode = host.state.serverId

  electron.dialogResponse = 0 // Remove
  const menu = await electron.tray.click()
  const row = menu.item('Ana’s iPhone — connected')
  row.submenu?.find((i) => i.label === 'Remove…')?.click?.()
  await menubar.idle()
  t.ok(journal.includes(`removeDevice ${ana}`), 'the engine removed the device by its key')
  t.not(host.state.serverId, oldCode, 'a new code')
  await electron.until(
    () => (win.webContents.views.at(-1) as { serverId: string }).serverId === host.state.serverId,
    'the new code in the open QR window'
  )
  t.pass('the open QR window shows the new code')
  const after = await electron.tray.click()
  t.absent(after.has(/^Ana’s iPhone/), 'gone from the Devices menu')
  t.ok(after.has('Ben’s iPad — connected'), 'the other device is still there')
  t.ok(after.has('Clients Connected: 1'))
})

test('a removal that fails says so', async (t) => {
  const { electron, host, menubar } = await startApp(t)
  host.pair('Ana’s iPhone')
  host.removeDevice = () => Promise.reject(new Error('devices.json: permission denied'))
  ;(await electron.tray.click()).item('Remove…').click()
  await menubar.idle()
  t.is(electron.dialogs.length, 2)
  t.is(electron.dialogs[1]?.type, 'error')
  t.is(electron.dialogs[1]?.message, 'The device could not be removed')
  t.is(electron.dialogs[1]?.detail, 'devices.json: permission denied')
})

test('Relay… sets a relay from the key `localllm relay` prints; a bad key stays with the reason', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t)
  await host.start()
  const menu = await electron.tray.click()
  t.is(menu.item('Relay…').checked, false)
  menu.item('Relay…').click()
  await electron.until(
    () => (electron.window('relay.html')?.webContents.views.length ?? 0) > 0,
    'the relay page got its view'
  )
  const win = electron.window('relay.html')
  if (!win) return t.fail('no relay window')
  t.alike(win.webContents.views[0], { relay: '', running: true }, 'none yet; saving restarts')

  electron.pageAction(win, 'save', 'not a key')
  t.alike(win.webContents.views.at(-1), {
    error: 'Not a relay key: it is 52 letters and digits (or 64 hex characters).'
  })
  electron.pageAction(win, 'save', host.state.serverId)
  t.alike(win.webContents.views.at(-1), {
    error: 'That is a Server ID. Paste the key of the relay instead.'
  })
  t.absent(win.destroyed)

  const z32 = 'ikikikikikikikikikikikikikikikikikikikikikikikikikiy' // 32 bytes of 0xaa
  electron.pageAction(win, 'save', `  ${z32}\n`)
  await menubar.idle()
  t.ok(journal.includes(`setRelay ${'aa'.repeat(32)}`), 'the engine got the key, as hex')
  t.ok(win.destroyed, 'saved: the window closes')
  t.is((await electron.tray.click()).item('Relay…').checked, true, 'checked now')
})

test('Relay… shows the relay in use and Turn Off clears it', async (t) => {
  const { electron, host, journal, menubar } = await startApp(t, {
    host: { relay: 'aa'.repeat(32) }
  })
  await host.start()
  ;(await electron.tray.click()).item('Relay…').click()
  await electron.until(
    () => (electron.window('relay.html')?.webContents.views.length ?? 0) > 0,
    'the relay page got its view'
  )
  const win = electron.window('relay.html')
  if (!win) return t.fail('no relay window')
  t.alike(win.webContents.views[0], {
    relay: 'ikikikikikikikikikikikikikikikikikikikikikikikikikiy',
    running: true
  })
  electron.pageAction(win, 'turn-off')
  await menubar.idle()
  t.ok(journal.includes('setRelay null'))
  t.ok(win.destroyed)
  t.is(host.state.relay, undefined)
})

test('a relay that cannot be saved says so', async (t) => {
  const { electron, host, menubar } = await startApp(t)
  await host.start()
  host.setRelay = () => Promise.reject(new Error('host.json: read-only file system'))
  ;(await electron.tray.click()).item('Relay…').click()
  await menubar.idle()
  const win = electron.window('relay.html')
  if (!win) return t.fail('no relay window')
  electron.pageAction(win, 'save', 'aa'.repeat(32))
  await menubar.idle()
  t.is(electron.dialogs.length, 1)
  t.is(electron.dialogs[0]?.message, 'The relay could not be saved')
  t.is(electron.dialogs[0]?.detail, 'host.json: read-only file system')
})
