// The app end to end in a real browser: the app's web build (apps/client/app/dist/web, made
// by apps/client/app/ci.sh or `npm run client:web`) in Debian's Chromium, a real worklet
// under bare per page behind the relay, and a real host process on a local testnet. Saves
// a 390×844 screenshot of each state (`npm run client:screenshots` keeps them in
// docs/screenshots/).
import { access } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import test from 'brittle'
import type { Page } from 'playwright-core'
import { startHostCli, startLocalSystem } from '@localllm/testing'
import { SAMPLE_REPLY, startWebPreview } from '../src/relay.js'
import { launchChromium, openPhone, screenshotDir, type TestContext } from './helpers/phone.js'

const WEB_BUILD = fileURLToPath(new URL('../../../app/dist/web', import.meta.url))
const HOST_NAME = 'Sam’s MacBook Pro'
const MODEL = 'llama3.2:latest'

// Screens under the top one stay in the page, hidden: only a visible match counts.
const visible = (page: Page, text: string | RegExp, timeout = 20000) =>
  page.getByText(text).filter({ visible: true }).first().waitFor({ state: 'visible', timeout })
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const replies = (page: Page) => page.locator('[data-testid^="reply-"]')
const replyText = (page: Page) => replies(page).last().innerText({ timeout: 5000 })
const finishedReplies = (page: Page) => page.getByText(/tokens\/s/).count()
/** The header's back arrow (the browser's Back can skip a screen pushed with another). */
const backArrow = (page: Page) =>
  page
    .getByRole('link', { name: /^Go back$|, back$/ })
    .filter({ visible: true })
    .first()
    .click()

async function needWebBuild(): Promise<void> {
  await access(`${WEB_BUILD}/index.html`).catch(() => {
    throw new Error(
      `no web build at ${WEB_BUILD}: run \`bash apps/client/app/ci.sh\` (or \`npm run client:web\`) first`
    )
  })
}

/** A testnet, the stand-in and `localllm host` as its own process, torn down with the test. */
async function startHostSystem(t: TestContext, standin: Parameters<typeof startLocalSystem>[0]) {
  const system = await startLocalSystem({ withHost: false, ...standin })
  t.teardown(() => system.close(), { order: 10 })
  const startHost = () =>
    startHostCli({
      bootstrap: system.bootstrap,
      ollamaUrl: system.standin.url,
      configDir: system.configDir,
      name: HOST_NAME
    })
  const host = { current: await startHost() }
  t.teardown(() => host.current.close(), { order: 9 })
  return { system, host, startHost }
}

/** Types the code, presses Connect, and waits for the new chat with the host ready. */
async function connect(page: Page, serverId: string): Promise<void> {
  await page.getByLabel('Server ID').fill(serverId)
  await button(page, 'Connect').click()
  await page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 30000 })
}

/** Sends a prompt and waits until its reply has finished (one more "tokens/s" line). */
async function ask(page: Page, prompt: string): Promise<string> {
  const before = await finishedReplies(page)
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
  await button(page, 'Send').click()
  await page.waitForFunction(
    (n) => document.body.innerText.split('tokens/s').length - 1 > n,
    before,
    { timeout: 30000 }
  )
  return replyText(page)
}

/** The box of the newest reply and of the transcript's visible area. */
async function followBoxes(page: Page) {
  const reply = await replies(page).last().boundingBox()
  const list = await page.getByTestId('transcript').boundingBox()
  if (!reply || !list) throw new Error('the reply or the transcript is not laid out')
  return { replyBottom: reply.y + reply.height, listTop: list.y, listBottom: list.y + list.height }
}

/**
 * Watches, in the page, how far the newest reply's bottom edge ever is below the transcript's
 * visible area and below the viewport, on every layout change of the transcript.
 */
