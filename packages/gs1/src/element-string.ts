/**
 * Element strings: the AI data inside a GS1 barcode, in two written forms.
 * - Unbracketed (GS1 Syntax Engine notation): `^0109506000134376^10LOT` where `^` is FNC1, a leading
 *   `^` marks GS1 mode, and a real ASCII GS (0x1D) is accepted wherever `^` is.
 * - Bracketed / HRI: `(01)09506000134376(10)LOT`, with `\(` for a literal bracket inside a value.
 * A `|` separates the linear and the 2D component of a composite symbol.
 */
import { AI_DEFINITIONS, aiLengthFromPrefix, knownAiAt, lookupAi, maxValueLength } from './ai-table.ts';
import { GS } from './charsets.ts';
import type { AiDefinition } from './dictionary.ts';
import type { AiElement } from './elements.ts';
import type { Gs1Problem, Result } from './errors.ts';
import { type ValidationOptions, type ValueProblem, validateAgainst, validateValue } from './validate.ts';

export interface ElementStringOptions extends ValidationOptions {}

/** Parsed AI data: the elements, and where the 2D component of a composite starts (if any). */
export interface ParsedElements {
  elements: AiElement[];
  /** Number of elements in the linear component when the input was a composite (`…|…`). */
  linearCount?: number;
}

function valueProblemAt(p: ValueProblem, valueStart: number): Gs1Problem {
  const { valuePosition, componentStart, componentLength, ...rest } = p;
  const out: Gs1Problem = { ...rest };
  if (valuePosition !== undefined) out.position = valueStart + valuePosition;
  if (componentStart !== undefined && componentLength !== undefined)
    out.component = { start: valueStart + componentStart, length: componentLength };
  return out;
}

const isFnc1 = (c: number) => c === 0x5e /* ^ */ || c === 0x1d; /* GS */

/** A known AI and the length of its value when it is fixed-length (else 0). */
interface KnownAi {
  def: AiDefinition;
  fixedLength: number;
}

/**
 * The known AIs by their numeric value, one table per AI length, so that the AI at a position is
 * found from its digits without cutting substrings. The AI set is prefix-free (see `knownAiAt`).
 */
const AI_BY_NUMBER: [(KnownAi | undefined)[], (KnownAi | undefined)[], (KnownAi | undefined)[]] = [
  [],
  [],
  [],
];
for (const def of AI_DEFINITIONS) {
  if (def.ai.length >= 2 && def.ai.length <= 4 && /^\d+$/.test(def.ai)) {
    AI_BY_NUMBER[def.ai.length - 2]![Number(def.ai)] = {
      def,
      fixedLength: def.fixedLength ? maxValueLength(def) : 0,
    };
  }
}

/** The known AI whose digits start `data` at `pos`; the same answer as `knownAiAt`, faster. */
function knownAiFast(data: string, pos: number): KnownAi | undefined {
  let n = 0;
  for (let len = 0; len < 4; len++) {
    const d = data.charCodeAt(pos + len) - 48;
    if (!(d >= 0 && d <= 9)) return undefined;
    n = n * 10 + d;
    if (len >= 1) {
      const k = AI_BY_NUMBER[len - 1]![n];
      if (k) return k;
    }
  }
  return undefined;
}

/** Reads the AI starting at `pos`: a known AI, or (when permitted) an unknown one sized by its prefix. */
function readAi(
  data: string,
  pos: number,
  opts: ValidationOptions,
): { ai: string; def?: AiDefinition } | Gs1Problem {
  const def = knownAiAt(data, pos);
  if (def) return { ai: def.ai, def };
  const len = aiLengthFromPrefix(data.slice(pos, pos + 2));
  const candidate = len ? data.slice(pos, pos + len) : data.slice(pos, pos + 4);
  if (opts.permitUnknownAIs && len && /^\d+$/.test(candidate) && candidate.length === len)
    return { ai: candidate };
  const shown = /^\d{2,4}/.exec(data.slice(pos, pos + 4))?.[0] ?? data.slice(pos, pos + 4);
  return {
    code: 'RX_UNKNOWN_AI',
    position: pos,
    length: Math.max(1, shown.length),
    message: shown
      ? `No GS1 Application Identifier starts with '${shown}' at position ${pos + 1}.`
      : `An Application Identifier was expected at position ${pos + 1}.`,
  };
}

/**
 * Parses unbracketed AI data. `data` starts with FNC1 (`^` or GS); later `^`/GS are separators.
 * Superfluous separators are tolerated, as scanners emit them.
 */
