/**
 * Errors are values. Every GS1 operation that can fail returns a {@link Gs1Problem} list instead of
 * throwing, so that a caller (a scanner log check, a capture pipeline) can report all of them.
 */
export interface Gs1Problem {
  /** Stable machine code: a reference linter name (`GS1_LINTER_…`) where one fits, else an `RX_…` code. */
  code: string;
  /** A sentence a pharmacist or a line operator understands. */
  message: string;
  /** The AI the problem belongs to, when there is one. */
  ai?: string;
  /** Offset (0-based, in UTF-16 code units) of the offending characters in the input as given. */
  position?: number;
  /** Number of offending characters from `position`. */
  length?: number;
  /** For a value fault: the span (in the input as given) of the value component that holds it. */
  component?: { start: number; length: number };
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Gs1Problem[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string, extra: Partial<Gs1Problem> = {}): Result<T> {
  return { ok: false, errors: [{ code, message, ...extra }] };
}

export function problem(code: string, message: string, extra: Partial<Gs1Problem> = {}): Gs1Problem {
  return { code, message, ...extra };
}

/** Thrown only by the `…OrThrow` convenience wrappers, never by the core functions. */
export class Gs1Error extends Error {
  readonly problems: Gs1Problem[];
  constructor(problems: Gs1Problem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'Gs1Error';
    this.problems = problems;
  }
}

export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new Gs1Error(r.errors);
}

/** Renders an input with the offending characters of a problem marked between `|…|`. */
export function markup(input: string, p: Gs1Problem): string {
  if (p.position === undefined) return input;
  const end = p.position + (p.length ?? 0);
  return `${input.slice(0, p.position)}|${input.slice(p.position, end)}|${input.slice(end)}`;
}
