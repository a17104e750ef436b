/**
 * AI elements → canonical GS1 Digital Link URI.
 *
 * The first AI that is a DL primary key goes in the path, followed by those of its key qualifiers
 * that are present, in dictionary order and from the one alternative that matches most of them.
 * Every other AI becomes a query attribute: predefined-length AIs first, then the others, each in
 * input order (the GS1 Syntax Engine's order). An AI that may not be an attribute is an error.
 */
import { lookupAi } from '../ai-table.ts';
import type { AiElement } from '../elements.ts';
import { fail, ok, type Result } from '../errors.ts';
import { type ValidationOptions, validateElements } from '../validate.ts';
import { validationOptions } from './parse.ts';
import { percentEncode } from './percent.ts';

// Module-local aliases of the hot imports (cheaper than imported bindings under the tsx loader).
const aiDef = lookupAi;
const encode = percentEncode;

/** The canonical stem of GS1 Digital Link URIs. */
export const CANONICAL_DL_STEM = 'https://id.gs1.org';

export interface DigitalLinkFormatOptions extends ValidationOptions {
  /** Scheme, host and optional path for the URI, e.g. `https://example.com/dl`. Default `https://id.gs1.org`. */
  stem?: string | null;
  /** Allow unknown AIs (see `permitUnknownAIs`) as query attributes. Default false. */
  permitUnknownAiAttributes?: boolean;
  /** Validate the values first (format, check digits, linters). Default true. */
  validate?: boolean;
  /** With `validate`, also check req/ex associations. Default true. */
  associations?: boolean;
}

/** The elements of a DL URI, split into path (primary key first, then qualifiers) and query. */
export interface DigitalLinkLayout {
  path: AiElement[];
  query: AiElement[];
}

/**
 * Decides which AIs go in the path and which in the query, in the order a canonical DL URI
 * writes them. Repeated AIs with the same value are written once; with different values they
 * are an error.
 */
export function arrangeForDigitalLink(
  elements: readonly AiElement[],
  opts: Pick<DigitalLinkFormatOptions, 'permitUnknownAiAttributes'> = {},
): Result<DigitalLinkLayout> {
  let keyIdx = -1;
  for (let i = 0; i < elements.length; i++) {
    if (aiDef(elements[i]!.ai)?.dlPrimaryKey) {
      keyIdx = i;
      break;
    }
  }
  if (keyIdx < 0) {
    return fail(
      'RX_DL_NO_PRIMARY_KEY',
      'A Digital Link URI needs a GS1 primary key (such as (01) GTIN, (00) SSCC or (414) GLN), and the data has none.',
    );
  }
  const key = elements[keyIdx]!;
  const keyDef = aiDef(key.ai)!;

  // First value of each AI; a different value for the same AI is a conflict.
  const first = new Map<string, string>();
  for (const e of elements) {
    const v = first.get(e.ai);
    if (v === undefined) first.set(e.ai, e.value);
    else if (v !== e.value) {
      return fail(
        'RX_DL_CONFLICTING_VALUES',
        `(${e.ai}) appears twice with different values ('${v}' and '${e.value}'); a Digital Link URI holds each AI once.`,
        { ai: e.ai },
      );
    }
  }

  // The qualifier alternative that matches most present AIs; the first one on a tie.
  let best: readonly string[] = [];
  let bestCount = 0;
  for (const alt of keyDef.dlPrimaryKey!) {
    let count = 0;
    for (const q of alt) if (first.has(q)) count++;
    if (count > bestCount) {
      best = alt;
      bestCount = count;
    }
  }

  const path: AiElement[] = [{ ai: key.ai, value: key.value }];
  const inPath = new Set<string>([key.ai]);
  for (const q of best) {
    const v = first.get(q);
    if (v !== undefined) {
      path.push({ ai: q, value: v });
      inPath.add(q);
    }
  }

  const fixed: AiElement[] = [];
  const variable: AiElement[] = [];
  const done = new Set<string>(inPath);
  for (const e of elements) {
    if (done.has(e.ai)) continue;
    done.add(e.ai);
    const def = aiDef(e.ai);
    if (def ? !def.dlDataAttr : opts.permitUnknownAiAttributes !== true) {
      const why = def
        ? best.length && keyDef.dlPrimaryKey!.some((alt) => alt.includes(e.ai))
          ? `(${e.ai}) ${def.title} is a key qualifier of (${key.ai}) from another alternative than ${best.map((q) => `(${q})`).join(', ')}, and it is not allowed as a query attribute.`
          : `(${e.ai}) ${def.title} is not allowed as a Digital Link query attribute.`
        : `(${e.ai}) is not a known AI, so it is not allowed as a Digital Link query attribute.`;
      return fail('RX_DL_NOT_ATTRIBUTE', why, { ai: e.ai });
    }
    (def?.fixedLength ? fixed : variable).push({ ai: e.ai, value: e.value });
  }
  return ok({ path, query: fixed.concat(variable) });
}

/** Writes the URI for a layout under a stem (no checks). */
export function writeDigitalLink(layout: DigitalLinkLayout, stem: string | null | undefined): string {
  let out = stem || CANONICAL_DL_STEM;
  if (out.charCodeAt(out.length - 1) === 47) out = out.slice(0, -1);
  for (const e of layout.path) out += `/${e.ai}/${encode(e.value, 'path')}`;
  let sep = '?';
  for (const e of layout.query) {
    out += `${sep}${e.ai}=${encode(e.value, 'query')}`;
    sep = '&';
  }
  return out;
}

/**
 * Formats AI elements as a canonical GS1 Digital Link URI (`https://id.gs1.org/01/…/10/…?17=…`).
 * Fails when there is no primary key, when an AI cannot be a query attribute, or (unless
 * `validate: false`) when a value is invalid.
 */
export function formatDigitalLink(
  elements: readonly AiElement[],
  opts: DigitalLinkFormatOptions = {},
): Result<string> {
  if (opts.validate !== false) {
    const problems = validateElements(elements as AiElement[], validationOptions(opts));
    if (problems.length) return { ok: false, errors: problems };
  }
  const layout = arrangeForDigitalLink(elements, opts);
  if (!layout.ok) return layout;
  return ok(writeDigitalLink(layout.value, opts.stem));
}
