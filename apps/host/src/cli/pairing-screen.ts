// What `localllm host` prints for pairing, fitted to the terminal: the QR code with a hint
// beside it and the Server ID under it, leaving room below for a note and the status line;
// or, in a terminal too small for that, a sentence saying so and the Server ID and the link.
//
//   pairingScreen({ link, code, columns: 80, rows: 24 })  // { qr: true, lines: [...] }
//   pairingScreen({ link, code })                         // not a terminal: QR and both lines
//
// An 80×24 terminal (macOS Terminal's default) fits it: 20 QR rows + the code + a note + the
// status line = 23. The code is printed without a label there, as a label would wrap it.

import { qrText } from './qr-text.js'

export interface PairingScreenInput {
  link: string
  code: string
  /** The terminal's size; undefined when stdout is not a terminal. */
  columns?: number | undefined
  rows?: number | undefined
}

export interface PairingScreen {
  /** Whether the QR code is shown. */
  qr: boolean
  lines: string[]
}

/** Rows kept free under the code: one note (e.g. the model picked) and the status line. */
export const ROWS_BELOW = 2
const HINT = [
  'Scan this QR code with the',
  'LocalLLM app on your iPhone,',
  'or paste the Server ID below.'
]
const GAP = 2

export function pairingScreen({ link, code, columns, rows }: PairingScreenInput): PairingScreen {
  const qr = qrText(link)
  if (columns === undefined || rows === undefined) {
    return {
      qr: true,
      lines: [...qr.lines, '', `Server ID  ${code}`, `Link       ${link}`, HINT.join(' ')]
    }
  }
  const needRows = qr.rows + Math.ceil(code.length / columns) + ROWS_BELOW
  if (columns < qr.columns || rows < needRows) {
    return {
      qr: false,
      lines: [
        `This terminal is too small for the QR code (it needs ${qr.columns}×${needRows}, this one is ${columns}×${rows}).`,
        'Make it bigger to see the code, or pair with the Server ID or the link:',
        '',
        `Server ID  ${code}`,
        `Link       ${link}`,
        ''
      ]
    }
  }
  const besideWidth = Math.max(...HINT.map((line) => line.length))
  const beside = columns >= qr.columns + GAP + besideWidth
  const lines = qr.lines.map((line, i) =>
    beside && HINT[i] ? line + ' '.repeat(GAP) + HINT[i] : line
  )
  return { qr: true, lines: [...(beside ? [] : [HINT.join(' ')]), ...lines, code] }
}
