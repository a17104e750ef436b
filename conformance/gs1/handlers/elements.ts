/** Element strings, associations, HRI, scan data, check digits, GCP lengths and NDC. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  companyPrefixOf,
  computeCheckDigit,
  formatBracketed,
  formatHri,
  formatUnbracketed,
  type GcpLengthTable,
  generateScanData,
  gtinFromBody,
  hasValidCheckDigit,
  identifyNdcFormat,
  ndcTo11,
  parseBracketed,
  parseGcpLengthTable,
  parseGs1,
  parseUnbracketed,
  processScanData,
  type Symbology,
  validateAssociations,
} from '@rxtrace/gs1';
import { expectEqual, type Handler, type Outcome, pass, type Vector } from '../types.ts';

type Opts = Record<string, unknown>;
const parseOpts = (v: Vector) => {
  const o: Opts = v.options ?? {};
  return {
    permitUnknownAIs: o.permitUnknownAIs === true,
    requisite: o['validation.REQUISITE_AIS'] !== false,
    includeTitles: o.includeDataTitlesInHRI === true,
  };
};

function expectFailure(ok: boolean, v: Vector, detail: () => string): Outcome {
  if (v.expect_error) return ok ? { pass: false, detail: `expected an error, got ${detail()}` } : pass;
  return ok ? pass : { pass: false, detail: `unexpected error: ${detail()}` };
}

let gcpTable: GcpLengthTable | undefined;
function gcp(dir: string): GcpLengthTable {
  if (gcpTable) return gcpTable;
  const d = join(dir, '..', 'gs1-syntax', 'gcp-length');
  const file = readdirSync(d).find((f) => f.endsWith('.xml'))!;
  const r = parseGcpLengthTable(readFileSync(join(d, file), 'utf8'));
  if (!r.ok) throw new Error(r.errors[0]!.message);
  gcpTable = r.value;
  return gcpTable;
}

/** AI data in any of the forms the api.* vectors use, parsed without association checks. */
function parseAny(input: string, o: ReturnType<typeof parseOpts>) {
  if (input.startsWith('(')) return parseBracketed(input, { permitUnknownAIs: o.permitUnknownAIs });
  if (input.startsWith('^')) return parseUnbracketed(input, { permitUnknownAIs: o.permitUnknownAIs });
  const r = parseGs1(input, { permitUnknownAIs: o.permitUnknownAIs, associations: false });
  return r.ok
    ? { ok: true as const, value: { elements: r.value.elements, linearCount: r.value.linearCount } }
    : r;
}

const errText = (r: { ok: boolean; errors?: { message: string }[] }) =>
  r.ok ? 'ok' : (r.errors ?? []).map((e) => e.message).join('; ');

