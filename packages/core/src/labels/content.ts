/**
 * What goes on a label: the checked input of a pack label (GS1 DataMatrix unique identifier) and of
 * a logistic label (SSCC plus content block), turned into AI element lists and human readable lines.
 * Every fault names the input field it comes from (`gtin`, `serial`, `labels[3].expiry`, …).
 */
import {
  type AiElement,
  expandYear,
  type Gs1Problem,
  interpretDate,
  lookupAi,
  normalizeGtin,
  validateAssociations,
  validateValue,
} from '@rxtrace/gs1';

/** One fault in label input, naming the field it belongs to. */
export interface LabelProblem {
  /** The input field: `gtin`, `serial`, `extra[0]`, `page`, … (prefixed `labels[i].` in a sheet). */
  field: string;
  /** Stable machine code (a GS1 linter name, `RX_BARCODE_…` or `RX_LABEL_…`). */
  code: string;
  message: string;
}

export type LabelResult<T> = { ok: true; value: T } | { ok: false; errors: LabelProblem[] };

/** Human readable text conventions. `eu`: PC/SN/NN per Delegated Regulation (EU) 2016/161 Art. 7; `us`: GTIN/SN (DSCSA practice). */
export type HriStyle = 'eu' | 'us';

export interface PackLabelInput {
  /** GTIN-8, -12, -13 or -14 (printed and encoded as 14 digits). */
  gtin: string;
  /** Serial number (21), up to 20 characters of GS1 set 82. */
  serial: string;
  /** Batch / lot (10), up to 20 characters of set 82. */
  lot: string;
  /** Expiry (17): `YYMMDD` (DD may be 00), `YYYY-MM-DD`, or `YYYY-MM` (month precision: DD = 00). */
  expiry: string;
  /** National healthcare reimbursement number and its AI (710 DE PZN … 717); `nhrnAi` defaults to 712 only when given as a `AI:value` string. */
  nhrn?: string;
  nhrnAi?: string;
  /** Further AI elements for the DataMatrix, e.g. `{ ai: '91', value: … }` crypto codes. */
  extra?: readonly AiElement[];
  /** Optional first lines: product name and strength / form (printable text, Latin-1). */
  productName?: string;
  strength?: string;
}

export interface SsccLabelInput {
  /** SSCC (00), 18 digits. */
  sscc: string;
  /** GTIN of the trade items contained (02); needs `count`. */
  gtin?: string;
  /** Count of trade items contained (37). */
  count?: string | number;
  lot?: string;
  expiry?: string;
  /** Party names printed in the top block. */
  from?: string;
  to?: string;
  productName?: string;
}

export interface TextLine {
  /** Caption such as `SN` or `BATCH/LOT` (printed before the value, or above it on logistic labels). */
  caption: string;
  value: string;
}

export interface PackContent {
  elements: AiElement[];
  lines: TextLine[];
  productName?: string;
  strength?: string;
}

export interface SsccContent {
  ssccElements: AiElement[];
  /** (02) (17) (37) (10) when given: the second GS1-128 symbol; empty when there is nothing to put in it. */
  contentElements: AiElement[];
  lines: TextLine[];
  from?: string;
  to?: string;
  productName?: string;
}

const NHRN_AIS = new Set(['710', '711', '712', '713', '714', '715', '716', '717']);

const p = (field: string, code: string, message: string): LabelProblem => ({ field, code, message });

/** Text printable with the PDF standard fonts (WinAnsi) and in SVG: ASCII 0x20–0x7E and Latin-1 0xA0–0xFF. */
export function firstUnprintableText(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c > 0x7e && c < 0xa0) || c > 0xff) return i;
  }
  return -1;
}

function checkText(field: string, v: unknown, max: number, problems: LabelProblem[]): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') {
    problems.push(p(field, 'RX_LABEL_BAD_TEXT', `${field} must be text.`));
    return undefined;
  }
  const bad = firstUnprintableText(v);
  if (bad >= 0) {
    const cp = v.codePointAt(bad) ?? 0;
    problems.push(
      p(
        field,
        'RX_LABEL_BAD_TEXT',
        `${field} holds U+${cp.toString(16).toUpperCase().padStart(4, '0')} at position ${bad + 1}; label text is limited to Latin-1 printable characters.`,
      ),
    );
    return undefined;
  }
  if (v.length > max) {
    problems.push(
      p(field, 'RX_LABEL_BAD_TEXT', `${field} is ${v.length} characters long; at most ${max} are printed.`),
    );
    return undefined;
  }
  return v;
}

