// Percentiles over samples, the one way every figure in the report is summarised.
//
//   summarize([1.2, 0.9, 3.4])   // { n: 3, p50: 1.2, p95: 3.4, p99: 3.4, mean: 1.83, min: 0.9, max: 3.4 }
//
// Nearest-rank percentiles: every reported value is one that was actually measured.

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  mean: number
  min: number
  max: number
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0)
    return { n: 0, p50: NaN, p95: NaN, p99: NaN, mean: NaN, min: NaN, max: NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number
  const sum = sorted.reduce((a, b) => a + b, 0)
  return {
    n: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    mean: sum / sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number
  }
}
