// The web preview in Debian's Chromium (driven by playwright-core) at iPhone size, one
// browser context per "phone", with page errors failing the test and a screenshot helper.
//
//   const browser = await launchChromium(t)
//   const phone = await openPhone(t, browser, preview.url, { colorScheme: 'dark' })
//   await phone.page.getByLabel('Server ID').fill(id)
//   await phone.shot('app-connect')          // <LOCALLLM_SCREENSHOTS or a temp dir>/app-connect.png

import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type test from 'brittle'
import { CHROMIUM, CHROMIUM_FLAGS, assertChromium } from '@localllm/testing'

export type TestContext = ReturnType<typeof test>

/** iPhone 13–16 points; device pixels at 2× keep text sharp in the README. */
export const IPHONE = { width: 390, height: 844 }
const REPO_ROOT = fileURLToPath(new URL('../../../../../../', import.meta.url))

export async function launchChromium(t: TestContext): Promise<Browser> {
  await assertChromium()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS
  })
  t.teardown(() => browser.close(), { order: 1 })
  return browser
}

/** Where screenshots go: $LOCALLLM_SCREENSHOTS (relative to the repo root), else a temp dir. */
export async function screenshotDir(t: TestContext): Promise<string> {
  const wanted = process.env.LOCALLLM_SCREENSHOTS
  if (wanted) {
    const dir = isAbsolute(wanted) ? wanted : resolve(REPO_ROOT, wanted)
    await mkdir(dir, { recursive: true })
    return dir
  }
  const dir = await mkdtemp(join(tmpdir(), 'localllm-shots-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }), { order: 20 })
  return dir
}

export interface Phone {
  page: Page
  /** Saves a 390×844 screenshot as `<name>.png`. */
  shot(name: string): Promise<void>
}

export async function openPhone(
  t: TestContext,
  browser: Browser,
  url: string,
  shots: string,
  options: { colorScheme?: 'light' | 'dark' } = {}
): Promise<Phone> {
  const context = await browser.newContext({
    viewport: IPHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: options.colorScheme ?? 'light'
  })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(url).origin
  })
  t.teardown(() => context.close(), { order: 0 })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    // Network errors the app handles (a favicon, the relay socket while it reopens) are not bugs.
    const expected = /Failed to load resource|WebSocket connection to .* failed/
    if (msg.type() === 'error' && !expected.test(msg.text())) {
      errors.push(msg.text())
    }
  })
  t.teardown(
    () => {
      if (errors.length) t.fail(`page errors: ${errors.join('; ')}`)
    },
    { order: -1 }
  )
  await page.goto(url)
  return {
    page,
    shot: async (name) => {
      await page.screenshot({ path: join(shots, `${name}.png`) })
    }
  }
}
