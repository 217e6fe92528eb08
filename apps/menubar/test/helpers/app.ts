// The menu bar app started against a fake Electron and a fake engine, in temporary app-data
// and log folders, closed at the end of the test.
//
//   const { electron, host, journal } = await startApp(t, { host: { models: ['llama3.2'] } })
//   const menu = await electron.tray.click()

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { HostState } from '@localllm/host'
import { runMenubar, type MenubarApp, type MenubarOptions } from '../../src/main.js'
import { FakeElectron } from './fake-electron.js'
import { FakeHost } from './fake-host.js'
import { tempDir } from '@localllm/testing'

export interface StartedApp {
  electron: FakeElectron
  host: FakeHost
  menubar: MenubarApp
  journal: string[]
  userData: string
  logs: string
}

export interface StartAppOptions {
  host?: Partial<HostState>
  /** Written to settings.json before the app starts. */
  settings?: Record<string, unknown>
  /** Reuse these folders (a second launch). */
  folders?: { userData: string; logs: string }
  /** Make a real engine instead of a FakeHost. */
  createHost?: MenubarOptions['createHost']
  /** How long an opening menu waits for Ollama (short by default: the fake answers at once). */
  menuRefreshMs?: number
}

export async function startApp(t: TestContext, options: StartAppOptions = {}): Promise<StartedApp> {
  const base = options.folders ? undefined : await tempDir(t)
  const userData = options.folders?.userData ?? join(base as string, 'LocalLLM')
  const logs = options.folders?.logs ?? join(base as string, 'Logs')
  if (options.settings) {
    await mkdir(userData, { recursive: true })
    await writeFile(join(userData, 'settings.json'), JSON.stringify(options.settings))
  }
  const journal: string[] = []
  const electron = new FakeElectron(journal, { userData, logs })
  const host = new FakeHost(journal, { ollama: 'ok', ...options.host })
  const menubar = await runMenubar({
    electron: electron.api,
    createHost: options.createHost ?? (() => host),
    menuRefreshMs: options.menuRefreshMs ?? 50,
    stopTimeoutMs: 1000
  })
  if (!menubar) throw new Error('the app did not start')
  t.teardown(() => menubar.close(), { order: 10 })
  return { electron, host, menubar, journal, userData, logs }
}
