/** One check of the EPCIS conformance suite: a named case in a group, run on demand. */
import type { Outcome } from '../gs1/types.ts';

export type { Outcome };

export interface EpcisCase {
  /** Stable id: the file path relative to the conformance folder, plus a suffix where needed. */
  id: string;
  run(): Outcome | Promise<Outcome>;
}

/** A group builds its cases from the conformance folder (`../shared/conformance`). */
export interface EpcisGroup {
  name: string;
  cases(root: string): EpcisCase[];
}
