// One of the app's pages (static/*.html) in a real Chromium (Debian's, driven by
// playwright-core), with a stand-in for the preload bridge: the test pushes views the way
// the main process does and reads what the page sent back.
//
//   const page = await openPage(t, 'qr.html', { width: 340, height: 500 })
//   await page.view({ svg, serverId, … })
//   await page.sent()                       // [['copy', null]]

import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { CHROMIUM, CHROMIUM_FLAGS, assertChromium, tempDir } from '@localllm/testing'
import { DEFAULT_FILES } from '../../src/main.js'

const FLAGS = ['--headless', ...CHROMIUM_FLAGS]

// What preload.cts exposes, recorded instead of sent over IPC.
const BRIDGE = `
  window.__sent = []
  window.localllm = {
    onView(callback) { window.__onView = callback },
    send(type, value) { window.__sent.push([type, value ?? null]) }
  }
`

interface Bridge {
  __onView(view: unknown): void
  __sent: Array<[string, unknown]>
}

export interface TestPage {
  page: Page
  view(view: unknown): Promise<void>
  sent(): Promise<Array<[string, unknown]>>
}

export async function openPage(
  t: TestContext,
  name: string,
  size: { width: number; height: number }
): Promise<TestPage> {
  await assertChromium()
  // launchPersistentContext passes a fresh --user-data-dir (Playwright refuses it in args).
  const profile = await tempDir(t, 'localllm-chromium-')
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: size,
    deviceScaleFactor: 1
  })
  t.teardown(() => context.close(), { order: 0 })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  t.teardown(
    () => {
      if (errors.length) t.fail(`page errors: ${errors.join('; ')}`)
    },
    { order: -1 }
  )
  await page.addInitScript({ content: BRIDGE })
  await page.goto(pathToFileURL(join(DEFAULT_FILES.staticDir, name)).href)
  return {
    page,
    view: (view) =>
      page.evaluate(([v]) => (globalThis as unknown as Bridge).__onView(v), [view] as const),
    sent: () => page.evaluate(() => (globalThis as unknown as Bridge).__sent)
  }
}