function startFollowProbe(page: Page) {
  return page.getByTestId('transcript').evaluate((list) => {
    const probe = { frames: 0, worstBelow: -Infinity, worstBelowViewport: -Infinity }
    const observer = new ResizeObserver(() => {
      const replies = list.querySelectorAll('[data-testid^="reply-"]')
      const reply = replies[replies.length - 1]
      if (!reply) return
      const r = reply.getBoundingClientRect()
      const l = list.getBoundingClientRect()
      probe.frames++
      probe.worstBelow = Math.max(probe.worstBelow, Math.round(r.bottom - l.bottom))
      probe.worstBelowViewport = Math.max(
        probe.worstBelowViewport,
        Math.round(r.bottom - window.innerHeight)
      )
    })
    if (list.firstElementChild) observer.observe(list.firstElementChild)
    ;(window as unknown as { followProbe: unknown }).followProbe = { probe, observer }
  })
}

function stopFollowProbe(page: Page) {
  return page.evaluate(() => {
    const { probe, observer } = (
      window as unknown as {
        followProbe: {
          probe: { frames: number; worstBelow: number; worstBelowViewport: number }
          observer: ResizeObserver
        }
      }
    ).followProbe
    observer.disconnect()
    return probe
  })
}

function scrollOf(page: Page) {
  return page.getByTestId('transcript').evaluate((el) => ({
    top: el.scrollTop,
    height: el.scrollHeight,
    view: el.clientHeight
  }))
}

test('the app in Chromium: paste, connect, stream, stop, busy, reconnect', async (t) => {
  await needWebBuild()
  const shots = await screenshotDir(t)
  const { system, host, startHost } = await startHostSystem(t, {
    standin: { reply: SAMPLE_REPLY, tokensPerSecond: 10, loadDelayMs: 200, models: [MODEL] }
  })
  const startPreview = (port = 0) =>
    startWebPreview({ webRoot: WEB_BUILD, bootstrap: system.bootstrap, listen: { port } })
  let preview = await startPreview()
  t.teardown(() => preview.close(), { order: 5 })
  const browser = await launchChromium(t)

  // Connect screen: paste the Server ID from the clipboard and connect.
  const a = await openPhone(t, browser, preview.url, shots)
  await visible(a.page, 'Server ID')
  await a.shot('app-connect')
  const serverId = host.current.serverId
  await a.page.evaluate((id) => navigator.clipboard.writeText(id), serverId)
  await button(a.page, 'Paste').click()
  await a.page.waitForFunction(
    (id) => document.querySelector<HTMLInputElement>('input[aria-label="Server ID"]')?.value === id,
    serverId,
    { timeout: 5000 }
  )
  t.pass('Paste fills the Server ID from the clipboard')
  await button(a.page, 'Connect').click()

  // A new chat with this host: the header names the host and says it is ready.
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 30000 })
  t.pass('connected: a new chat shows the host, ready')
  await visible(a.page, `Ask ${MODEL} anything`)
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

  // A second phone (dark mode) is told the host is busy before it sends anything.
  const b = await openPhone(t, browser, preview.url, shots, { colorScheme: 'dark' })
  await connect(b.page, serverId)
  await a.page.getByRole('textbox', { name: 'Prompt' }).fill('Reverse a string in Python, please')
  await button(a.page, 'Send').click()
  await visible(a.page, 'tiny Python')
  await b.page.getByLabel(`${HOST_NAME}, busy`).waitFor({ timeout: 10000 })
  await visible(b.page, `${HOST_NAME} is answering someone else right now`)
  await b.page.getByRole('textbox', { name: 'Prompt' }).fill('What is the capital of France?')
  t.ok(
    await button(b.page, 'Send').isDisabled(),
    'the second phone cannot send while the host is busy'
  )
  t.is(
    await a.page.getByText('is answering someone else').filter({ visible: true }).count(),
    0,
    'the phone being answered is not told someone else is'
  )
  await b.shot('app-busy-dark')

  // The first phone's reply completes, rendered as Markdown with a code block and stats.
  await visible(a.page, /tokens\/s/, 30000)
  t.ok((await replyText(a.page)).includes('return text[::-1]'), 'the code block is shown')
  await a.shot('app-chat-reply')

  // The host is free again: the second phone's Send works.
  await b.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 10000 })
  await button(b.page, 'Send').click()
  await visible(b.page, /tokens\/s/, 30000)
  t.pass('once the host is free, the second phone is answered')

  // Kill the host: the banner says it is reconnecting; restart it: the banner clears.
  host.current.kill()
  const lost = () => a.page.getByRole('alert').filter({ hasText: /Reconnecting|isn't reachable/ })
  await lost().waitFor({ timeout: 20000 })
  t.pass('the reconnect banner shows when the host dies')
  await a.shot('app-reconnecting')
  host.current = await startHost()
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 45000 })
  t.is(await lost().count(), 0, 'the banner clears once the host is back')

  // Restart the relay itself: the page gets a new worklet, which connects again by itself
  // as the same device (the host would refuse a new key: its code was not shown again).
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

  // Back to the connect screen with the header's back arrow (debug → chat → conversations →
  // start): the host is in Recent hosts; then an ID that is not one.
  for (let i = 0; i < 3; i++) await backArrow(a.page)
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