/** Converts the accepted expiry forms to the YYMMDD of AI (17). */
export function expiryToYymmdd(v: string): string | undefined {
  if (/^\d{6}$/.test(v)) return v;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) return m[1]!.slice(2) + m[2] + m[3];
  m = /^(\d{4})-(\d{2})$/.exec(v);
  if (m) return `${m[1]!.slice(2)}${m[2]}00`;
  return undefined;
}

/** Printed form of a YYMMDD date: `YYYY-MM-DD`, or `YYYY-MM` when the day is 00. */
export function formatExpiry(yymmdd: string, currentYear: number): string {
  const year = expandYear(Number(yymmdd.slice(0, 2)), currentYear);
  const ym = `${year}-${yymmdd.slice(2, 4)}`;
  return yymmdd.endsWith('00') ? ym : `${ym}-${yymmdd.slice(4, 6)}`;
}

function required(field: string, v: unknown, problems: LabelProblem[]): string | undefined {
  if (v === undefined || v === null || v === '') {
    problems.push(p(field, 'RX_LABEL_MISSING', `${field} is required.`));
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push(p(field, 'RX_LABEL_BAD_VALUE', `${field} must be a string.`));
    return undefined;
  }
  return v;
}

/** Value checks of one AI through the GS1 dictionary, reported against `field`. */
function checkAi(field: string, ai: string, value: string, problems: LabelProblem[]): boolean {
  const found = validateValue(ai, value);
  for (const f of found) problems.push(p(field, f.code, `${field}: ${f.message}`));
  return found.length === 0;
}

function checkGtin(field: string, v: string, problems: LabelProblem[]): string | undefined {
  const r = normalizeGtin(v);
  if (!r.ok) {
    for (const e of r.errors) problems.push(p(field, e.code, `${field}: ${e.message}`));
    return undefined;
  }
  return r.value;
}

function checkExpiry(
  field: string,
  v: string,
  problems: LabelProblem[],
  currentYear: number,
): string | undefined {
  const yymmdd = expiryToYymmdd(v);
  if (!yymmdd) {
    problems.push(
      p(field, 'RX_LABEL_BAD_DATE', `${field} '${v}' is not a date: use YYMMDD, YYYY-MM-DD or YYYY-MM.`),
    );
    return undefined;
  }
  if (!checkAi(field, '17', yymmdd, problems)) return undefined;
  if (!interpretDate(yymmdd, currentYear)) {
    problems.push(p(field, 'RX_LABEL_BAD_DATE', `${field} '${v}' is not a calendar date.`));
    return undefined;
  }
  return yymmdd;
}

function associationProblems(
  elements: AiElement[],
  field: (ai: string) => string,
  problems: LabelProblem[],
): void {
  const found: Gs1Problem[] = validateAssociations(elements, { digsig: false });
  for (const f of found) problems.push(p(f.ai ? field(f.ai) : 'labels', f.code, f.message));
}

export interface ContentOptions {
  /** Year used to read two-digit years (default: the current UTC year). */
  currentYear?: number;
  hriStyle?: HriStyle;
}

