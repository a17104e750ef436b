/** Small statistics for benchmark samples. Pure functions, no I/O. */

/**
 * The p-th percentile (0–100) of `values`, by linear interpolation between the closest ranks
 * (the same definition as numpy's default and Excel's PERCENTILE.INC). Throws on an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Operations per second for `ops` operations that took `nanoseconds`. */
export function opsPerSecond(ops: number, nanoseconds: bigint | number): number {
  const ns = typeof nanoseconds === 'bigint' ? Number(nanoseconds) : nanoseconds;
  if (ns <= 0) return Number.POSITIVE_INFINITY;
  return (ops * 1e9) / ns;
}

/** `a / b`, the way every figure is reported: relative to a baseline measured in the same run. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.POSITIVE_INFINITY : a / b;
}
