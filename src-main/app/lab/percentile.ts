/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: always a value that was
 * measured, so "p95 hops" is a whole number of hops. NaN for no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  return samples.reduce((sum, x) => sum + x, 0) / samples.length;
}
