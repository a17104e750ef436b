/**
 * Input forms handled by other modules of the package (Digital Link, EPC URIs). Returns undefined
 * when the input is none of them.
 */
import type { AiElement } from './elements.ts';
import type { Result } from './errors.ts';
import type { Gs1Data, ParseOptions } from './parse.ts';

export function parseInputExtensions(_s: string, _opts: ParseOptions): Result<Gs1Data> | undefined {
  return undefined;
}

/** The canonical Digital Link URI of the elements, or undefined when they cannot form one. */
export function formatDigitalLinkIfPossible(_elements: readonly AiElement[], _stem?: string): string | undefined {
  return undefined;
}
