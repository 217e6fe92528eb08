// A QR code as terminal text: two modules per character cell (half blocks ▀ ▄ █), black on
// bright white whatever the terminal's colours, inside a quiet zone of 2 modules (1 on top,
// so the module rows come out even).
//
//   const qr = qrText('localllm://connect/…')   // { lines, columns: 41, rows: 20 }
//
// Error correction L: a pairing link (89–91 bytes) is then version 5, 37 modules, which fits
// an 80×24 terminal with the code and the status line; level M would be version 6 (two more
// rows). A screen is not a crumpled label: L's 7 % of recovery is enough to scan it.

import QRCode from 'qrcode'

export interface QrText {
  /** One string per terminal row, each with its own colour codes and a reset at the end. */
  lines: string[]
  columns: number
  rows: number
  version: number
}

const QUIET = { top: 1, bottom: 2, side: 2 }
const COLOURS = '\x1b[30;107m' // black on bright white
const RESET = '\x1b[0m'

export function qrText(text: string): QrText {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'L' })
  const size = qr.modules.size
  const dark = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < size && y < size && qr.modules.get(y, x) === 1
  const columns = size + 2 * QUIET.side
  const lines: string[] = []
  for (let y = -QUIET.top; y < size + QUIET.bottom; y += 2) {
    let row = ''
    for (let x = -QUIET.side; x < size + QUIET.side; x++) {
      const top = dark(x, y)
      const bottom = dark(x, y + 1)
      row += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' '
    }
    lines.push(COLOURS + row + RESET)
  }
  return { lines, columns, rows: lines.length, version: qr.version }
}
