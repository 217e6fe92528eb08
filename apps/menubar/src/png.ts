// Small images drawn in code: shapes in unit coordinates (0..1 across the image) painted with
// anti-aliased edges, then encoded as PNG by pngjs. The tray icons and the app icon come
// from here, so no binary image is kept in the repository.
//
//   const png = drawPng(36, [{ shape: ring(0.5, 0.5, 0.4, 0.3), color: [0, 0, 0] }])
//
// Edges are anti-aliased by sampling each pixel on a 4×4 grid.

import { PNG } from 'pngjs'

/** Whether the point (x, y), in unit coordinates, is inside. */
export type Shape = (x: number, y: number) => boolean

export interface Layer {
  shape: Shape
  color: readonly [number, number, number]
}

const GRID = 4

/** Paints the layers, first at the bottom, onto a transparent square of `size` pixels. */
export function drawPng(size: number, layers: Layer[]): Buffer {
  const rgba = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0]
      for (const layer of layers) {
        const cover = coverage(layer.shape, px, py, size)
        if (cover === 0) continue
        // "Source over" compositing, straight (not premultiplied) alpha.
        const outA = cover + a * (1 - cover)
        const mix = (src: number, dst: number) => (src * cover + dst * a * (1 - cover)) / outA
        r = mix(layer.color[0], r)
        g = mix(layer.color[1], g)
        b = mix(layer.color[2], b)
        a = outA
      }
      const i = (py * size + px) * 4
      rgba[i] = Math.round(r)
      rgba[i + 1] = Math.round(g)
      rgba[i + 2] = Math.round(b)
      rgba[i + 3] = Math.round(a * 255)
    }
  }
  return encodePng(size, size, rgba)
}

export function disc(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

export function ring(cx: number, cy: number, outer: number, inner: number): Shape {
  return (x, y) => {
    const d = (x - cx) ** 2 + (y - cy) ** 2
    return d <= outer * outer && d >= inner * inner
  }
}

/** A stroke of width `w` from (x1, y1) to (x2, y2) with round ends. */
export function stroke(x1: number, y1: number, x2: number, y2: number, w: number): Shape {
  const dx = x2 - x1
  const dy = y2 - y1
  const length2 = dx * dx + dy * dy
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length2))
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= (w / 2) ** 2
  }
}

export function roundedSquare(inset: number, radius: number): Shape {
  const lo = inset + radius
  const hi = 1 - inset - radius
  return (x, y) => {
    const nx = Math.max(lo, Math.min(hi, x))
    const ny = Math.max(lo, Math.min(hi, y))
    return (x - nx) ** 2 + (y - ny) ** 2 <= radius * radius
  }
}

export function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y))
}

export function intersect(...shapes: Shape[]): Shape {
  return (x, y) => shapes.every((shape) => shape(x, y))
}

/** RGBA pixels, row by row, as a PNG file. */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const png = new PNG({ width, height })
  png.data.set(rgba)
  return PNG.sync.write(png, { deflateLevel: 9 })
}

function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0
  for (let sy = 0; sy < GRID; sy++) {
    for (let sx = 0; sx < GRID; sx++) {
      if (shape((px + (sx + 0.5) / GRID) / size, (py + (sy + 0.5) / GRID) / size)) hits++
    }
  }
  return hits / (GRID * GRID)
}