export const elementHandlers: Record<string, Handler> = {
  'ai.bracketed_to_unbracketed': (v) => {
    const r = parseBracketed(v.input as string, { permitUnknownAIs: parseOpts(v).permitUnknownAIs });
    if (v.expect_error || !r.ok) return expectFailure(r.ok, v, () => errText(r));
    return expectEqual(formatUnbracketed(r.value.elements, r.value), v.expected);
  },
  'ai.unbracketed_parse': (v) => {
    const r = parseUnbracketed(v.input as string, { permitUnknownAIs: parseOpts(v).permitUnknownAIs });
    return expectFailure(r.ok, v, () => errText(r));
  },
  'ai.bracketed_linter_result': (v) => {
    const r = parseBracketed(v.input as string);
    const code = r.ok ? 'GS1_LINTER_OK' : r.errors[0]!.code;
    return expectEqual(code, v.expect_error ?? v.expected, 'linter code');
  },
  'ai.association_check': (v) => {
    const r = parseBracketed(v.input as string, { permitUnknownAIs: parseOpts(v).permitUnknownAIs });
    if (!r.ok) return { pass: false, detail: `did not parse: ${errText(r)}` };
    const problems = validateAssociations(r.value.elements);
    return expectFailure(problems.length === 0, v, () =>
      problems.length ? problems.map((p) => p.message).join('; ') : 'valid',
    );
  },
  'ai.error_markup': (v) => {
    const input = v.input as string;
    const r = parseBracketed(input);
    if (r.ok) return { pass: false, detail: 'expected an error' };
    const e = r.errors[0]!;
    if (e.position === undefined || !e.component || !e.ai)
      return { pass: false, detail: `no location in ${JSON.stringify(e)}` };
    const comp = input.slice(e.component.start, e.component.start + e.component.length);
    const at = e.position - e.component.start;
    const markup = `(${e.ai})${comp.slice(0, at)}|${comp.slice(at, at + (e.length ?? 1))}|${comp.slice(at + (e.length ?? 1))}`;
    return expectEqual(markup, v.expected_markup, 'markup');
  },
  'api.set_bracketed': (v) => {
    const r = parseGs1(v.input as string, { permitUnknownAIs: parseOpts(v).permitUnknownAIs });
    return expectFailure(r.ok, v, () => errText(r));
  },
  'api.set_data': (v) => {
    const r = parseGs1(v.input as string, { permitUnknownAIs: parseOpts(v).permitUnknownAIs });
    return expectFailure(r.ok, v, () => errText(r));
  },
  'api.data_to_bracketed': (v) => {
    const input = v.input as string;
    const o = parseOpts(v);
    const gs1Input = input.startsWith('^') || /^(https?|HTTPS?):\/\//.test(input);
    if (!gs1Input) return expectEqual(null, v.expected);
    const r = parseAny(input, o);
    if (!r.ok) return v.expected === null ? pass : { pass: false, detail: errText(r) };
    return expectEqual(formatBracketed(r.value.elements, r.value), v.expected);
  },
  'api.bracketed_to_data': (v) => {
    const r = parseBracketed(v.input as string);
    if (!r.ok) return { pass: false, detail: errText(r) };
    return expectEqual(formatUnbracketed(r.value.elements, r.value), v.expected);
  },
  'api.hri': (v) => {
    const o = parseOpts(v);
    const r = parseAny(v.input as string, o);
    if (!r.ok) return { pass: false, detail: errText(r) };
    return expectEqual(formatHri(r.value.elements, { titles: o.includeTitles }), v.expected);
  },
  'scan.generate': (v) => {
    const input = v.input as { symbology: Symbology | 'NONE'; data: string };
    const r = generateScanData(input.symbology, input.data, {
      addCheckDigit: v.options?.addCheckDigit === true,
    });
    if (v.expect_error || !r.ok) return expectFailure(r.ok, v, () => (r.ok ? r.value : errText(r)));
    return expectEqual(r.value, v.expected);
  },
  'scan.process': (v) => {
    const r = processScanData(v.input as string);
    if (v.expect_error || !r.ok)
      return expectFailure(r.ok, v, () => (r.ok ? JSON.stringify(r.value) : errText(r)));
    return expectEqual({ symbology: r.value.symbology, data: r.value.data }, v.expected);
  },
  'gtin.check_digit': (v) => {
    const s = v.input as string;
    const valid = hasValidCheckDigit(s);
    return expectEqual(
      valid ? { valid } : { valid, correct_check_digit: computeCheckDigit(s.slice(0, -1)) },
      v.expected,
    );
  },
  'gtin.compute_check_digit': (v) => expectEqual(computeCheckDigit(v.input as string), v.expected),
  'gtin.normalize': (v) => {
    const { raw, length = 14 } = v.input as { raw: string; length?: 8 | 12 | 13 | 14 };
    const r = gtinFromBody(raw, length);
    return r.ok ? expectEqual(r.value, v.expected) : { pass: false, detail: errText(r) };
  },
  'gcp.lookup': (v, ctx) => expectEqual(companyPrefixOf(v.input as string, gcp(ctx.dir)), v.expected),
  'gcp.prefix_length': (v, ctx) => expectEqual(gcp(ctx.dir).lengthFor(v.input as string), v.expected),
  'ndc.identify_format': (v) => expectEqual(identifyNdcFormat(v.input as string), v.expected),
  'ndc.to_11_digit': (v) => {
    const r = ndcTo11(v.input as string);
    if (v.expect_error || !r.ok) return expectFailure(r.ok, v, () => (r.ok ? r.value : errText(r)));
    return expectEqual(r.value, v.expected);
  },
};
