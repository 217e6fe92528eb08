// A captured terminal screen (`tmux capture-pane -p -e -N`: text with its colour codes) drawn
// as pixels, the way a phone's camera sees the window, for jsqr to decode. Each cell is
// 8×16 px, so the half blocks ▀ ▄ █ draw square modules; any other character is drawn as a
// smudge of its colour; the theme is dark (the harder case for a QR code's quiet zone).
//
//   const { pixels, width, height } = terminalImage(capture, { columns: 80, rows: 24 })

export interface TerminalImage {
  pixels: Uint8ClampedArray
  width: number
  height: number
}

type Rgb = [number, number, number]

// A colour code (Select Graphic Rendition), ESC [ … m.
const ESC = String.fromCharCode(27)
const SGR = new RegExp(`^${ESC}\\[([0-9;]*)m$`)
const SGR_SPLIT = new RegExp(`(${ESC}\\[[0-9;]*m)`)

const CELL_W = 8
const CELL_H = 16
const THEME = { background: [30, 30, 30] as Rgb, foreground: [208, 208, 208] as Rgb }
/** The 16 ANSI colours as a typical dark theme draws them. */
const PALETTE: Rgb[] = [
  [0, 0, 0],
  [205, 49, 49],
  [13, 188, 121],
  [229, 229, 16],
  [36, 114, 200],
  [188, 63, 188],
  [17, 168, 205],
  [204, 204, 204],
  [102, 102, 102],
  [241, 76, 76],
  [35, 209, 139],
  [245, 245, 67],
  [59, 142, 234],
  [214, 112, 214],
  [41, 184, 219],
  [255, 255, 255]
]

export function terminalImage(
  capture: string,
  { columns, rows }: { columns: number; rows: number }
): TerminalImage {
  const width = columns * CELL_W
  const height = rows * CELL_H
  const pixels = new Uint8ClampedArray(width * height * 4)
  const fill = (x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb) => {
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const i = (y * width + x) * 4
        pixels[i] = r
        pixels[i + 1] = g
        pixels[i + 2] = b
        pixels[i + 3] = 255
      }
    }
  }
  fill(0, 0, width, height, THEME.background)

  // tmux writes a colour code only where the colour changes, so it carries across lines.
  let fg = THEME.foreground
  let bg = THEME.background
  const lines = capture.split('\n').slice(0, rows)
  lines.forEach((line, row) => {
    let column = 0
    for (const part of line.split(SGR_SPLIT)) {
      const sgr = SGR.exec(part)
      if (sgr) {
        ;[fg, bg] = applySgr(sgr[1] ?? '', fg, bg)
        continue
      }
      for (const char of part) {
        if (column >= columns) break
        const x = column * CELL_W
        const y = row * CELL_H
        const half = CELL_H / 2
        fill(x, y, CELL_W, half, char === '▀' || char === '█' ? fg : bg)
        fill(x, y + half, CELL_W, half, char === '▄' || char === '█' ? fg : bg)
        if (char !== ' ' && char !== '▀' && char !== '▄' && char !== '█') {
          fill(x + 2, y + 3, CELL_W - 4, CELL_H - 6, fg)
        }
        column++
      }
    }
  })
  return { pixels, width, height }
}

function applySgr(params: string, fg: Rgb, bg: Rgb): [Rgb, Rgb] {
  const codes = params === '' ? [0] : params.split(';').map(Number)
  for (const code of codes) {
    if (code === 0) [fg, bg] = [THEME.foreground, THEME.background]
    else if (code === 39) fg = THEME.foreground
    else if (code === 49) bg = THEME.background
    else if (code >= 30 && code <= 37) fg = PALETTE[code - 30] as Rgb
    else if (code >= 90 && code <= 97) fg = PALETTE[code - 90 + 8] as Rgb
    else if (code >= 40 && code <= 47) bg = PALETTE[code - 40] as Rgb
    else if (code >= 100 && code <= 107) bg = PALETTE[code - 100 + 8] as Rgb
  }
  return [fg, bg]
}
