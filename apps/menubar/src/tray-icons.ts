// The menu bar icon, one per state, drawn in code as macOS template images (black with
// alpha; macOS tints them for light and dark menu bars). The glyphs follow the CLI's status
// line: ○ stopped, ● ready, ◐ busy, and ⊘ when the host can't answer (its `unavailable`:
// Ollama not running, the model not installed, no model), or stopped with Ollama not running.
//
//   const name = trayIconFor(host.state)             // 'ready'
//   image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(name, 2) })
//
// Icons are 18 points square; the @2x representation keeps them sharp on Retina screens.

import type { HostState } from '@localllm/host'
import { disc, drawPng, intersect, ring, stroke, union, type Shape } from './png.js'

export type TrayIconName = 'stopped' | 'ready' | 'busy' | 'unavailable'

export const TRAY_ICON_NAMES: readonly TrayIconName[] = ['stopped', 'ready', 'busy', 'unavailable']

/** Icon size in points (pixels at scale 1). */
export const TRAY_ICON_POINTS = 18

export function trayIconFor(state: Pick<HostState, 'status' | 'ollama'>): TrayIconName {
  if (state.status === 'unavailable' || state.ollama === 'unreachable') return 'unavailable'
  if (state.status === 'ready') return 'ready'
  if (state.status === 'busy') return 'busy'
  return 'stopped'
}

export function trayIconPng(name: TrayIconName, scale: 1 | 2): Buffer {
  return drawPng(TRAY_ICON_POINTS * scale, [{ shape: GLYPHS[name], color: [0, 0, 0] }])
}

const OUTER = 0.4
const INNER = 0.29
const outline = ring(0.5, 0.5, OUTER, INNER)

const GLYPHS: Record<TrayIconName, Shape> = {
  stopped: outline,
  ready: disc(0.5, 0.5, OUTER),
  busy: union(
    outline,
    intersect(disc(0.5, 0.5, OUTER), (x) => x <= 0.5)
  ),
  unavailable: union(outline, stroke(0.25, 0.75, 0.75, 0.25, OUTER - INNER))
}
