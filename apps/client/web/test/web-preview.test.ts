// The app end to end in a real browser: the app's web build (apps/client/app/dist/web, made
// by apps/client/app/ci.sh or `npm run client:web`) in Debian's Chromium, a real worklet
// under bare per page behind the relay, and a real host process on a local testnet. Saves
// a 390×844 screenshot of each state (`npm run client:screenshots` keeps them in
// docs/screenshots/).
import { access } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import test from 'brittle'
import type { Page } from 'playwright-core'
import { startHostCli, startLocalSystem, type HostCli } from '@localllm/testing'
import { SAMPLE_REPLY, startWebPreview } from '../src/relay.js'
import { launchChromium, openPhone, screenshotDir } from './helpers/phone.js'

const WEB_BUILD = fileURLToPath(new URL('../../../app/dist/web', import.meta.url))
const HOST_NAME = 'Sam’s MacBook Pro'

const visible = (page: Page, text: string | RegExp, timeout = 20000) =>
  page.getByText(text).first().waitFor({ state: 'visible', timeout })
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const replyText = (page: Page) =>
  page.locator('[data-testid^="reply-"]').last().innerText({ timeout: 5000 })

test('the app in Chromium: paste, connect, stream, stop, busy, reconnect', async (t) => {
  await access(`${WEB_BUILD}/index.html`).catch(() => {
    throw new Error(
      `no web build at ${WEB_BUILD}: run \`bash apps/client/app/ci.sh\` (or \`npm run client:web\`) first`
    )
  })
  const shots = await screenshotDir(t)
  const system = await startLocalSystem({
    withHost: false,
    standin: {
      reply: SAMPLE_REPLY,
      tokensPerSecond: 10,
      loadDelayMs: 200,
      models: ['llama3.2:latest']
    }
  })
  t.teardown(() => system.close(), { order: 10 })
  const startHost = () =>
    startHostCli({
      bootstrap: system.bootstrap,
      ollamaUrl: system.standin.url,
      configDir: system.configDir,
      name: HOST_NAME
    })
  let host: HostCli = await startHost()
  t.teardown(() => host.close(), { order: 9 })
  const startPreview = (port = 0) =>
    startWebPreview({ webRoot: WEB_BUILD, bootstrap: system.bootstrap, listen: { port } })
  let preview = await startPreview()
  t.teardown(() => preview.close(), { order: 5 })
  const browser = await launchChromium(t)

  // Connect screen: paste the Server ID from the clipboard and connect.
  const a = await openPhone(t, browser, preview.url, shots)
  await visible(a.page, 'Server ID')
  await a.shot('app-connect')
  await a.page.evaluate((id) => navigator.clipboard.writeText(id), host.serverId)
  await button(a.page, 'Paste').click()
  await a.page.waitForFunction(
    (id) => document.querySelector<HTMLInputElement>('input[aria-label="Server ID"]')?.value === id,
    host.serverId,
    { timeout: 5000 }
  )
  t.pass('Paste fills the Server ID from the clipboard')
  await button(a.page, 'Connect').click()

  // Chat screen: the header names the host and says it is ready.
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor()
  t.pass('connected: the chat screen shows the host, ready')
  await visible(a.page, 'Ask llama3.2:latest anything')
  await a.shot('app-chat-empty')

  // Tokens stream in; Stop keeps the partial reply, marked as stopped.
  await a.page
    .getByRole('textbox', { name: 'Prompt' })
    .fill('Write a Python function that reverses a string')
  await button(a.page, 'Send').click()
  await visible(a.page, 'tiny Python')
  const early = await replyText(a.page)
  await visible(a.page, 'slicing')
  const later = await replyText(a.page)
  t.ok(
    later.length > early.length,
    `the reply grows as tokens stream (${early.length} → ${later.length} chars)`
  )
  await a.shot('app-chat-streaming')
  await button(a.page, 'Stop').click()
  await visible(a.page, 'Stopped')
  const stopped = await replyText(a.page)
  t.ok(
    stopped.length >= later.length && stopped.length < SAMPLE_REPLY.length,
    `the partial reply stays (${stopped.length} of ${SAMPLE_REPLY.length} chars)`
  )
  await button(a.page, 'Send').waitFor()
  await a.shot('app-chat-stopped')

  // A second phone (in dark mode) asks while the first one's reply streams: MODEL_BUSY.
  const b = await openPhone(t, browser, preview.url, shots, { colorScheme: 'dark' })
  await b.page.getByLabel('Server ID').fill(host.serverId)
  await button(b.page, 'Connect').click()
  await b.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 20000 })

  await a.page.getByRole('textbox', { name: 'Prompt' }).fill('Reverse a string in Python, please')
  await button(a.page, 'Send').click()
  await visible(a.page, 'tiny Python')
  await b.page.getByRole('textbox', { name: 'Prompt' }).fill('What is the capital of France?')
  await button(b.page, 'Send').click()
  await visible(b.page, 'The host is answering someone else')
  t.pass('the second phone is told the host is busy')
  await button(b.page, 'Retry').waitFor()
  await b.shot('app-busy-dark')

  // The first phone's reply completes, rendered as Markdown with a code block and stats.
  await visible(a.page, /tokens\/s/, 30000)
  t.ok((await replyText(a.page)).includes('return text[::-1]'), 'the code block is shown')
  await a.shot('app-chat-reply')

  // Retry on the second phone now that the host is free.
  await button(b.page, 'Retry').click()
  await b.page
    .getByText(/tokens\/s/)
    .first()
    .waitFor({ timeout: 30000 })
  t.pass('Retry gets an answer once the host is free')

  // Kill the host: the banner says it is reconnecting; restart it: the banner clears.
  host.kill()
  await a.page
    .getByRole('alert')
    .filter({ hasText: /Reconnecting|isn't reachable/ })
    .waitFor({ timeout: 20000 })
  t.pass('the reconnect banner shows when the host dies')
  await a.shot('app-reconnecting')
  host = await startHost()
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 45000 })
  t.is(
    await a.page
      .getByRole('alert')
      .filter({ hasText: /Reconnecting|isn't reachable/ })
      .count(),
    0,
    'the banner clears once the host is back'
  )
  // (No screenshot: the screen is app-chat-reply again, which is the point.)

  // Restart the relay itself: the page gets a new worklet, which connects again by itself.
  const port = Number(new URL(preview.url).port)
  await preview.close()
  preview = await startPreview(port)
  await a.page.getByLabel(`${HOST_NAME}, reconnecting`).waitFor({ timeout: 10000 })
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 30000 })
  t.pass('a restarted relay: the page reconnects through a new worklet')

  // The hidden debug screen: long-press the header.
  const header = a.page.getByLabel(`${HOST_NAME}, ready`)
  const box = await header.boundingBox()
  if (!box) throw new Error('the chat header is not on screen')
  await a.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await a.page.mouse.down()
  await a.page.waitForTimeout(900)
  await a.page.mouse.up()
  await visible(a.page, /log lines? \(last 200\)/)
  await button(a.page, 'Copy').waitFor()
  t.pass('long-pressing the header opens the debug log')
  await a.shot('app-debug')

  // Back to the connect screen: the host is in Recent hosts; then an ID that is not one.
  await a.page.goBack()
  await a.page.goBack()
  await visible(a.page, 'Recent hosts')
  await a.page.getByLabel(`Connect to ${HOST_NAME}`).waitFor()
  t.pass('the host is remembered in Recent hosts')
  await a.shot('app-recent-hosts')
  await a.page.getByLabel('Server ID').fill('not-a-server-id')
  await button(a.page, 'Connect').click()
  await a.page
    .getByRole('alert')
    .filter({ hasText: /Server ID/ })
    .waitFor()
  t.pass('an invalid ID is explained')
  await a.shot('app-invalid-id')
})
