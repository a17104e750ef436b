/**
 * Handlers for the `dl.*` vector kinds (digital-link.jsonl, dl-compression.jsonl): GS1 Digital
 * Link parsing, formatting, percent-encoding, compression, and the GS1DigitalLinkToolkit.js /
 * digital-link.js API shapes those upstream tests use.
 */
import { lookupAi } from '../../../packages/gs1/src/ai-table.ts';
import {
  arrangeForDigitalLink,
  CONVENIENCE_ALPHAS,
  compressDigitalLink,
  type DigitalLink,
  type DigitalLinkFormatOptions,
  type DigitalLinkParseOptions,
  decompressDigitalLink,
  formatDigitalLink,
  isCompressedDigitalLink,
  otherQueryParams,
  parseDigitalLink,
  percentDecode,
  percentEncode,
} from '../../../packages/gs1/src/digital-link/index.ts';
import {
  formatBracketed,
  formatElementString,
  formatUnbracketed,
  parseBracketed,
} from '../../../packages/gs1/src/element-string.ts';
import type { AiElement } from '../../../packages/gs1/src/elements.ts';
import type { Result } from '../../../packages/gs1/src/errors.ts';
import { expectEqual, type Handler, type Outcome, pass, type Vector } from '../types.ts';

const KNOWN_OPTIONS = new Set([
  'permitUnknownAIs',
  'permitZeroSuppressedGTINinDLuris',
  'permitConvenienceAlphas',
  'validation.UNKNOWN_AI_NOT_DL_ATTR',
]);

/** The vector's options as rxtrace options; an option we do not know fails the case. */
function options(v: Vector): (DigitalLinkParseOptions & DigitalLinkFormatOptions) | Outcome {
  const o = v.options ?? {};
  for (const k of Object.keys(o))
    if (!KNOWN_OPTIONS.has(k)) return { pass: false, detail: `unsupported option ${k}` };
  return {
    permitUnknownAIs: o.permitUnknownAIs === true,
    permitZeroSuppressedGTINinDLuris: o.permitZeroSuppressedGTINinDLuris === true,
    permitConvenienceAlphas: o.permitConvenienceAlphas === true,
    permitUnknownAiAttributes: o['validation.UNKNOWN_AI_NOT_DL_ATTR'] === false,
  };
}
const isOutcome = (x: unknown): x is Outcome => typeof x === 'object' && x !== null && 'pass' in x;

const describe = (r: Result<unknown>) =>
  r.ok ? `ok ${JSON.stringify(r.value)}` : r.errors.map((e) => `${e.code}: ${e.message}`).join('; ');

/** Checks a Result against the vector: an expected error, or the expected value from `get`. */
function check<T>(v: Vector, r: Result<T>, get: (value: T) => unknown): Outcome {
  if (v.expect_error) return r.ok ? { pass: false, detail: `expected an error, got ${describe(r)}` } : pass;
  if (!r.ok) return { pass: false, detail: `unexpected error: ${describe(r)}` };
  return expectEqual(get(r.value), v.expected);
}

