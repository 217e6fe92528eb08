// The menu bar icons: real PNGs at 1× and 2×, template images (black with alpha only), one
// look per state, and the app icon big enough for electron-builder.
import test from 'brittle'
import { PNG } from 'pngjs'
import { appIconIcns, ICNS_ENTRIES } from '../src/app-icon.js'
import { TRAY_ICON_NAMES, TRAY_ICON_POINTS, trayIconPng } from '../src/tray-icons.js'

test('every tray icon is a template PNG at 18 pt, 1× and 2×', (t) => {
  for (const name of TRAY_ICON_NAMES) {
    for (const scale of [1, 2] as const) {
      const png = PNG.sync.read(trayIconPng(name, scale))
      t.is(png.width, TRAY_ICON_POINTS * scale, `${name} @${scale}x width`)
      t.is(png.height, TRAY_ICON_POINTS * scale)
      let colored = 0
      let opaque = 0
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i] || png.data[i + 1] || png.data[i + 2]) colored++
        if ((png.data[i + 3] ?? 0) > 128) opaque++
      }
      t.is(colored, 0, `${name} @${scale}x is black with alpha only`)
      t.ok(opaque > 20, `${name} @${scale}x draws something`)
    }
  }
})

test('the four states look different from each other', (t) => {
  const images = TRAY_ICON_NAMES.map((name) => PNG.sync.read(trayIconPng(name, 2)).data)
  for (let a = 0; a < images.length; a++) {
    for (let b = a + 1; b < images.length; b++) {
      let differing = 0
      const x = images[a] as Buffer
      const y = images[b] as Buffer
      for (let i = 3; i < x.length; i += 4) {
        if (Math.abs((x[i] ?? 0) - (y[i] ?? 0)) > 128) differing++
      }
      t.ok(differing > 30, `${TRAY_ICON_NAMES[a]} vs ${TRAY_ICON_NAMES[b]}: ${differing} pixels`)
    }
  }
})

test('the app icon is an .icns file with every size up to 1024 pixels', (t) => {
  const icns = appIconIcns()
  t.is(icns.toString('latin1', 0, 4), 'icns')
  t.is(icns.readUInt32BE(4), icns.length, 'the header carries the file length')
  const found: Array<[string, number]> = []
  for (let at = 8; at < icns.length;) {
    const type = icns.toString('latin1', at, at + 4)
    const length = icns.readUInt32BE(at + 4)
    const png = PNG.sync.read(icns.subarray(at + 8, at + length))
    t.is(png.width, png.height, `${type} is square`)
    found.push([type, png.width])
    at += length
  }
  t.alike(
    found,
    ICNS_ENTRIES.map(([type, pixels]) => [type, pixels])
  )
})
