/** The small notation in which ai-table.generated.ts is written. */
import type { AiComponent, AiDefinition, ComponentType } from './dictionary.ts';

export const FIXED = 1;
export const DL_ATTR = 2;

/** `(len, …linters)` is a fixed length; `(min, max, …linters)` a range (linters are strings). */
function component(
  type: ComponentType,
  optional: boolean,
  a: number,
  b?: number | string,
  rest: string[] = [],
): AiComponent {
  if (typeof b === 'number') return { type, min: a, max: b, optional, linters: rest };
  return { type, min: a, max: a, optional, linters: b === undefined ? rest : [b, ...rest] };
}
// N(14, 'csum') = exactly 14 digits; N(1, 20) = 1 to 20 digits. Optional forms start with `o`.
export const N = (a: number, b?: number | string, ...rest: string[]) => component('N', false, a, b, rest);
export const X = (a: number, b?: number | string, ...rest: string[]) => component('X', false, a, b, rest);
export const Y = (a: number, b?: number | string, ...rest: string[]) => component('Y', false, a, b, rest);
export const Z = (a: number, b?: number | string, ...rest: string[]) => component('Z', false, a, b, rest);
export const oN = (a: number, b?: number | string, ...rest: string[]) => component('N', true, a, b, rest);
export const oX = (a: number, b?: number | string, ...rest: string[]) => component('X', true, a, b, rest);

interface Extra {
  req?: string[][][];
  ex?: string[];
  key?: string[][];
}

/** One AI, or an inclusive range `first..last` of AIs sharing a definition. */
export function ai(first: string, ...args: unknown[]): AiDefinition[] {
  const last = typeof args[1] === 'string' ? (args.shift() as string) : first;
  const [title, flags, components, extra = {}] = args as [string, number, AiComponent[], Extra?];
  const out: AiDefinition[] = [];
  for (let v = Number(first); v <= Number(last); v++) {
    out.push({
      ai: String(v).padStart(first.length, '0'),
      title,
      fixedLength: (flags & FIXED) !== 0,
      dlDataAttr: (flags & DL_ATTR) !== 0,
      components,
      req: extra.req ?? [],
      ex: extra.ex ?? [],
      dlPrimaryKey: extra.key ?? null,
    });
  }
  return out;
}
