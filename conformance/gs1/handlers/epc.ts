/**
 * EPC vectors (epc.jsonl, from nedap/retail-epcpy's tests). Options carry epcpy's names: filter
 * values (`SGTINFilterValue.POS_ITEM`), binary coding schemes (`SGTIN.BinaryCodingScheme.SGTIN_96`)
 * and GTIN forms (`GTIN_TYPE.GTIN13`); they are mapped to TDS numbers and names here.
 */
import type { AiElement } from '../../../packages/gs1/src/elements.ts';
import {
  decodeEpcBinary,
  decodeEpcTag,
  elementsToEpc,
  encodeEpcTag,
  epcPatternToKey,
  epcToElements,
  epcToGs1Key,
  type GtinFormat,
  parseEpcUri,
  parseTagUri,
  type TagScheme,
} from '../../../packages/gs1/src/epc/index.ts';
import type { Result } from '../../../packages/gs1/src/errors.ts';
import { expectEqual, type Handler, type Outcome, pass, type Vector } from '../types.ts';

type Opts = Record<string, unknown>;

/** Filter-value names of the TDS filter tables, as epcpy spells them (RESERVED_n and ALL_OTHERS are generic). */
const FILTER_NAMES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  SGTINFilterValue: { POS_ITEM: 1, FULL_CASE: 2, INNER_PACK: 4, UNIT_LOAD: 6, COMPONENT: 7 },
  SSCCFilterValue: { FULL_CASE: 2, UNIT_LOAD: 6 },
  SGLNFilterValue: {},
  GRAIFilterValue: {},
  GIAIFilterValue: { RAIL_VEHICLE: 1 },
  GSRNFilterValue: {},
  GSRNPFilterValue: {},
  GDTIFilterValue: {},
  CPIFilterValue: {},
  SGCNFilterValue: {},
  ITIPFilterValue: { POS_ITEM: 1, FULL_CASE: 2, INNER_PACK: 4, UNIT_LOAD: 6, COMPONENT: 7 },
  USDODFilterValue: { PALLET: 0, CASE: 1, UNIT_PACK: 2 },
  ADIFilterValue: { ITEM_OTHER: 1, CARTON: 2, PALLET: 6, UNIT_LOAD_DEVICES: 12 },
};

function filterOf(o: Opts): number | undefined | Error {
  const raw = o.filter_value;
  if (raw === undefined) return undefined;
  const [table, name] = String(raw).split('.');
  if (!table || !name) return new Error(`unreadable filter option ${String(raw)}`);
  if (name === 'ALL_OTHERS') return 0;
  const reserved = /^RESERVED_(\d+)$/.exec(name);
  if (reserved) return Number(reserved[1]);
  const n = FILTER_NAMES[table]?.[name];
  return n === undefined ? new Error(`unknown filter value name ${String(raw)}`) : n;
}

/** `SGTIN.BinaryCodingScheme.SGTIN_96` → `sgtin-96`. */
function schemeOf(o: Opts): TagScheme | undefined {
  const raw = o.binary_coding_scheme;
  if (raw === undefined) return undefined;
  return String(raw).split('.').pop()!.toLowerCase().replace('_', '-') as TagScheme;
}

/** `GTIN_TYPE.GTIN13` → 13. */
function gtinFormatOf(o: Opts): GtinFormat | undefined {
  const m = /GTIN(8|12|13|14)$/.exec(String(o.gtin_type ?? ''));
  return m ? (Number(m[1]) as GtinFormat) : undefined;
}

/** `(01)…(21)…` → elements. The vectors' values hold no `(`, so a plain split is enough here. */
function splitBracketed(s: string): AiElement[] {
  const out: AiElement[] = [];
  const re = /\((\d{2,4})\)/g;
  const marks = [...s.matchAll(re)];
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index! : s.length;
    out.push({ ai: m[1]!, value: s.slice(start, end) });
  });
  return out;
}

const bracketed = (els: readonly AiElement[]): string => els.map((e) => `(${e.ai})${e.value}`).join('');

const errText = (r: Result<unknown>): string =>
  r.ok ? 'ok' : r.errors.map((e) => `${e.code}: ${e.message}`).join('; ');

/** Runs checks in order and reports the first miss. */
function all(...checks: (() => Outcome)[]): Outcome {
  for (const c of checks) {
    const o = c();
    if (!o.pass) return o;
  }
  return pass;
}