/** Checks a pack label's input and builds its DataMatrix elements and text lines. */
export function packContent(input: PackLabelInput, opts: ContentOptions = {}): LabelResult<PackContent> {
  const problems: LabelProblem[] = [];
  const year = opts.currentYear ?? new Date().getUTCFullYear();
  const style = opts.hriStyle ?? 'eu';
  if (input === null || typeof input !== 'object')
    return { ok: false, errors: [p('label', 'RX_LABEL_BAD_VALUE', 'The label must be an object.')] };
  const gtinIn = required('gtin', input.gtin, problems);
  const gtin = gtinIn === undefined ? undefined : checkGtin('gtin', gtinIn, problems);
  const serial = required('serial', input.serial, problems);
  if (serial !== undefined) checkAi('serial', '21', serial, problems);
  const lot = required('lot', input.lot, problems);
  if (lot !== undefined) checkAi('lot', '10', lot, problems);
  const expIn = required('expiry', input.expiry, problems);
  const expiry = expIn === undefined ? undefined : checkExpiry('expiry', expIn, problems, year);

  let nhrn: AiElement | undefined;
  if (input.nhrn !== undefined && input.nhrn !== '') {
    if (typeof input.nhrn !== 'string')
      problems.push(p('nhrn', 'RX_LABEL_BAD_VALUE', 'nhrn must be a string.'));
    else {
      let ai = input.nhrnAi;
      let value = input.nhrn;
      const m = /^(71\d):(.*)$/.exec(value);
      if (ai === undefined && m) [ai, value] = [m[1]!, m[2]!];
      if (ai === undefined || !NHRN_AIS.has(ai)) {
        problems.push(
          p(
            'nhrnAi',
            'RX_LABEL_BAD_NHRN_AI',
            `nhrnAi must be one of ${[...NHRN_AIS].join(', ')} (the NHRN's AI, e.g. 710 for a German PZN), not '${ai ?? ''}'.`,
          ),
        );
      } else if (checkAi('nhrn', ai, value, problems)) nhrn = { ai, value };
    }
  }
  const extra: AiElement[] = [];
  if (input.extra !== undefined) {
    if (!Array.isArray(input.extra))
      problems.push(p('extra', 'RX_LABEL_BAD_VALUE', 'extra must be a list of { ai, value }.'));
    else
      input.extra.forEach((el, i) => {
        const f = `extra[${i}]`;
        if (!el || typeof el.ai !== 'string' || typeof el.value !== 'string') {
          problems.push(p(f, 'RX_LABEL_BAD_VALUE', `${f} must be { ai, value } strings.`));
          return;
        }
        if (['01', '17', '10', '21'].includes(el.ai) || NHRN_AIS.has(el.ai)) {
          problems.push(
            p(f, 'RX_LABEL_DUPLICATE_AI', `${f}: (${el.ai}) has its own field; do not repeat it in extra.`),
          );
          return;
        }
        if (checkAi(f, el.ai, el.value, problems)) extra.push({ ai: el.ai, value: el.value });
      });
  }
  const productName = checkText('productName', input.productName, 200, problems);
  const strength = checkText('strength', input.strength, 200, problems);
  if (problems.length) return { ok: false, errors: problems };

  // Fixed-length AIs first, as the GS1 healthcare guideline recommends: (01)(17)(10)(21).
  const elements: AiElement[] = [
    { ai: '01', value: gtin! },
    { ai: '17', value: expiry! },
    { ai: '10', value: lot! },
    { ai: '21', value: serial! },
    ...(nhrn ? [nhrn] : []),
    ...extra,
  ];
  const fieldOf = (ai: string) =>
    ({ '01': 'gtin', '17': 'expiry', '10': 'lot', '21': 'serial' })[ai] ??
    (nhrn?.ai === ai ? 'nhrn' : `extra[${extra.findIndex((e) => e.ai === ai)}]`);
  associationProblems(elements, fieldOf, problems);
  if (problems.length) return { ok: false, errors: problems };

  const exp = formatExpiry(expiry!, year);
  const lines: TextLine[] =
    style === 'eu'
      ? [
          { caption: 'PC:', value: gtin! },
          { caption: 'SN:', value: serial! },
          ...(nhrn ? [{ caption: 'NN:', value: nhrn.value }] : []),
          { caption: 'LOT:', value: lot! },
          { caption: 'EXP:', value: exp },
        ]
      : [
          { caption: 'GTIN', value: gtin! },
          { caption: 'SN', value: serial! },
          { caption: 'LOT', value: lot! },
          { caption: 'EXP', value: exp },
          ...(nhrn ? [{ caption: 'NHRN', value: nhrn.value }] : []),
        ];
  return {
    ok: true,
    value: {
      elements,
      lines,
      ...(productName ? { productName } : {}),
      ...(strength ? { strength } : {}),
    },
  };
}

