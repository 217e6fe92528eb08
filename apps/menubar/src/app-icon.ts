// The app icon (Finder, the .dmg, Login Items), drawn in code like the tray icons: the
// "ready" glyph in white on a dark rounded square, written as the .icns a Mac app bundle
// carries. `npm run icon` writes build/icon.icns, which electron-builder uses as it is.
//
//   node dist/src/app-icon.js build/icon.icns
//
// We write the .icns ourselves because electron-builder, given a PNG on Linux, downloads
// a converter bundle, and the packaging check runs without a network.

import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { disc, drawPng, ring, roundedSquare } from './png.js'

export function appIconPng(size: number): Buffer {
  return drawPng(size, [
    { shape: roundedSquare(0.1, 0.18), color: [0x1f, 0x25, 0x33] },
    { shape: ring(0.5, 0.5, 0.28, 0.21), color: [0xff, 0xff, 0xff] },
    { shape: disc(0.5, 0.5, 0.13), color: [0xff, 0xff, 0xff] }
  ])
}

/** The .icns entry types that hold PNG data, with their size in pixels. */
export const ICNS_ENTRIES: ReadonlyArray<readonly [type: string, pixels: number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16 pt @2x
  ['icp6', 64],
  ['ic12', 64], // 32 pt @2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128 pt @2x
  ['ic09', 512],
  ['ic14', 512], // 256 pt @2x
  ['ic10', 1024] // 512 pt @2x
]

/** An Apple icon file: "icns", its length, then (type, length, PNG) entries. */
export function appIconIcns(): Buffer {
  const pngs = new Map<number, Buffer>()
  const entries = ICNS_ENTRIES.map(([type, pixels]) => {
    let png = pngs.get(pixels)
    if (!png) pngs.set(pixels, (png = appIconPng(pixels)))
    return Buffer.concat([header(type, png.length + 8), png])
  })
  const body = Buffer.concat(entries)
  return Buffer.concat([header('icns', body.length + 8), body])
}

export async function writeAppIcon(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, appIconIcns())
}

function header(type: string, length: number): Buffer {
  const out = Buffer.alloc(8)
  out.write(type, 0, 'latin1')
  out.writeUInt32BE(length, 4)
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = process.argv[2]
  if (!file) {
    process.stderr.write('usage: node app-icon.js <out.icns>\n')
    process.exit(2)
  }
  await writeAppIcon(file)
}
