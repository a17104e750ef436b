/**
 * Validation of AI values and of AI combinations, in layers that can each be switched:
 * component format (lengths, character sets) → the dictionary's linters → associations
 * (requisite AIs, mutually exclusive AIs, repeated AIs, DIGSIG on a serialised key).
 */
import { aiMatchesPattern, lookupAi } from './ai-table.ts';
import { firstNonCset39, firstNonCset64, firstNonCset82, firstNonDigit } from './charsets.ts';
import { computeCheckDigit } from './check-digit.ts';
import type { AiComponent, AiDefinition } from './dictionary.ts';
import type { AiElement } from './elements.ts';
import type { Gs1Problem } from './errors.ts';
import { LINTER_MESSAGES, runLinter } from './linters/index.ts';

export interface ValidationOptions {
  /** Accept AIs the dictionary does not know (their values are only checked against set 82). */
  permitUnknownAIs?: boolean;
  /** Run the dictionary linters (check digits, dates, codes…). Default true. */
  linters?: boolean;
  /** Check requisite AIs (`req=`). Default true in {@link validateElements}. */
  requisite?: boolean;
  /** Check mutually exclusive AIs (`ex=`). Default true. */
  exclusive?: boolean;
  /** Check that a repeated AI carries the same value each time. Default true. */
  repeats?: boolean;
  /** Check that a DIGSIG (8030) accompanies a serialised key. Default true. */
  digsig?: boolean;
  /** Reference year for two-digit-year linters (the linters' own default when absent). */
  referenceYear?: number;
}

/** Extra location data on a value problem: where, inside the AI value, the fault is. */
export interface ValueProblem extends Gs1Problem {
  /** Offset of the offending characters within the AI value. */
  valuePosition?: number;
  /** Start and length of the value component (dictionary spec part) that holds the fault. */
  componentStart?: number;
  componentLength?: number;
}

const TYPE_CHECK = {
  N: [firstNonDigit, 'GS1_LINTER_NON_DIGIT_CHARACTER', 'digits only'],
  X: [firstNonCset82, 'GS1_LINTER_INVALID_CSET82_CHARACTER', 'GS1 character set 82'],
  Y: [firstNonCset39, 'GS1_LINTER_INVALID_CSET39_CHARACTER', 'GS1 character set 39'],
  Z: [firstNonCset64, 'GS1_LINTER_INVALID_CSET64_CHARACTER', 'base64url characters'],
} as const;

function describeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x1d) return 'a GS separator';
  if (code === 0x20) return 'a space';
  if (code < 0x20 || code === 0x7f) return `control character 0x${code.toString(16).padStart(2, '0')}`;
  return `'${c}'`;
}

function specText(d: AiDefinition): string {
  return d.components
    .map(
      (c) =>
        `${c.optional ? '[' : ''}${c.type}${c.min === c.max ? '' : '..'}${c.max}${c.optional ? ']' : ''}`,
    )
    .join(' ');
}

/**
 * Checks one AI value against its definition: length, character set and linters of each
 * component. Returns every problem found in the first faulty component (later components are
 * not meaningful once one is wrong).
 */
export function validateValue(ai: string, value: string, opts: ValidationOptions = {}): ValueProblem[] {
  const def = lookupAi(ai);
  if (!def) {
    if (!opts.permitUnknownAIs)
      return [{ code: 'RX_UNKNOWN_AI', ai, message: `(${ai}) is not a GS1 Application Identifier.` }];
    if (value.length === 0) return [{ code: 'RX_EMPTY_VALUE', ai, message: `(${ai}) has no value.` }];
    const bad = firstNonCset82(value);
    return bad < 0
      ? []
      : [
          {
            code: 'GS1_LINTER_INVALID_CSET82_CHARACTER',
            ai,
            valuePosition: bad,
            message: `(${ai}) contains ${describeChar(value[bad]!)}, which GS1 barcodes cannot carry.`,
          },
        ];
  }
  return validateAgainst(def, value, opts);
}

