/**
 * Timing with `process.hrtime.bigint()`. A benchmark body runs one *pass* (for example one parse of
 * every input of a set) and says how many operations the pass did; `measure` repeats passes for a
 * fixed time after a warm-up and keeps the duration of every pass as a sample.
 */
import { opsPerSecond, percentile } from './stats.ts';

/** One pass of a benchmark: does some work and returns the number of operations it did. */
export type Pass = () => number;

export interface MeasureOptions {
  /** Time spent running passes before measuring (JIT warm-up). Default 300 ms. */
  warmupMs?: number;
  /** Time spent measuring. Default 1000 ms. At least `minPasses` passes run whatever the time. */
  durationMs?: number;
  minPasses?: number;
}

export interface Measurement {
  /** Operations done in the measured passes. */
  ops: number;
  /** Total measured time, nanoseconds. */
  nanoseconds: bigint;
  /** Nanoseconds per operation of each measured pass. */
  nsPerOp: number[];
}

/** Something the optimiser cannot prove unused: benchmark bodies may add their results to it. */
export const sink = { value: 0 };

export const now = (): bigint => process.hrtime.bigint();

/** Runs `pass` for `ms` milliseconds (at least once) and returns the number of passes run. */
export function warmUp(pass: Pass, ms: number): number {
  const end = now() + BigInt(Math.round(ms * 1e6));
  let n = 0;
  do {
    sink.value += pass();
    n++;
  } while (now() < end);
  return n;
}

export function measure(pass: Pass, opts: MeasureOptions = {}): Measurement {
  const { warmupMs = 300, durationMs = 1000, minPasses = 3 } = opts;
  if (warmupMs > 0) warmUp(pass, warmupMs);
  return sample(pass, durationMs, minPasses);
}

/** Measures passes for `durationMs` without warm-up (see {@link measure}). */
export function sample(pass: Pass, durationMs: number, minPasses = 1): Measurement {
  const budget = BigInt(Math.round(durationMs * 1e6));
  const nsPerOp: number[] = [];
  let ops = 0;
  let total = 0n;
  while (total < budget || nsPerOp.length < minPasses) {
    const t0 = now();
    const n = pass();
    const dt = now() - t0;
    sink.value += n;
    ops += n;
    total += dt;
    nsPerOp.push(n > 0 ? Number(dt) / n : 0);
  }
  return { ops, nanoseconds: total, nsPerOp };
}

/** Adds up measurements of the same benchmark (for example rounds interleaved with others). */
export function combine(ms: readonly Measurement[]): Measurement {
  let ops = 0;
  let nanoseconds = 0n;
  for (const m of ms) {
    ops += m.ops;
    nanoseconds += m.nanoseconds;
  }
  // concat, not push(...): a pass of a few nanoseconds leaves more samples than a call has arguments.
  return { ops, nanoseconds, nsPerOp: ([] as number[]).concat(...ms.map((m) => m.nsPerOp)) };
}

export interface Summary {
  opsPerSec: number;
  /** Per-operation time of the median, 10th and 90th percentile pass, nanoseconds. */
  p50: number;
  p10: number;
  p90: number;
  passes: number;
}

export function summarize(m: Measurement): Summary {
  return {
    opsPerSec: opsPerSecond(m.ops, m.nanoseconds),
    p50: percentile(m.nsPerOp, 50),
    p10: percentile(m.nsPerOp, 10),
    p90: percentile(m.nsPerOp, 90),
    passes: m.nsPerOp.length,
  };
}

/**
 * Measures several benchmarks fairly: each is warmed up, then they are sampled in `rounds`
 * interleaved rounds (A B C A B C …) so that drift in machine load falls on all of them alike.
 */
export function measureInterleaved<K extends string>(
  passes: Readonly<Record<K, Pass>>,
  opts: MeasureOptions & { rounds?: number } = {},
): Record<K, Measurement> {
  const { warmupMs = 300, durationMs = 1000, rounds = 4, minPasses = 3 } = opts;
  const names = Object.keys(passes) as K[];
  for (const n of names) warmUp(passes[n], warmupMs);
  const parts = Object.fromEntries(names.map((n) => [n, [] as Measurement[]])) as Record<K, Measurement[]>;
  const per = durationMs / rounds;
  for (let r = 0; r < rounds; r++) {
    for (const n of names) parts[n].push(sample(passes[n], per, Math.ceil(minPasses / rounds)));
  }
  return Object.fromEntries(names.map((n) => [n, combine(parts[n])])) as Record<K, Measurement>;
}

// ---- Asynchronous passes (a streaming reader consumed with `for await`)

/** A pass that may be asynchronous: resolves to the number of operations it did. */
export type AsyncPass = () => number | Promise<number>;

/** {@link warmUp} for passes that may be asynchronous. */
export async function warmUpAsync(pass: AsyncPass, ms: number): Promise<number> {
  const end = now() + BigInt(Math.round(ms * 1e6));
  let n = 0;
  do {
    sink.value += await pass();
    n++;
  } while (now() < end);
  return n;
}

/** {@link sample} for passes that may be asynchronous (the time of a pass includes its awaits). */
export async function sampleAsync(pass: AsyncPass, durationMs: number, minPasses = 1): Promise<Measurement> {
  const budget = BigInt(Math.round(durationMs * 1e6));
  const nsPerOp: number[] = [];
  let ops = 0;
  let total = 0n;
  while (total < budget || nsPerOp.length < minPasses) {
    const t0 = now();
    const n = await pass();
    const dt = now() - t0;
    sink.value += n;
    ops += n;
    total += dt;
    nsPerOp.push(n > 0 ? Number(dt) / n : 0);
  }
  return { ops, nanoseconds: total, nsPerOp };
}

/** {@link measureInterleaved} for passes that may be asynchronous. */
export async function measureInterleavedAsync<K extends string>(
  passes: Readonly<Record<K, AsyncPass>>,
  opts: MeasureOptions & { rounds?: number } = {},
): Promise<Record<K, Measurement>> {
  const { warmupMs = 300, durationMs = 1000, rounds = 4, minPasses = 3 } = opts;
  const names = Object.keys(passes) as K[];
  for (const n of names) await warmUpAsync(passes[n], warmupMs);
  const parts = Object.fromEntries(names.map((n) => [n, [] as Measurement[]])) as Record<K, Measurement[]>;
  const per = durationMs / rounds;
  for (let r = 0; r < rounds; r++) {
    for (const n of names) parts[n].push(await sampleAsync(passes[n], per, Math.ceil(minPasses / rounds)));
  }
  return Object.fromEntries(names.map((n) => [n, combine(parts[n])])) as Record<K, Measurement>;
}

/** The fastest pass of a measurement, in nanoseconds per operation (best of N: the least disturbed by other load). */
export function bestNsPerOp(m: Measurement): number {
  let best = Number.POSITIVE_INFINITY;
  for (const x of m.nsPerOp) if (x > 0 && x < best) best = x;
  return best;
}
