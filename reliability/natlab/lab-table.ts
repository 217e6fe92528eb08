// Turns the lab's attempts into the table people read: per row, how many connected, how fast
// (median and max), by which path, and how soon a relayed connection went direct.
//
//   const row = summarize(attempts)      // { connected: '3/3', connectS: '0.05 (0.07)', … }
//   console.log(markdownTable(rows))

export interface Attempt {
  connected: boolean
  /** From the client's first look-up (or the process start, said per table) to connected. */
  connectMs?: number
  /** From the swarm's `join` to connected (the DHT already bootstrapped). */
  fromJoinMs?: number
  path?: 'direct' | 'relayed'
  /** Relayed, then direct: ms from connected to the switch. */
  switchMs?: number
  /** Why it failed (hyperdht codes, the product's error code), or notes. */
  notes: string[]
}

export interface RowSummary {
  label: string
  connected: string
  connectS: string
  fromJoinS: string
  path: string
  switchS: string
  notes: string
}

export function summarize(label: string, attempts: Attempt[]): RowSummary {
  const ok = attempts.filter((a) => a.connected)
  const times = ok.map((a) => a.connectMs ?? NaN).filter((t) => !Number.isNaN(t))
  const paths = new Map<string, number>()
  for (const a of ok) {
    const path = a.path === 'relayed' && a.switchMs !== undefined ? 'relayed→direct' : a.path
    paths.set(path ?? '?', (paths.get(path ?? '?') ?? 0) + 1)
  }
  const fromJoin = ok.map((a) => a.fromJoinMs).filter((t): t is number => t !== undefined)
  const switches = ok.map((a) => a.switchMs).filter((t): t is number => t !== undefined)
  const notes = new Map<string, number>()
  for (const a of attempts) for (const n of new Set(a.notes)) notes.set(n, (notes.get(n) ?? 0) + 1)
  return {
    label,
    connected: `${ok.length}/${attempts.length}`,
    connectS: times.length ? `${seconds(median(times))} (${seconds(Math.max(...times))})` : '—',
    fromJoinS: fromJoin.length
      ? `${seconds(median(fromJoin))} (${seconds(Math.max(...fromJoin))})`
      : '—',
    path: [...paths].map(([p, n]) => `${p} ${n}`).join(', ') || '—',
    switchS: switches.length
      ? `${seconds(median(switches))} (${seconds(Math.max(...switches))})`
      : '—',
    notes: [...notes].map(([n, k]) => `${n} ×${k}`).join(', ')
  }
}

export function markdownTable(rows: RowSummary[]): string {
  const columns = ['pair', 'connected', 'connect s, median (max)', 'from join s', 'path']
  columns.push('to direct s, median (max)', 'notes')
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  const body = rows.map((r) =>
    line([r.label, r.connected, r.connectS, r.fromJoinS, r.path, r.switchS, r.notes])
  )
  return [line(columns), line(columns.map(() => '---')), ...body].join('\n')
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2)
}
