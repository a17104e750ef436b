/** One record of a `../shared/conformance/gs1-vectors/*.jsonl` file (format in that folder's README). */
export interface Vector {
  id: string;
  kind: string;
  input: unknown;
  options?: Record<string, unknown>;
  expected?: unknown;
  expect_error?: boolean | string;
  expected_highlight?: string;
  expected_markup?: string;
  check?: string;
  linter?: string;
  scheme?: string;
  operation?: string;
  note?: string;
}

/** A handler answers whether the library's behaviour matches the vector; `detail` explains a miss. */
export type Outcome = { pass: true } | { pass: false; detail: string };
export type Handler = (v: Vector, ctx: RunContext) => Outcome;

export interface RunContext {
  /** The vectors folder being run, for handlers that read a sibling data file (the GCP table). */
  dir: string;
}

export const pass: Outcome = { pass: true };
export function expectEqual(actual: unknown, expected: unknown, what = 'result'): Outcome {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return a === e ? pass : { pass: false, detail: `${what}: expected ${e}, got ${a}` };
}
