// The windows' pages in a real Chromium. The QR window is screenshotted and the code in the
// screenshot is decoded again: it must be the link. `npm run screenshots` (this workspace)
// saves the QR and relay screenshots into docs/screenshots/; a normal run keeps them apart.
import test from 'brittle'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import jsqr from 'jsqr'
import { PNG } from 'pngjs'
import { parsePairingCode } from '@localllm/protocol'
import { screenshotDir } from '@localllm/testing'
import { LOG_WINDOW_SIZE } from '../src/log-window.js'
import { NAME_WINDOW_SIZE } from '../src/name-window.js'
import { qrView, QR_HINT, QR_WINDOW_SIZE } from '../src/qr-window.js'
import { RELAY_WINDOW_SIZE, relayKeyText } from '../src/relay-window.js'
import { openPage } from './helpers/chromium.js'
import { fixedIdentity, hostState, newIdentity } from './helpers/host-state.js'

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png)
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length)
  return jsqr.default(pixels, image.width, image.height)?.data
}

test('the QR window shows a code that decodes to the connect link, and the ID to copy', async (t) => {
  const state = hostState({
    ...fixedIdentity(),
    status: 'ready',
    displayName: 'Studio Mac',
    model: 'llama3.2',
    ollama: 'ok'
  })
  const view = await qrView(state)
  const link = state.connectLink as string
  const { page, ...bridge } = await openPage(t, 'qr.html', QR_WINDOW_SIZE)
  await bridge.view(view)

  const png = await page.screenshot({ type: 'png' })
  const file = join(await screenshotDir(t), 'menubar-qr.png')
  await writeFile(file, png)
  t.comment(`screenshot: ${file}`)

  const decoded = decodeQr(png)
  t.is(decoded, link, 'the QR code in the screenshot is the connect link')
  const id = decoded?.slice('localllm://connect/'.length) ?? ''
  t.is(id, state.serverId, 'which carries the Server ID')
  t.ok(parsePairingCode(id).ok, 'a valid Server ID')

  t.is(await page.textContent('#server-id'), state.serverId, 'the ID in monospace')
  const font = await page.evaluate(
    "getComputedStyle(document.getElementById('server-id')).fontFamily"
  )
  t.ok(String(font).includes('monospace'), `monospace: ${String(font)}`)
  t.is(await page.textContent('#name'), 'Studio Mac')
  t.is(await page.textContent('#model'), 'Serving llama3.2')
  t.is((await page.textContent('.hint'))?.trim(), QR_HINT)
  t.absent(await page.isVisible('#stopped'), 'no "stopped" note while running')

  await page.click('#copy')
  t.alike(await bridge.sent(), [['copy', null]], 'Copy asks the main process')
  t.is(await page.textContent('#copy'), 'Copied')
})

test('the QR window replaces the code when the ID is regenerated', async (t) => {
  const first = hostState({ ...newIdentity(), status: 'ready', displayName: 'Studio' })
  const second = { ...first, ...newIdentity(), status: 'stopped' as const }
  const { page, ...bridge } = await openPage(t, 'qr.html', QR_WINDOW_SIZE)
  await bridge.view(await qrView(first))
  t.is(decodeQr(await page.screenshot()), first.connectLink)
  await bridge.view(await qrView(second))
  t.is(decodeQr(await page.screenshot()), second.connectLink, 'the new link')
  t.is(await page.textContent('#server-id'), second.serverId)
  t.ok(await page.isVisible('#stopped'), 'says the server is stopped')
})

test('the log window appends lines and reports the debug checkbox', async (t) => {
  const { page, ...bridge } = await openPage(t, 'logs.html', LOG_WINDOW_SIZE)
  await bridge.view({ lines: ['12:00:00 INFO  ready'], debug: false, file: '/tmp/host.1.log' })
  await bridge.view({ append: ['12:00:01 INFO  announced'] })
  t.is(await page.textContent('#lines'), '12:00:00 INFO  ready\n12:00:01 INFO  announced\n')
  t.is(await page.isChecked('#debug'), false)
  await page.check('#debug')
  await page.click('#reveal')
  t.alike(await bridge.sent(), [
    ['set-debug', true],
    ['reveal', null]
  ])
})

test('the display name window sends what was typed, and shows an error back', async (t) => {
  const { page, ...bridge } = await openPage(t, 'name.html', NAME_WINDOW_SIZE)
  await bridge.view({ displayName: 'Old', maxLength: 256 })
  t.is(await page.inputValue('#name'), 'Old')
  await page.fill('#name', 'Studio Mac')
  await page.press('#name', 'Enter')
  await bridge.view({ error: 'At most 256 characters.' })
  t.ok(await page.isVisible('#error'))
  await page.keyboard.press('Escape')
  t.alike(await bridge.sent(), [
    ['save', 'Studio Mac'],
    ['cancel', null]
  ])
})

test('the relay window shows the relay in use, sends what was pasted, and can turn it off', async (t) => {
  const { page, ...bridge } = await openPage(t, 'relay.html', RELAY_WINDOW_SIZE)
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 73 + 19) % 256))
  const relay = relayKeyText(key.toString('hex'))
  await bridge.view({ relay, running: true })
  t.is(await page.inputValue('#key'), relay)
  t.ok(await page.isVisible('#turn-off'), 'Turn Off while a relay is set')
  t.ok(await page.isVisible('#restart'), 'says saving restarts the running server')
  t.ok(await page.isVisible('text=It only forwards encrypted bytes'), 'says what a relay sees')
  const file = join(await screenshotDir(t), 'menubar-relay.png')
  await writeFile(file, await page.screenshot({ type: 'png' }))
  t.comment(`screenshot: ${file}`)

  const box = await page.locator('.buttons').boundingBox()
  t.ok(
    box && box.y + box.height <= RELAY_WINDOW_SIZE.height,
    `the buttons fit in the window (bottom at ${box ? box.y + box.height : '?'} of ${RELAY_WINDOW_SIZE.height})`
  )

  await page.fill('#key', 'typo')
  await page.press('#key', 'Enter')
  await bridge.view({
    error: 'Not a relay key: it is 52 letters and digits (or 64 hex characters).'
  })
  t.ok(await page.isVisible('#error'))
  t.is(await page.inputValue('#key'), 'typo', 'what was typed stays, to fix it')
  await page.click('#turn-off')
  await page.keyboard.press('Escape')
  t.alike(await bridge.sent(), [
    ['save', 'typo'],
    ['turn-off', null],
    ['cancel', null]
  ])
})

test('the relay window with no relay set: an empty field, no Turn Off, no restart note', async (t) => {
  const { page, ...bridge } = await openPage(t, 'relay.html', RELAY_WINDOW_SIZE)
  await bridge.view({ relay: '', running: false })
  t.is(await page.inputValue('#key'), '')
  t.absent(await page.isVisible('#turn-off'))
  t.absent(await page.isVisible('#restart'), 'a stopped server uses it at its next start')
})
