/**
 * Input forms handled by other modules of the package (Digital Link, EPC URIs). Returns undefined
 * when the input is none of them.
 */
import type { Result } from './errors.ts';
import type { Gs1Data, ParseOptions } from './parse.ts';

export function parseInputExtensions(_s: string, _opts: ParseOptions): Result<Gs1Data> | undefined {
  return undefined;
}