function mustFail(r: Result<unknown>, what: string): Outcome {
  return r.ok ? { pass: false, detail: `${what}: expected an error, got ${JSON.stringify(r.value)}` } : pass;
}

function mustSucceed<T>(r: Result<T>, what: string, then: (v: T) => Outcome): Outcome {
  return r.ok ? then(r.value) : { pass: false, detail: `${what}: unexpected error ${errText(r)}` };
}

const uriSyntax: Handler = (v) => {
  const r = parseEpcUri(String(v.input));
  const want = String(v.scheme ?? '').toLowerCase();
  if (v.expect_error) {
    if (!r.ok) return pass;
    return r.value.scheme === want
      ? { pass: false, detail: `expected an invalid ${want} URI, parsed ${r.value.uri}` }
      : pass;
  }
  return mustSucceed(r, 'parseEpcUri', (epc) =>
    all(
      () => expectEqual(epc.scheme, want, 'scheme'),
      () => expectEqual(epc.uri, v.input, 'canonical URI'),
    ),
  );
};

interface Gs1Expected {
  gs1_key?: string;
  gs1_element_string?: string;
  company_prefix_length?: number;
}

function checkGs1(v: Vector, uri: string, e: Gs1Expected, gtinFormat: GtinFormat | undefined): Outcome {
  const keyOpts = gtinFormat ? { gtinFormat } : {};
  return all(
    () =>
      e.gs1_element_string === undefined
        ? pass
        : mustSucceed(epcToElements(uri), 'epcToElements', (els) =>
            expectEqual(bracketed(els), e.gs1_element_string, 'element string'),
          ),
    () =>
      e.gs1_key === undefined
        ? pass
        : mustSucceed(epcToGs1Key(uri, keyOpts), 'epcToGs1Key', (k) => expectEqual(k, e.gs1_key, 'GS1 key')),
    () =>
      e.company_prefix_length === undefined
        ? pass
        : mustSucceed(parseEpcUri(uri), 'parseEpcUri', (epc) =>
            expectEqual(epc.companyPrefix?.length, e.company_prefix_length, 'company prefix length'),
          ),
    // Reverse direction: element string + company prefix length → the same URI.
    () =>
      e.gs1_element_string === undefined || e.company_prefix_length === undefined
        ? pass
        : mustSucceed(
            elementsToEpc(splitBracketed(e.gs1_element_string), {
              companyPrefixLength: e.company_prefix_length,
            }),
            `elementsToEpc(${e.gs1_element_string})`,
            (epc) => expectEqual(epc.uri, v.input, 'URI from GS1 data'),
          ),
  );
}

const toGs1: Handler = (v) => {
  const uri = String(v.input);
  const o = v.options ?? {};
  const gtinFormat = gtinFormatOf(o);
  if (v.expect_error) return mustFail(epcToGs1Key(uri, gtinFormat ? { gtinFormat } : {}), 'epcToGs1Key');
  return checkGs1(v, uri, (v.expected ?? {}) as Gs1Expected, gtinFormat);
};

interface TagExpected {
  tag_uri: string;
  hex: string;
  binary?: string;
}

/** Pure identity ⇄ tag URI ⇄ hex (⇄ bits), every direction. */
function checkTag(
  uri: string,
  e: TagExpected,
  filter: number | undefined,
  scheme: TagScheme | undefined,
): Outcome {
  const opts = { ...(filter !== undefined ? { filter } : {}), ...(scheme ? { scheme } : {}) };
  return all(
    () =>
      mustSucceed(encodeEpcTag(uri, opts), 'encodeEpcTag', (t) =>
        all(
          () => expectEqual(t.tagUri, e.tag_uri, 'tag URI'),
          () => expectEqual(t.hex, e.hex, 'hex'),
          () => (e.binary === undefined ? pass : expectEqual(t.binary, e.binary, 'binary')),
        ),
      ),
    () =>
      mustSucceed(parseTagUri(e.tag_uri), 'parseTagUri', (t) =>
        all(
          () => expectEqual(t.epc.uri, uri, 'pure identity from tag URI'),
          () => expectEqual(t.hex, e.hex, 'hex from tag URI'),
        ),
      ),
    () =>
      mustSucceed(decodeEpcTag(e.hex), 'decodeEpcTag', (t) =>
        all(
          () => expectEqual(t.tagUri, e.tag_uri, 'tag URI from hex'),
          () => expectEqual(t.epc.uri, uri, 'pure identity from hex'),
        ),
      ),
    () =>
      e.binary === undefined
        ? pass
        : mustSucceed(decodeEpcBinary(e.binary), 'decodeEpcBinary', (t) =>
            expectEqual(t.tagUri, e.tag_uri, 'tag URI from bits'),
          ),
  );
}