export function validateAgainst(
  def: AiDefinition,
  value: string,
  opts: ValidationOptions = {},
): ValueProblem[] {
  const ai = def.ai;
  if (value.length === 0)
    return [{ code: 'RX_EMPTY_VALUE', ai, message: `(${ai}) ${def.title} has no value.` }];
  let pos = 0;
  const comps = def.components;
  for (let i = 0; i < comps.length; i++) {
    const c: AiComponent = comps[i]!;
    const remaining = value.length - pos;
    if (remaining === 0 && c.optional) break;
    // Only the last component may vary in length; a fixed one takes exactly its length.
    const len = c.min === c.max ? c.max : Math.min(c.max, remaining);
    if (remaining < (c.min === c.max ? c.max : c.min)) {
      return [
        {
          code: 'RX_VALUE_TOO_SHORT',
          ai,
          valuePosition: value.length,
          message: `(${ai}) ${def.title} is too short: ${value.length} characters where ${specText(def)} is required.`,
        },
      ];
    }
    const [firstBad, code, setName] = TYPE_CHECK[c.type];
    const bad = firstBad(value, pos, pos + len);
    if (bad >= 0) {
      return [
        {
          code,
          ai,
          valuePosition: bad,
          length: 1,
          componentStart: pos,
          componentLength: len,
          message: `(${ai}) ${def.title} contains ${describeChar(value[bad]!)} at position ${bad + 1}; only ${setName} are allowed there.`,
        },
      ];
    }
    if (opts.linters !== false) {
      const slice = value.slice(pos, pos + len);
      for (const name of c.linters) {
        const r = runLinter(name, slice, opts.referenceYear);
        if (r.code !== 'GS1_LINTER_OK') {
          const where = r.position !== undefined ? pos + r.position : pos;
          const hint =
            r.code === 'GS1_LINTER_INCORRECT_CHECK_DIGIT'
              ? ` The correct check digit would be ${computeCheckDigit(slice.slice(0, -1))}.`
              : '';
          return [
            {
              code: r.code,
              ai,
              valuePosition: where,
              length: r.length ?? (r.position !== undefined ? 1 : len),
              componentStart: pos,
              componentLength: len,
              message: `(${ai}) ${def.title} '${value}': ${LINTER_MESSAGES[r.code] ?? r.code}${hint}`,
            },
          ];
        }
      }
    }
    pos += len;
  }
  if (pos < value.length) {
    return [
      {
        code: 'RX_VALUE_TOO_LONG',
        ai,
        valuePosition: pos,
        length: value.length - pos,
        message: `(${ai}) ${def.title} is too long: ${value.length} characters where at most ${pos} are allowed (${specText(def)}).`,
      },
    ];
  }
  return [];
}

function present(elements: readonly AiElement[], pattern: string): boolean {
  for (let i = 0; i < elements.length; i++) if (aiMatchesPattern(elements[i]!.ai, pattern)) return true;
  return false;
}

/** Up to this many elements, repeats are found by scanning back instead of through a Map. */
const SMALL = 16;

/** The value of the last element before `i` with the same AI, or undefined. */
function previousValue(elements: readonly AiElement[], i: number): string | undefined {
  const ai = elements[i]!.ai;
  for (let j = i - 1; j >= 0; j--) if (elements[j]!.ai === ai) return elements[j]!.value;
  return undefined;
}

/** The exclusive (`ex=`) and requisite (`req=`) problems of a sequence of AIs. */
function layoutProblems(
  elements: readonly AiElement[],
  exclusive: boolean,
  requisite: boolean,
): Gs1Problem[] {
  const problems: Gs1Problem[] = [];
  const done = new Set<string>();
  for (const e of elements) {
    if (done.has(e.ai)) continue;
    done.add(e.ai);
    const def = lookupAi(e.ai);
    if (!def) continue;
    if (exclusive) {
      for (const pattern of def.ex) {
        const other = elements.find((o) => o.ai !== e.ai && aiMatchesPattern(o.ai, pattern));
        if (other) {
          problems.push({
            code: 'RX_EXCLUSIVE_AIS',
            ai: e.ai,
            message:
              `(${e.ai}) ${def.title} must not appear together with (${other.ai}) ${lookupAi(other.ai)?.title ?? ''}.`.replace(
                / \.$/,
                '.',
              ),
          });
        }
      }
    }
    if (requisite) {
      for (const key of def.req) {
        const satisfied = key.some((group) => group.every((p) => present(elements, p)));
        if (!satisfied) {
          const alts = key.map((g) => g.map((p) => `(${p})`).join(' with ')).join(' or ');
          problems.push({
            code: 'RX_REQUISITE_AI_MISSING',
            ai: e.ai,
            message: `(${e.ai}) ${def.title} requires ${alts}.`,
          });
        }
      }
    }
  }
  return problems;
}