/** Checks a logistic label's input and builds the SSCC symbol, the content symbol and the text lines. */
export function ssccContent(input: SsccLabelInput, opts: ContentOptions = {}): LabelResult<SsccContent> {
  const problems: LabelProblem[] = [];
  const year = opts.currentYear ?? new Date().getUTCFullYear();
  if (input === null || typeof input !== 'object')
    return { ok: false, errors: [p('label', 'RX_LABEL_BAD_VALUE', 'The label must be an object.')] };
  const sscc = required('sscc', input.sscc, problems);
  if (sscc !== undefined) checkAi('sscc', '00', sscc, problems);
  let gtin: string | undefined;
  if (input.gtin !== undefined && input.gtin !== '') {
    if (typeof input.gtin !== 'string')
      problems.push(p('gtin', 'RX_LABEL_BAD_VALUE', 'gtin must be a string.'));
    else gtin = checkGtin('gtin', input.gtin, problems);
  }
  let count: string | undefined;
  if (input.count !== undefined && input.count !== '') {
    count = String(input.count);
    if (!/^\d{1,8}$/.test(count) || Number(count) === 0)
      problems.push(
        p('count', 'RX_LABEL_BAD_COUNT', `count must be a whole number from 1 to 99999999, not '${count}'.`),
      );
    else checkAi('count', '37', count, problems);
  }
  if (gtin !== undefined && count === undefined && !problems.some((x) => x.field === 'count'))
    problems.push(
      p(
        'count',
        'RX_LABEL_MISSING',
        'count is required with gtin: (02) content GTIN must be accompanied by (37) count.',
      ),
    );
  if (count !== undefined && gtin === undefined && !problems.some((x) => x.field === 'gtin'))
    problems.push(
      p(
        'gtin',
        'RX_LABEL_MISSING',
        'gtin is required with count: (37) counts trade items of the (02) content GTIN.',
      ),
    );
  let lot: string | undefined;
  if (input.lot !== undefined && input.lot !== '') {
    if (typeof input.lot !== 'string') problems.push(p('lot', 'RX_LABEL_BAD_VALUE', 'lot must be a string.'));
    else if (checkAi('lot', '10', input.lot, problems)) lot = input.lot;
  }
  let expiry: string | undefined;
  if (input.expiry !== undefined && input.expiry !== '') {
    if (typeof input.expiry !== 'string')
      problems.push(p('expiry', 'RX_LABEL_BAD_VALUE', 'expiry must be a string.'));
    else expiry = checkExpiry('expiry', input.expiry, problems, year);
  }
  if (
    (lot !== undefined || expiry !== undefined) &&
    gtin === undefined &&
    !problems.some((x) => x.field === 'gtin')
  )
    problems.push(
      p(
        'gtin',
        'RX_LABEL_MISSING',
        'gtin (with count) is required when lot or expiry is given: they describe the content.',
      ),
    );
  const from = checkText('from', input.from, 200, problems);
  const to = checkText('to', input.to, 200, problems);
  const productName = checkText('productName', input.productName, 200, problems);
  if (problems.length) return { ok: false, errors: problems };

  const ssccElements: AiElement[] = [{ ai: '00', value: sscc! }];
  const contentElements: AiElement[] = [];
  if (gtin) contentElements.push({ ai: '02', value: gtin });
  if (expiry) contentElements.push({ ai: '17', value: expiry });
  if (count) contentElements.push({ ai: '37', value: count });
  if (lot) contentElements.push({ ai: '10', value: lot });
  // Associations apply to the label as a whole (both symbols), not per symbol.
  const fieldOf = (ai: string) =>
    ({ '00': 'sscc', '02': 'gtin', '17': 'expiry', '37': 'count', '10': 'lot' })[ai] ?? 'labels';
  associationProblems([...ssccElements, ...contentElements], fieldOf, problems);
  if (problems.length) return { ok: false, errors: problems };

  const lines: TextLine[] = [{ caption: 'SSCC', value: sscc! }];
  if (gtin) lines.push({ caption: 'CONTENT', value: gtin });
  if (count) lines.push({ caption: 'COUNT', value: count });
  if (lot) lines.push({ caption: 'BATCH/LOT', value: lot });
  if (expiry) lines.push({ caption: 'USE BY', value: formatExpiry(expiry, year) });
  return {
    ok: true,
    value: {
      ssccElements,
      contentElements,
      lines,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(productName ? { productName } : {}),
    },
  };
}

/** True when the AI is known to the GS1 dictionary (used by the HTTP and CLI layers for `aiNN` parameters). */
export const isKnownAi = (ai: string): boolean => lookupAi(ai) !== undefined;