const tagEncoding: Handler = (v) => {
  const o = v.options ?? {};
  const filter = filterOf(o);
  if (filter instanceof Error) return { pass: false, detail: filter.message };
  const scheme = schemeOf(o);
  const uri = String(v.input);
  if (v.expect_error) {
    return mustFail(
      encodeEpcTag(uri, { ...(filter !== undefined ? { filter } : {}), ...(scheme ? { scheme } : {}) }),
      'encodeEpcTag',
    );
  }
  return checkTag(uri, v.expected as TagExpected, filter, scheme);
};

interface AllForms extends Gs1Expected, Partial<TagExpected> {
  gs1_keyed: boolean;
  gs1_element: boolean;
  tag_encodable: boolean;
}

const allForms: Handler = (v) => {
  const uri = String(v.input);
  const e = v.expected as AllForms;
  const gtinFormat = gtinFormatOf(v.options ?? {});
  return all(
    () => mustSucceed(parseEpcUri(uri), 'parseEpcUri', (epc) => expectEqual(epc.uri, uri, 'canonical URI')),
    () => (e.gs1_element ? checkGs1(v, uri, e, gtinFormat) : mustFail(epcToElements(uri), 'epcToElements')),
    () => (e.gs1_keyed ? pass : mustFail(epcToGs1Key(uri), 'epcToGs1Key')),
    () => {
      if (!e.tag_encodable) return mustFail(encodeEpcTag(uri), 'encodeEpcTag');
      if (!e.tag_uri || !e.hex) return { pass: false, detail: 'vector lacks tag_uri/hex' };
      // The tag URI names the binary scheme and filter value this identity was encoded with.
      const t = parseTagUri(e.tag_uri);
      if (!t.ok) return { pass: false, detail: `parseTagUri: ${errText(t)}` };
      return checkTag(
        uri,
        { tag_uri: e.tag_uri, hex: e.hex, ...(e.binary ? { binary: e.binary } : {}) },
        t.value.filter,
        t.value.scheme,
      );
    },
  );
};

const idpatToKey: Handler = (v) => {
  const gtinFormat = gtinFormatOf(v.options ?? {});
  const r = epcPatternToKey(String(v.input), gtinFormat ? { gtinFormat } : {});
  if (v.expect_error) return mustFail(r, 'epcPatternToKey');
  return mustSucceed(r, 'epcPatternToKey', (k) => expectEqual(k, v.expected, 'GS1 key'));
};

/** epcpy entry points that must reject the input, mapped to the rxtrace call doing the same job. */
const REJECTING_OPERATIONS: Readonly<Record<string, (input: string) => Result<unknown>>> = {
  pure_identity_to_scheme: (s) => parseEpcUri(s),
  pure_identity_to_gs1_key: (s) => epcToGs1Key(s),
  pure_identity_to_gs1_keyed: (s) => epcToGs1Key(s),
  pure_identity_to_gs1_element: (s) => epcToElements(s),
  pure_identity_to_gs1_element_string: (s) => epcToElements(s),
  pure_identity_to_tag_encodable: (s) => encodeEpcTag(s),
  tag_uri_to_tag_encodable: (s) => parseTagUri(s),
  hex_to_tag_encodable: (s) => decodeEpcTag(s),
};

const parserRejects: Handler = (v) => {
  const op = REJECTING_OPERATIONS[String(v.operation)];
  if (!op) return { pass: false, detail: `no rxtrace counterpart for operation ${String(v.operation)}` };
  return mustFail(op(String(v.input)), String(v.operation));
};

export const epcHandlers: Record<string, Handler> = {
  'epc.pure_identity_uri_syntax': uriSyntax,
  'epc.pure_identity_to_gs1': toGs1,
  'epc.tag_encoding': tagEncoding,
  'epc.pure_identity_all_forms': allForms,
  'epc.idpat_to_gs1_key': idpatToKey,
  'epc.parser_rejects': parserRejects,
};