/**
 * The exclusive and requisite problems depend only on the sequence of AIs (not on the values), so
 * they are remembered per sequence: most scans repeat a handful of layouts. Bounded: the memory is
 * dropped when it fills.
 */
interface LayoutNode {
  next: Map<string, LayoutNode>;
  /** The problems of the layout that ends here, per combination of the two switches. */
  problems: (readonly Gs1Problem[] | undefined)[];
}
const newNode = (): LayoutNode => ({ next: new Map(), problems: [] });
let layouts = newNode();
let layoutCount = 0;
const LAYOUT_MEMORY = 1024;

/** Checks how the AIs of one item go together (GS1 General Specifications 4.14). */
export function validateAssociations(elements: AiElement[], opts: ValidationOptions = {}): Gs1Problem[] {
  const problems: Gs1Problem[] = [];
  const n = elements.length;
  const small = n <= SMALL;
  if (opts.repeats !== false) {
    // The value an AI is compared with is the one it carried last (a mismatch moves it on).
    const seen = small ? undefined : new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const e = elements[i]!;
      const prev = seen ? seen.get(e.ai) : previousValue(elements, i);
      if (prev === undefined) seen?.set(e.ai, e.value);
      else if (prev !== e.value) {
        problems.push({
          code: 'RX_REPEATED_AI_MISMATCH',
          ai: e.ai,
          message: `(${e.ai}) appears twice with different values ('${prev}' and '${e.value}').`,
        });
        seen?.set(e.ai, e.value);
      }
    }
  }
  const exclusive = opts.exclusive !== false;
  const requisite = opts.requisite !== false;
  if (exclusive || requisite) {
    if (layoutCount >= LAYOUT_MEMORY) {
      layouts = newNode();
      layoutCount = 0;
    }
    let node = layouts;
    for (let i = 0; i < n; i++) {
      const ai = elements[i]!.ai;
      let child = node.next.get(ai);
      if (!child) {
        child = newNode();
        node.next.set(ai, child);
        layoutCount++;
      }
      node = child;
    }
    const slot = (exclusive ? 1 : 0) + (requisite ? 2 : 0);
    let layout = node.problems[slot];
    if (!layout) node.problems[slot] = layout = layoutProblems(elements, exclusive, requisite);
    for (let i = 0; i < layout.length; i++) problems.push({ ...layout[i]! });
  }
  if (opts.digsig !== false && present(elements, '8030')) {
    // A digital signature must sign a serialised key: the serial component of GDTI, GCN and GRAI.
    for (const e of elements) {
      if ((e.ai === '253' || e.ai === '8003') && e.value.length <= (e.ai === '253' ? 13 : 14)) {
        problems.push({
          code: 'RX_DIGSIG_UNSERIALISED_KEY',
          ai: e.ai,
          message: `A digital signature (8030) needs a serialised (${e.ai}): the serial component is missing.`,
        });
      }
      if (e.ai === '255' && e.value.length <= 13) {
        problems.push({
          code: 'RX_DIGSIG_UNSERIALISED_KEY',
          ai: e.ai,
          message:
            'A digital signature (8030) needs a serialised (255) GCN: the serial component is missing.',
        });
      }
    }
  }
  return problems;
}

/** Validates every value, then (unless switched off) the associations between them. */
export function validateElements(elements: AiElement[], opts: ValidationOptions = {}): Gs1Problem[] {
  const problems: Gs1Problem[] = [];
  for (const e of elements) problems.push(...validateValue(e.ai, e.value, opts));
  if (problems.length === 0) problems.push(...validateAssociations(elements, opts));
  return problems;
}