test('conversations in Chromium: history, kept across a reload, follows the reply, copy, regenerate, honest status', async (t) => {
  await needWebBuild()
  const shots = await screenshotDir(t)
  const { system, host } = await startHostSystem(t, {
    standin: { tokensPerSecond: 60, models: [MODEL] }
  })
  const { standin } = system
  const preview = await startWebPreview({
    webRoot: WEB_BUILD,
    bootstrap: system.bootstrap,
    listen: { port: 0 }
  })
  t.teardown(() => preview.close(), { order: 5 })
  const browser = await launchChromium(t)
  const a = await openPhone(t, browser, preview.url, shots)
  const serverId = host.current.serverId
  await connect(a.page, serverId)

  // Three turns: the last request carries the first two exchanges, oldest first.
  const turns = [
    ['My name is Ana and I live in Porto.', 'Nice to meet you, Ana! Porto is a lovely city.'],
    ['What is my name?', 'Your name is Ana.'],
    ['And where do I live?', 'You live in Porto.']
  ] as const
  for (const [prompt, answer] of turns) {
    standin.configure({ reply: answer })
    await ask(a.page, prompt)
  }
  const last = standin.requests.filter((r) => r.messages.length > 0).at(-1)
  t.alike(
    last?.messages.filter((m) => m.role !== 'system'),
    [
      { role: 'user', content: turns[0][0] },
      { role: 'assistant', content: turns[0][1] },
      { role: 'user', content: turns[1][0] },
      { role: 'assistant', content: turns[1][1] },
      { role: 'user', content: turns[2][0] }
    ],
    'the stand-in got the earlier turns in the last request'
  )
  await a.shot('app-chat-history')

  // Reload: the conversation is still listed under this host and opens. (Saving is
  // asynchronous: the list under the chat says "3 messages" once the last turn is stored.)
  await a.page.getByText('3 messages').waitFor({ state: 'attached', timeout: 10000 })
  await a.page.reload()
  await button(a.page, 'Back to the start').click()
  await connect(a.page, serverId)
  await backArrow(a.page)
  const saved = a.page.getByLabel(`Open ${turns[0][0]}`)
  await saved.waitFor({ timeout: 10000 })
  t.pass('after a reload the conversation is listed under its host')
  await a.shot('app-conversations')
  await saved.click()
  await visible(a.page, turns[2][1])
  t.pass('and it opens, with its replies')

  // A long reply: while it streams, its last line stays inside the visible transcript. The
  // probe measures the newest reply's box on every layout change of the transcript, after
  // the app has scrolled and before the frame is painted (Playwright's "visible" would not
  // look at the viewport at all).
  const story = Array.from(
    { length: 90 },
    (_, i) => `Line ${i + 1} of the story, told one token at a time.`
  ).join('\n\n')
  standin.configure({ reply: story, tokensPerSecond: 40 })
  const finished = await finishedReplies(a.page)
  await a.page.getByRole('textbox', { name: 'Prompt' }).fill('Tell me a long story')
  await button(a.page, 'Send').click()
  await visible(a.page, 'Line 1 ', 30000)
  await startFollowProbe(a.page)
  // Seen from outside (Playwright's boxes), a read may fall between a render and the scroll
  // that follows it in the same frame: up to one new paragraph (~50 px) is allowed there.
  for (const line of ['Line 20 ', 'Line 35 ']) {
    await visible(a.page, line, 30000)
    const box = await followBoxes(a.page)
    t.ok(
      box.replyBottom <= box.listBottom + 60 && box.replyBottom > box.listTop,
      `at "${line.trim()}" the reply's end is in view (bottom ${Math.round(box.replyBottom)}, transcript ${Math.round(box.listTop)}–${Math.round(box.listBottom)})`
    )
  }
  const probe = await stopFollowProbe(a.page)
  t.ok(
    probe.frames > 20 && probe.worstBelow <= 1 && probe.worstBelowViewport <= 1,
    `on every one of ${probe.frames} layouts the reply's last line was in view (worst: ${probe.worstBelow} px below the transcript, ${probe.worstBelowViewport} px below the viewport)`
  )

  // Scroll up: it stops following, and Jump to latest brings it back.
  const list = await a.page.getByTestId('transcript').boundingBox()
  if (!list) throw new Error('no transcript on screen')
  await a.page.mouse.move(list.x + list.width / 2, list.y + list.height / 2)
  await a.page.mouse.wheel(0, -700)
  const jump = a.page.getByLabel('Jump to the latest message')
  await jump.waitFor({ timeout: 5000 })
  const before = await scrollOf(a.page)
  await visible(a.page, 'Line 50 ', 30000)
  const after = await scrollOf(a.page)
  t.ok(
    after.height > before.height && Math.abs(after.top - before.top) < 2,
    `scrolled up, it stays put while the reply grows (top ${Math.round(before.top)} → ${Math.round(after.top)}, height ${before.height} → ${after.height})`
  )
  const away = await followBoxes(a.page)
  t.ok(away.replyBottom > away.listBottom + 100, 'the newest line is below the fold meanwhile')
  await a.shot('app-jump-to-latest')
  await jump.click()
  await visible(a.page, 'Line 60 ', 30000)
  const back = await followBoxes(a.page)
  t.ok(back.replyBottom <= back.listBottom + 60, 'Jump to latest follows the reply again')
  await visible(a.page, 'Line 90 ', 30000)
  await a.page.waitForFunction(
    (n) => document.body.innerText.split('tokens/s').length - 1 > n,
    finished,
    { timeout: 30000 }
  )

  // Copy a code block (exactly its code), and a reply as plain text.
  standin.configure({ reply: SAMPLE_REPLY, tokensPerSecond: 0 })
  await ask(a.page, 'Reverse a string in Python')
  await a.page.getByRole('button', { name: 'Copy code' }).last().click()
  await a.page.getByRole('button', { name: 'Copied' }).first().waitFor({ timeout: 5000 })
  const clipboard = () => a.page.evaluate(() => navigator.clipboard.readText())
  t.is(
    await clipboard(),
    'def reverse(text: str) -> str:\n    return text[::-1]',
    'Copy on a code block copies exactly its code'
  )
  await a.page.getByRole('button', { name: 'Copy the reply' }).last().click()
  const plain = await clipboard()
  t.ok(
    plain.startsWith('Here is a tiny Python function') && !/```|\*\*/.test(plain),
    'Copy on a reply copies plain text, not Markdown'
  )

  // Regenerate the last reply: the same prompt again, in place, with the same history.
  const sentBefore = standin.requests.filter((r) => r.messages.length > 0).at(-1)
  standin.configure({ reply: 'A different way: use reversed() and join.' })
  await a.page.getByRole('button', { name: 'Regenerate the reply' }).click()
  await visible(a.page, 'A different way')
  t.is(
    await a.page.getByText('Here is a tiny Python function').count(),
    0,
    'the old reply is replaced'
  )
  t.is(
    await a.page.getByText('Reverse a string in Python', { exact: true }).count(),
    1,
    'the prompt shows once'
  )
  const regenerated = standin.requests.filter((r) => r.messages.length > 0).at(-1)
  t.alike(
    regenerated?.messages,
    sentBefore?.messages,
    'Regenerate sends the same prompt and history'
  )

  // The model goes missing on the host: the app says so before anything is sent.
  standin.removeModel(MODEL)
  await a.page.getByLabel(`${HOST_NAME}, unavailable`).waitFor({ timeout: 20000 })
  await visible(a.page, `${MODEL} isn't installed on ${HOST_NAME}`)
  const requests = standin.requests.length
  await a.page.getByRole('textbox', { name: 'Prompt' }).fill('Are you there?')
  t.ok(await button(a.page, 'Send').isDisabled(), 'Send waits while the host cannot answer')
  t.is(standin.requests.length, requests, 'nothing was sent')
  await a.shot('app-unavailable')
  standin.addModel(MODEL)
  await a.page.getByLabel(`${HOST_NAME}, ready`).waitFor({ timeout: 20000 })
  t.ok(await button(a.page, 'Send').isEnabled(), 'and Send is back once the model is')
})

test('reasoning in Chromium: collapsed as "Thinking… N s", opens, and is never sent back', async (t) => {
  await needWebBuild()
  const shots = await screenshotDir(t)
  const thinking = Array.from(
    { length: 40 },
    (_, i) => `step ${i + 1}: weigh what the user asked`
  ).join(', ')
  const { system, host } = await startHostSystem(t, {
    standin: {
      models: [{ name: 'qwen3:8b', thinking: true }],
      thinking,
      reply: 'The sky looks blue because air scatters blue light the most.',
      tokensPerSecond: 40
    }
  })
  const preview = await startWebPreview({
    webRoot: WEB_BUILD,
    bootstrap: system.bootstrap,
    listen: { port: 0 }
  })
  t.teardown(() => preview.close(), { order: 5 })
  const browser = await launchChromium(t)
  const a = await openPhone(t, browser, preview.url, shots)
  await connect(a.page, host.current.serverId)

  await a.page.getByRole('textbox', { name: 'Prompt' }).fill('Why is the sky blue?')
  await button(a.page, 'Send').click()
  await visible(a.page, /Thinking… [2-9] s/, 30000)
  t.is(await a.page.getByText('step 1:').count(), 0, 'the reasoning is collapsed while it streams')
  await a.shot('app-thinking')
  await visible(a.page, 'The sky looks blue', 30000)
  await visible(a.page, /tokens\/s/, 30000)
  const label = a.page.getByRole('button', { name: /^Thought for \d+ s$/ })
  await label.waitFor()
  t.pass(`once answered it says how long: "${await label.getAttribute('aria-label')}"`)
  await label.click()
  await visible(a.page, 'step 40: weigh what the user asked')
  t.pass('tapping it opens the reasoning')

  await ask(a.page, 'And at sunset?')
  const last = system.standin.requests.filter((r) => r.messages.length > 0).at(-1)
  t.alike(
    last?.messages,
    [
      { role: 'user', content: 'Why is the sky blue?' },
      {
        role: 'assistant',
        content: 'The sky looks blue because air scatters blue light the most.'
      },
      { role: 'user', content: 'And at sunset?' }
    ],
    'the reasoning was not sent back with the history'
  )
})