export function parseUnbracketed(data: string, opts: ElementStringOptions = {}): Result<ParsedElements> {
  if (!data.includes('|')) {
    // The common case: no composite component.
    if (!isFnc1(data.charCodeAt(0))) return notGs1Data(0);
    const elements: AiElement[] = [];
    const r = parseSegment(data, 0, opts, elements);
    if (r) return { ok: false, errors: [r] };
    if (elements.length === 0) return noAiData();
    return { ok: true, value: { elements } };
  }
  const parts = data.split('|');
  if (parts.length > 2)
    return {
      ok: false,
      errors: [
        {
          code: 'RX_BAD_COMPOSITE',
          message: 'At most one "|" may separate the linear and 2D components.',
          position: data.indexOf('|', data.indexOf('|') + 1),
        },
      ],
    };
  const elements: AiElement[] = [];
  let offset = 0;
  let linearCount: number | undefined;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (!isFnc1(part.charCodeAt(0))) return notGs1Data(offset);
    const r = parseSegment(part, offset, opts, elements);
    if (r) return { ok: false, errors: [r] };
    if (p === 0 && parts.length > 1) linearCount = elements.length;
    offset += part.length + 1;
  }
  if (elements.length === 0) return noAiData();
  return { ok: true, value: linearCount === undefined ? { elements } : { elements, linearCount } };
}

function notGs1Data(position: number): Result<never> {
  return {
    ok: false,
    errors: [
      {
        code: 'RX_NOT_GS1_DATA',
        position,
        message:
          'GS1 AI data must start with FNC1 (written "^", or sent as the GS character or a symbology identifier).',
      },
    ],
  };
}

function noAiData(): Result<never> {
  return {
    ok: false,
    errors: [{ code: 'RX_NO_AI_DATA', position: 0, message: 'The data holds no Application Identifier.' }],
  };
}

function parseSegment(
  s: string,
  base: number,
  opts: ElementStringOptions,
  out: AiElement[],
): Gs1Problem | undefined {
  let pos = 1;
  while (pos < s.length) {
    if (isFnc1(s.charCodeAt(pos))) {
      pos++;
      continue;
    }
    const known = knownAiFast(s, pos);
    let ai: string;
    let def: AiDefinition | undefined;
    let fixedLength: number;
    if (known) {
      def = known.def;
      ai = def.ai;
      fixedLength = known.fixedLength;
    } else {
      const a = readAi(s, pos, opts);
      if ('code' in a) return { ...a, position: base + (a.position ?? pos) };
      ai = a.ai;
      def = a.def;
      fixedLength = def?.fixedLength ? maxValueLength(def) : 0;
    }
    const valueStart = pos + ai.length;
    let end: number;
    if (def && fixedLength > 0) {
      end = valueStart + fixedLength;
      if (end > s.length) {
        return {
          code: 'RX_VALUE_TOO_SHORT',
          ai,
          position: base + s.length,
          message: `(${ai}) ${def.title} is too short: it needs ${fixedLength} characters, the data ends after ${s.length - valueStart}.`,
        };
      }
      // A separator inside a fixed-length value means the value was cut short.
      for (let i = valueStart; i < end; i++) {
        if (isFnc1(s.charCodeAt(i))) {
          return {
            code: 'RX_VALUE_TOO_SHORT',
            ai,
            position: base + i,
            message: `(${ai}) ${def.title} is too short: a separator comes after ${i - valueStart} of its ${fixedLength} characters.`,
          };
        }
      }
    } else {
      end = valueStart;
      while (end < s.length && !isFnc1(s.charCodeAt(end))) end++;
    }
    const value = s.slice(valueStart, end);
    if (value.length === 0)
      return { code: 'RX_EMPTY_VALUE', ai, position: base + valueStart, message: `(${ai}) has no value.` };
    const problems = def ? validateAgainst(def, value, opts) : validateValue(ai, value, opts);
    if (problems.length) {
      const p0 = problems[0]!;
      const err = valueProblemAt(p0, base + valueStart);
      if (p0.code === 'RX_VALUE_TOO_LONG' && def && !def.fixedLength) {
        const hint = missingSeparatorHint(ai, value, opts);
        if (hint) err.message += ` ${hint}`;
      }
      return err;
    }
    out.push({ ai, value });
    pos = end;
  }
  return undefined;
}

/**
 * When a variable-length value is too long, the usual cause is a scanner that dropped the GS
 * separator so that the next AI ran into the value. Find a split that makes both parts valid.
 */
export function missingSeparatorHint(
  ai: string,
  value: string,
  opts: ValidationOptions = {},
): string | undefined {
  const def = lookupAi(ai);
  if (!def) return undefined;
  const max = maxValueLength(def);
  for (let i = Math.min(max, value.length - 2); i >= 1; i--) {
    if (validateAgainst(def, value.slice(0, i), opts).length) continue;
    const rest = parseUnbracketed(`^${value.slice(i)}`, opts);
    if (rest.ok) {
      const next = rest.value.elements.map((e) => `(${e.ai})${e.value}`).join('');
      return `The GS separator after (${ai}) seems to be missing (a scanner fault): the data reads as (${ai})${value.slice(0, i)}${next}.`;
    }
  }
  return undefined;
}

