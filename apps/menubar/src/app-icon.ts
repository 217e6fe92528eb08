// The app icon (Finder, the .dmg, Login Items), drawn in code like the tray icons: the
// "ready" glyph in white on a dark rounded square. electron-builder turns the 1024-pixel PNG
// into the .icns it needs; `npm run icon` writes it to build/icon.png before packaging.
//
//   node dist/src/app-icon.js build/icon.png

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { disc, drawPng, ring, roundedSquare } from './png.js'

export const APP_ICON_SIZE = 1024

export function appIconPng(size = APP_ICON_SIZE): Buffer {
  return drawPng(size, [
    { shape: roundedSquare(0.1, 0.18), color: [0x1f, 0x25, 0x33] },
    { shape: ring(0.5, 0.5, 0.28, 0.21), color: [0xff, 0xff, 0xff] },
    { shape: disc(0.5, 0.5, 0.13), color: [0xff, 0xff, 0xff] }
  ])
}

export async function writeAppIcon(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, appIconPng())
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = process.argv[2]
  if (!file) {
    process.stderr.write('usage: node app-icon.js <out.png>\n')
    process.exit(2)
  }
  await writeAppIcon(file)
}
