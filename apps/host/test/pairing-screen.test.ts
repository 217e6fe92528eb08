// The pairing screen as a person sees it: `localllm host` in a real 80×24 terminal (tmux),
// the screen captured with its colours, drawn as pixels and decoded with jsqr. The QR code,
// the Server ID and the status line are all on screen at once; a smaller terminal gets a
// sentence, the Server ID and the link instead, and the QR code once it is made bigger.
import test from 'brittle'
import { randomBytes } from 'node:crypto'
import jsqr from 'jsqr'
import createTestnet from 'hyperdht/testnet.js'
import { TESTNET_SIZE, formatBootstrap } from '@localllm/core'
import { OllamaStandin } from '@localllm/ollama-standin'
import { connectLink, formatPairingCode, parsePairingCode } from '@localllm/protocol'
import { LOCALLLM_BIN } from '@localllm/testing'
import { pairingScreen } from '../src/cli/pairing-screen.js'
import { qrText } from '../src/cli/qr-text.js'
import { terminalImage } from './helpers/terminal-image.js'
import { tmuxTerminal } from './helpers/tmux-terminal.js'
import { tempDir } from '@localllm/testing'

const READY = /^● Ready/m

test('every pairing link is a version 5 QR code, 41 columns by 20 rows, and needs 41×23', (t) => {
  const sizes = new Set<string>()
  for (let i = 0; i < 100; i++) {
    const link = connectLink(formatPairingCode(randomBytes(32), randomBytes(16)))
    const qr = qrText(link)
    sizes.add(`v${qr.version} ${qr.columns}×${qr.rows}`)
  }
  t.alike([...sizes], ['v5 41×20'], [...sizes].join(', '))
  const code = formatPairingCode(randomBytes(32), randomBytes(16))
  const at = (columns: number, rows: number) =>
    pairingScreen({ link: connectLink(code), code, columns, rows }).qr
  t.ok(at(80, 24), '80×24 shows it')
  t.ok(at(80, 23), '80×23 too')
  t.absent(at(80, 22), '80×22 does not')
  t.absent(at(40, 40), 'nor 40 columns')
})

test('in an 80×24 terminal the QR code, the Server ID and the status line are all on screen, and the QR decodes', async (t) => {
  const term = await hostInTerminal(t, 80, 24)
  const screen = await term.waitFor((text) => READY.test(text))
  const lines = screen.trimEnd().split('\n')
  t.ok(READY.test(lines.at(-1) ?? ''), `the status line is the last line: ${lines.at(-1)}`)
  const code = lines.find((line) => parsePairingCode(line.trim()).ok)?.trim()
  t.ok(code, 'the Server ID is on screen, on one line')
  t.ok(
    lines.some((line) => line.startsWith('No model chosen:')),
    'with room for the note about the model'
  )
  const decoded = decode(term.capture({ colours: true }), 80, 24)
  t.is(
    decoded,
    connectLink(code ?? ''),
    'the QR code on screen decodes to the link of that Server ID'
  )
})

test('a terminal too small for the QR code says so and shows the Server ID and the link; made bigger, it shows the QR code', async (t) => {
  const term = await hostInTerminal(t, 60, 20)
  const screen = await term.waitFor((text) => READY.test(text))
  t.ok(screen.includes('This terminal is too small for the QR code'), 'says so')
  t.ok(screen.includes('this one is 60×20'), 'and how big it is')
  t.absent(/[▀▄█]/.test(screen), 'no broken QR code')
  const code = /^Server ID {2}(\S+)$/m.exec(screen)?.[1] ?? ''
  t.ok(parsePairingCode(code).ok, 'the Server ID, whole')
  t.ok(screen.includes(`Link       ${connectLink(code)}`), 'and the link')

  term.resize(80, 24)
  await term.waitFor((text) => /[▀▄█]/.test(text) && READY.test(text))
  t.is(
    decode(term.capture({ colours: true }), 80, 24),
    connectLink(code),
    'the QR code, once it fits'
  )
})

/** `localllm host` (no --model: the model note is printed too) in a terminal of this size. */
async function hostInTerminal(t: TestContext, columns: number, rows: number) {
  const testnet = await createTestnet(TESTNET_SIZE, { host: '127.0.0.1' })
  t.teardown(() => testnet.destroy(), { order: 100 })
  const standin = new OllamaStandin()
  await standin.ready()
  t.teardown(() => standin.close(), { order: 90 })
  const configDir = await tempDir(t)
  return tmuxTerminal(t, {
    columns,
    rows,
    command: [process.execPath, LOCALLLM_BIN, 'host']
      .concat(['--bootstrap', formatBootstrap(testnet.bootstrap)])
      .concat(['--ollama', standin.url, '--config-dir', configDir])
  })
}

function decode(capture: string, columns: number, rows: number): string | undefined {
  const { pixels, width, height } = terminalImage(capture, { columns, rows })
  return jsqr.default(pixels, width, height)?.data
}