/** Parses bracketed AI data `(01)…(10)…`, with `\(` escaping a literal bracket in a value. */
export function parseBracketed(data: string, opts: ElementStringOptions = {}): Result<ParsedElements> {
  const elements: AiElement[] = [];
  let linearCount: number | undefined;
  let pos = 0;
  if (data.length === 0)
    return { ok: false, errors: [{ code: 'RX_NO_AI_DATA', position: 0, message: 'The data is empty.' }] };
  while (pos < data.length) {
    if (data[pos] === '|' && linearCount === undefined && elements.length > 0) {
      linearCount = elements.length;
      pos++;
      continue;
    }
    if (data[pos] !== '(') {
      return {
        ok: false,
        errors: [
          {
            code: 'RX_EXPECTED_AI',
            position: pos,
            message: `An Application Identifier in brackets, like (01), was expected at position ${pos + 1}.`,
          },
        ],
      };
    }
    const close = data.indexOf(')', pos + 1);
    if (close < 0)
      return {
        ok: false,
        errors: [
          {
            code: 'RX_UNTERMINATED_AI',
            position: pos,
            message: `The bracket at position ${pos + 1} is never closed.`,
          },
        ],
      };
    const ai = data.slice(pos + 1, close);
    if (!/^\d{2,4}$/.test(ai)) {
      const hint = elements.length ? ' A bracket inside a value is written \\( in bracketed text.' : '';
      return {
        ok: false,
        errors: [
          {
            code: 'RX_BAD_AI',
            position: pos + 1,
            length: ai.length,
            message: `'(${ai})' is not an Application Identifier (2 to 4 digits).${hint}`,
          },
        ],
      };
    }
    const def = lookupAi(ai);
    if (!def) {
      // Brackets delimit the AI, so an unknown one needs no length rule unless its prefix has one.
      const len = aiLengthFromPrefix(ai);
      if (!opts.permitUnknownAIs || (len !== undefined && len !== ai.length)) {
        return {
          ok: false,
          errors: [
            {
              code: 'RX_UNKNOWN_AI',
              ai,
              position: pos + 1,
              length: ai.length,
              message: `(${ai}) is not a GS1 Application Identifier.`,
            },
          ],
        };
      }
    }
    let i = close + 1;
    let value = '';
    while (i < data.length && data[i] !== '(' && !(data[i] === '|' && linearCount === undefined)) {
      if (data[i] === '\\' && data[i + 1] === '(') {
        value += '(';
        i += 2;
      } else value += data[i++];
    }
    if (value.length === 0)
      return {
        ok: false,
        errors: [{ code: 'RX_EMPTY_VALUE', ai, position: close + 1, message: `(${ai}) has no value.` }],
      };
    const problems = def ? validateAgainst(def, value, opts) : validateValue(ai, value, opts);
    if (problems.length) return { ok: false, errors: [valueProblemAt(problems[0]!, close + 1)] };
    elements.push({ ai, value });
    pos = i;
  }
  return { ok: true, value: linearCount === undefined ? { elements } : { elements, linearCount } };
}

const needsSeparator = (ai: string) => !lookupAi(ai)?.fixedLength;

/** Writes elements in unbracketed form. `fnc1` is the separator text: `^` (default) or GS. */
export function formatUnbracketed(
  elements: readonly AiElement[],
  opts: { fnc1?: string; linearCount?: number } = {},
): string {
  const fnc1 = opts.fnc1 ?? '^';
  let out = fnc1;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (i === opts.linearCount) out += `|${fnc1}`;
    out += e.ai + e.value;
    const next = i + 1;
    if (next < elements.length && next !== opts.linearCount && needsSeparator(e.ai)) out += fnc1;
  }
  return out;
}

/** The element string as encoded in a symbol after the leading FNC1: AIs and values with GS separators. */
export function formatElementString(elements: readonly AiElement[]): string {
  return formatUnbracketed(elements, { fnc1: GS }).slice(1);
}

/** Writes elements in bracketed form, escaping `(` inside values. */
export function formatBracketed(elements: readonly AiElement[], opts: { linearCount?: number } = {}): string {
  let out = '';
  for (let i = 0; i < elements.length; i++) {
    if (i === opts.linearCount) out += '|';
    const e = elements[i]!;
    out += `(${e.ai})${e.value.replaceAll('(', '\\(')}`;
  }
  return out;
}

/** Human-readable interpretation lines: `(01) 09506000134376`, optionally prefixed by the AI title. */
export function formatHri(elements: readonly AiElement[], opts: { titles?: boolean } = {}): string[] {
  return elements.map((e) => {
    const title = opts.titles ? lookupAi(e.ai)?.title : undefined;
    return `${title ? `${title} ` : ''}(${e.ai}) ${e.value}`;
  });
}