/** A plain object `{ai: value}` from elements (the toolkit's associative-array shape). */
function toMap(elements: readonly AiElement[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (const e of elements) m[e.ai] = e.value;
  return m;
}
const fromMap = (m: Record<string, string>): AiElement[] =>
  Object.entries(m).map(([ai, value]) => ({ ai, value }));

const ALPHA_OF_AI = new Map(Object.entries(CONVENIENCE_ALPHAS).map(([alpha, ai]) => [ai, alpha]));

/**
 * The toolkit's deprecated `useShortText` output (`/gtin/…/lot/…`). rxtrace never writes
 * convenience alphas (docs/gs1.md §8); this adapter rewrites our canonical URI's path so that the
 * rest of the toolkit output (order, escaping, stem) is still checked.
 */
function toolkitShortText(uri: string): string {
  const r = parseDigitalLink(uri, { validate: false });
  if (!r.ok) return uri;
  const { stem, elements, pathCount } = r.value;
  let out = stem;
  for (let i = 0; i < pathCount; i++) {
    const e = elements[i]!;
    out += `/${ALPHA_OF_AI.get(e.ai) ?? e.ai}/${percentEncode(e.value, 'path')}`;
  }
  const q = uri.indexOf('?');
  return q < 0 ? out : out + uri.slice(q);
}

/** digital-link.js `toJsonString()` shape: domain (our stem), identifier, key qualifiers, attributes. */
function structure(dl: DigitalLink): unknown {
  const written = (i: number) =>
    dl.expandedGtins?.find((x) => x.index === i)?.written ?? dl.elements[i]!.value;
  const identifier: Record<string, string> = { [dl.elements[0]!.ai]: written(0) };
  const keyQualifiers: Record<string, string> = {};
  for (let i = 1; i < dl.pathCount; i++) keyQualifiers[dl.elements[i]!.ai] = written(i);
  const attributes: Record<string, string> = {};
  for (let i = dl.pathCount; i < dl.elements.length; i++) attributes[dl.elements[i]!.ai] = written(i);
  for (const p of otherQueryParams(dl)) if (p.value !== undefined) attributes[p.key] = p.value;
  return { domain: dl.stem, identifier, keyQualifiers, attributes };
}

/** The toolkit's unbracketed order: predefined-length AIs first, then the others. */
function fixedFirst(elements: readonly AiElement[]): AiElement[] {
  const fixed = elements.filter((e) => lookupAi(e.ai)?.fixedLength);
  return fixed.concat(elements.filter((e) => !lookupAi(e.ai)?.fixedLength));
}

function withOptions(
  fn: (v: Vector, o: DigitalLinkParseOptions & DigitalLinkFormatOptions) => Outcome,
): Handler {
  return (v) => {
    const o = options(v);
    return isOutcome(o) ? o : fn(v, o);
  };
}

interface AiToUriInput {
  ai: string;
  stem?: string | null;
  useShortText?: boolean;
}
interface UriInput {
  uri: string;
  brackets?: boolean;
  useShortText?: boolean;
  useOptimisations?: boolean;
  compressOtherKeyValuePairs?: boolean;
}
interface MapInput {
  ais: Record<string, string>;
  brackets?: boolean;
  useShortText?: boolean;
  stem?: string | null;
}

export const digitalLinkHandlers: Record<string, Handler> = {
  'dl.uri_to_unbracketed': withOptions((v, o) =>
    check(v, parseDigitalLink(v.input as string, o), (dl) => formatUnbracketed(dl.elements)),
  ),

  'dl.validate': withOptions((v, o) => {
    const r = parseDigitalLink(v.input as string, o);
    if (v.expect_error) return r.ok ? { pass: false, detail: `expected an error, got ${describe(r)}` } : pass;
    return expectEqual(r.ok, v.expected ?? true, 'valid');
  }),

  'dl.parse_structure': withOptions((v, o) => check(v, parseDigitalLink(v.input as string, o), structure)),

  'dl.ignored_query_params': withOptions((v, o) =>
    check(v, parseDigitalLink(v.input as string, o), (dl) => dl.ignoredQueryParams),
  ),

  'dl.percent_decode': (v) => {
    const s = v.input as string;
    const path = percentDecode(s, 'path');
    const query = percentDecode(s, 'query');
    if (v.expect_error) return path.ok && query.ok ? { pass: false, detail: 'expected an error' } : pass;
    if (!path.ok || !query.ok)
      return { pass: false, detail: `unexpected error: ${describe(path.ok ? query : path)}` };
    return expectEqual({ path_component: path.value, query_component: query.value }, v.expected);
  },

  'dl.percent_encode': (v) => {
    const s = v.input as string;
    return expectEqual(
      { path_component: percentEncode(s, 'path'), query_component: percentEncode(s, 'query') },
      v.expected,
    );
  },

  'dl.ai_to_uri': withOptions((v, o) => {
    const input = v.input as AiToUriInput;
    const parsed = parseBracketed(input.ai, { permitUnknownAIs: o.permitUnknownAIs });
    if (!parsed.ok) return check(v, parsed, () => undefined);
    return check(v, formatDigitalLink(parsed.value.elements, { ...o, stem: input.stem }), (uri) => uri);
  }),

  // GS1DigitalLinkToolkit.js API shapes (README examples).
  'dl.toolkit.element_string_to_uri': withOptions((v, o) => {
    const input = v.input as AiToUriInput;
    const parsed = parseBracketed(input.ai, { permitUnknownAIs: o.permitUnknownAIs });
    if (!parsed.ok) return check(v, parsed, () => undefined);
    return check(v, formatDigitalLink(parsed.value.elements, { ...o, stem: input.stem }), (uri) =>
      input.useShortText ? toolkitShortText(uri) : uri,
    );
  }),

  'dl.toolkit.uri_to_element_string': withOptions((v, o) => {
    const input = v.input as UriInput;
    return check(v, parseDigitalLink(input.uri, o), (dl) =>
      input.brackets ? formatBracketed(dl.elements) : formatElementString(fixedFirst(dl.elements)),
    );
  }),

  'dl.toolkit.element_string_to_map': withOptions((v, o) =>
    check(v, parseBracketed(v.input as string, { permitUnknownAIs: o.permitUnknownAIs }), (p) =>
      toMap(p.elements),
    ),
  ),

  'dl.toolkit.map_to_element_string': withOptions((v, o) => {
    const input = v.input as MapInput;
    const layout = arrangeForDigitalLink(fromMap(input.ais), o);
    return check(v, layout, (l) => {
      const ordered = l.path.concat(l.query);
      return input.brackets ? formatBracketed(ordered) : formatElementString(fixedFirst(ordered));
    });
  }),

  'dl.toolkit.map_to_uri': withOptions((v, o) => {
    const input = v.input as MapInput;
    return check(v, formatDigitalLink(fromMap(input.ais), { ...o, stem: input.stem }), (uri) =>
      input.useShortText ? toolkitShortText(uri) : uri,
    );
  }),

  'dl.toolkit.uri_to_map': withOptions((v, o) =>
    check(v, parseDigitalLink(v.input as string, o), (dl) => toMap(dl.elements)),
  ),

  // Compression (digital-link.js tests and toolkit-generated vectors).
  'dl.compress': withOptions((v, o) => {
    const input = v.input as UriInput;
    // The toolkit's compressGS1DigitalLink always reads zero-suppressed GTINs (see the vector notes).
    const r = compressDigitalLink(input.uri, {
      ...o,
      permitZeroSuppressedGTINinDLuris: true,
      optimisations: input.useOptimisations !== false,
      compressOtherParams: input.compressOtherKeyValuePairs !== false,
    });
    return check(v, r, (uri) => uri);
  }),

  'dl.decompress': withOptions((v, o) => {
    const input = v.input as UriInput;
    return check(v, decompressDigitalLink(input.uri, o), (uri) =>
      input.useShortText ? toolkitShortText(uri) : uri,
    );
  }),

  'dl.is_compressed': (v) => expectEqual(isCompressedDigitalLink(v.input as string), v.expected),
};
