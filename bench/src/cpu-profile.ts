// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went: self time
// per function, summed over every call site of it, largest first.
//
//   const { functions, areas } = await summarizeProfile(file, 15, repoRoot)
//   // functions: [{ function: 'encodeLine', location: 'packages/protocol/dist/src/ndjson.js:97', ms, share }]

import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface SelfTime {
  function: string
  location: string
  ms: number
  share: number
}

export interface ProfileSummary {
  /** Busy time: every sample but (idle). */
  busyMs: number
  /** Self time by function, largest first; shares are of busy time. */
  functions: SelfTime[]
  /** Self time by package or area (packages/core, node_modules/streamx, node internals…). */
  areas: { area: string; ms: number; share: number }[]
}

export async function summarizeProfile(
  file: string,
  count: number,
  root: string
): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  const functions = new Map<string, SelfTime>()
  const areas = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const frame = byNode.get(id)?.callFrame
    if (!frame || frame.functionName === '(idle)') return
    busy += ms
    const name = frame.functionName || '(anonymous)'
    const path = frame.url ? shorten(frame.url, root) : ''
    const location = path ? `${path}:${frame.lineNumber + 1}` : ''
    const key = `${name} ${location}`
    const entry = functions.get(key) ?? { function: name, location, ms: 0, share: 0 }
    entry.ms += ms
    functions.set(key, entry)
    const area = areaOf(path, name)
    areas.set(area, (areas.get(area) ?? 0) + ms)
  })
  const share = (ms: number) => (busy > 0 ? ms / busy : 0)
  return {
    busyMs: busy,
    functions: [...functions.values()]
      .map((entry) => ({ ...entry, share: share(entry.ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, count),
    areas: [...areas.entries()]
      .map(([area, ms]) => ({ area, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, count)
  }
}

function areaOf(path: string, name: string): string {
  if (path === '') return name.startsWith('(') ? name : '(native)'
  if (path.startsWith('node:')) return 'node internals'
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (dep) return `node_modules/${dep[1]}`
  const ours = /^(packages|apps)\/[^/]+(\/[^/]+)?/.exec(path)
  if (ours) return ours[0].replace(/\/(dist|src)$/, '')
  return path
}

function shorten(url: string, root: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(root) ? path.slice(root.length) : path
}
