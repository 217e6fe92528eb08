// Electron's stand-in for the packaged app run by packaging.test.ts: the `electron` package
// written into the extracted app re-exports this module, so the app's own entry
// (dist/src/electron-entry.js, from app.asar) runs on a FakeElectron. This module then uses
// the app as a person would and prints what happened as one `PACKAGED-APP {json}` line.
//
//   LOCALLLM_FAKE_USER_DATA=… LOCALLLM_FAKE_LOGS=… node <extracted>/dist/src/electron-entry.js
//
// It never starts the server: the entry's engine is on the public DHT. Removing the paired
// device the test wrote gives a stopped host its Server ID, so the QR window has a code.

import type { MenuTemplateItem } from '../../src/electron-api.js'
import { FakeElectron, type FakeMenu } from './fake-electron.js'
import { eventually } from './temp-dir.js'

export interface PackagedRun {
  /** The menu as it first opened: labels, '---' for separators, submenus nested. */
  menu: unknown[]
  /** The pages the windows loaded, as absolute paths. */
  pages: string[]
  dialogs: string[]
  qr: { serverId: string; svg: string } | undefined
  relayChecked: boolean | undefined
}

const electron = new FakeElectron([], {
  userData: process.env.LOCALLLM_FAKE_USER_DATA ?? '',
  logs: process.env.LOCALLLM_FAKE_LOGS ?? ''
})
export default electron.api

void drive().then(
  (run) => {
    console.log(`PACKAGED-APP ${JSON.stringify(run)}`)
    electron.quit()
    return eventually(() => electron.ended, 10_000).then(() => process.exit(0))
  },
  (err: unknown) => {
    console.log(`PACKAGED-APP-ERROR ${err instanceof Error ? (err.stack ?? '') : String(err)}`)
    process.exit(1)
  }
)

async function drive(): Promise<PackagedRun> {
  await eventually(() => electron.trays.length > 0, 30_000)
  const first = await electron.tray.click()
  electron.dialogResponse = 0 // Remove
  first.item('Remove…').click()
  await eventually(async () => (await electron.tray.click()).item('Show QR Code…').enabled === true)

  ;(await electron.tray.click()).item('Show QR Code…').click()
  await eventually(() => (electron.window('qr.html')?.webContents.views.length ?? 0) > 0)
  const qr = electron.window('qr.html')?.webContents.views.at(-1) as PackagedRun['qr']

  ;(await electron.tray.click()).item('Relay…').click()
  await eventually(() => (electron.window('relay.html')?.webContents.views.length ?? 0) > 0)
  const relay = electron.window('relay.html')
  if (relay) electron.pageAction(relay, 'save', 'aa'.repeat(32))
  await eventually(async () => (await electron.tray.click()).item('Relay…').checked === true)

  ;(await electron.tray.click()).item('Display Name…').click()
  ;(await electron.tray.click()).item('Toggle Debug Logs').click()
  await eventually(() => electron.windows.every((w) => w.webContents.views.length > 0))
  return {
    menu: labels(first),
    pages: electron.windows.map((w) => w.file ?? ''),
    dialogs: electron.dialogs.map((d) => d.message),
    qr,
    relayChecked: (await electron.tray.click()).item('Relay…').checked
  }
}

function labels(menu: FakeMenu, items: MenuTemplateItem[] = menu.template): unknown[] {
  return items.map((i) =>
    i.type === 'separator'
      ? '---'
      : i.submenu
        ? { [i.label ?? '']: labels(menu, i.submenu) }
        : (i.label ?? '')
  )
}
