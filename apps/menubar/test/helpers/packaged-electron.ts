// Electron's stand-in for the packaged app run by packaging.test.ts: the `electron` package
// written into the extracted app re-exports this module, so the app's own entry
// (dist/src/electron-entry.js, from app.asar) runs on a FakeElectron. This module then uses
// the app as a person would and prints what happened as one `PACKAGED-APP {json}` line.
//
//   LOCALLLM_FAKE_USER_DATA=… LOCALLLM_FAKE_LOGS=… node <extracted>/dist/src/electron-entry.js
//
// It never starts the server: the entry's engine is on the public DHT. Removing the paired
// device the test wrote gives a stopped host its Server ID, so the QR window has a code.
// It waits as the other menu bar tests do: for the app's actions to finish (the entry's
// `menubar.idle()`, reached by importing the running entry again) or for what the app does
// to Electron.

import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { MenuTemplateItem } from '../../src/electron-api.js'
import type { MenubarApp } from '../../src/main.js'
import { FakeElectron, type FakeMenu } from './fake-electron.js'

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
    return electron.until(() => electron.ended, 'the app ended', 10_000).then(() => process.exit(0))
  },
  (err: unknown) => {
    console.log(`PACKAGED-APP-ERROR ${err instanceof Error ? (err.stack ?? '') : String(err)}`)
    process.exit(1)
  }
)

async function drive(): Promise<PackagedRun> {
  // The entry imports this module as `electron`; importing the entry here (by its real path,
  // as Node loaded it) resolves once its top-level `await runMenubar(…)` has, with the same
  // module, so the same app.
  const entry = (await import(pathToFileURL(realpathSync(process.argv[1] ?? '')).href)) as {
    menubar: MenubarApp | undefined
  }
  const menubar = entry.menubar
  if (!menubar) throw new Error('the app did not start')
  const first = await electron.tray.click()
  electron.dialogResponse = 0 // Remove
  first.item('Remove…').click()
  await menubar.idle()

  ;(await electron.tray.click()).item('Show QR Code…').click()
  await electron.until(
    () => (electron.window('qr.html')?.webContents.views.length ?? 0) > 0,
    'the QR page got its view'
  )
  const qr = electron.window('qr.html')?.webContents.views.at(-1) as PackagedRun['qr']

  ;(await electron.tray.click()).item('Relay…').click()
  await electron.until(
    () => (electron.window('relay.html')?.webContents.views.length ?? 0) > 0,
    'the relay page got its view'
  )
  const relay = electron.window('relay.html')
  if (relay) electron.pageAction(relay, 'save', 'aa'.repeat(32))
  await menubar.idle()

  ;(await electron.tray.click()).item('Display Name…').click()
  ;(await electron.tray.click()).item('Toggle Debug Logs').click()
  await electron.until(
    () => electron.windows.every((w) => w.webContents.views.length > 0),
    'every window got its view'
  )
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
