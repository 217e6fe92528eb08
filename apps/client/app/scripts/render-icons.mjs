// Renders the app's icon and splash PNGs from assets/icon.svg with Debian's Chromium
// (driven by playwright-core from the repo root): `npm run icons` (node scripts/render-icons.mjs).
// Each variant restyles the one SVG (hides the background, recolours the mark, scales it
// into Android's safe zone) and is written as assets/<name>.png; app.json points at them.
// Chromium rasterises the SVG onto a canvas; pngjs encodes the pixels, as RGB for the opaque
// iOS icon (App Store icons must have no alpha channel), RGBA otherwise.

/* eslint-disable no-restricted-imports -- a Node build script; it never runs under Bare */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PNG } from 'pngjs'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(app, '../../..')
const { chromium } = createRequire(join(root, 'package.json'))('playwright-core')
const svg = readFileSync(join(app, 'assets/icon.svg'), 'utf8')

// The mark alone, without the background square, for the icons the system puts on a colour.
const markOnly = '#background { display: none }'
// Android masks the adaptive icon's 108 dp square to shapes as small as its central 66 dp circle.
const safeZone =
  '#mark { transform: translate(512px, 512px) scale(0.68) translate(-572px, -436px) }'

const variants = [
  { name: 'icon', size: 1024, opaque: true, css: '' },
  { name: 'favicon', size: 48, css: '#background { rx: 220px }' },
  { name: 'adaptive-icon', size: 1024, css: `${markOnly} ${safeZone}` },
  // Splash (expo-splash-screen): the mark on the app's own background, light and dark, in
  // the accent colours of src/components/theme.ts.
  {
    name: 'splash-icon',
    size: 1024,
    css: `${markOnly} .bubble { fill: #0a64d8 } .link { fill: #ffffff; stroke: #ffffff } .spark { fill: #f5a300 }`
  },
  {
    name: 'splash-icon-dark',
    size: 1024,
    css: `${markOnly} .link { fill: #000000; stroke: #000000 } .bubble { fill: #4c9bff }`
  }
]

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true })
try {
  const page = await browser.newPage()
  for (const variant of variants) {
    const styled = svg.replace('</svg>', `<style>${variant.css}</style></svg>`)
    const rgba = await page.evaluate(rasterise, { svg: styled, size: variant.size })
    const png = encodePng(variant.size, Buffer.from(rgba, 'base64'), !!variant.opaque)
    const out = join(app, `assets/${variant.name}.png`)
    writeFileSync(out, png)
    console.log(`${variant.name}.png: ${variant.size}×${variant.size}, ${png.length} bytes`)
  }
} finally {
  await browser.close()
}

// Runs in the page: the SVG drawn onto a canvas, its RGBA pixels as base64.
async function rasterise({ svg, size }) {
  const image = new Image(size, size)
  image.src = `data:image/svg+xml;base64,${btoa(svg)}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = size
  const context = canvas.getContext('2d')
  context.drawImage(image, 0, 0, size, size)
  const bytes = context.getImageData(0, 0, size, size).data
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

// A PNG of the canvas's pixels; the opaque one keeps the colour channels and drops alpha.
function encodePng(size, rgba, opaque) {
  // Unfiltered rows and zlib's default strategy: for these flat images a tenth of the size
  // pngjs's defaults (adaptive filters, run-length strategy) give.
  const compact = { filterType: 0, deflateStrategy: 0 }
  if (!opaque) return PNG.sync.write({ width: size, height: size, data: rgba }, compact)
  const rgb = Buffer.alloc(size * size * 3)
  for (let i = 0, o = 0; i < rgba.length; i += 4) {
    rgb[o++] = rgba[i]
    rgb[o++] = rgba[i + 1]
    rgb[o++] = rgba[i + 2]
  }
  return PNG.sync.write(
    { width: size, height: size, data: rgb },
    { ...compact, colorType: 2, inputColorType: 2, inputHasAlpha: false }
  )
}
