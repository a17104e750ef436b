/** `rxtrace labels …`: pack and logistic labels as SVG or PNG, and PDF sheets of many labels. */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  buildSheet,
  type Drawing,
  drawingToPng,
  drawingToSvg,
  type LabelProblem,
  type LabelResult,
  type PackLabelInput,
  packLabel,
  type SheetLabel,
  type SheetOptions,
  type SsccLabelInput,
  ssccLabel,
} from '@rxtrace/core';
import { dispatch, err, out, parse, UsageError } from '../args.ts';

const HELP = `Usage:
  rxtrace labels pack --gtin G --serial S --lot L --expiry E [options] [-o FILE]
      [--nhrn N --nhrn-ai 710..717] [--ai 91=VALUE]... [--name TEXT] [--strength TEXT] [--style eu|us]
      a GS1 DataMatrix pack label with its human readable text (PC/SN/NN/LOT/EXP, or GTIN/SN/LOT/EXP with --style us)
  rxtrace labels sscc --sscc S [--gtin G --count N] [--lot L] [--expiry E] [--from T] [--to T] [--name T] [options] [-o FILE]
      a GS1 logistic label: SSCC in GS1-128, the content block and its GS1-128
  rxtrace labels sheet --input labels.csv|labels.json -o sheet.pdf [--page A4|letter]
      [--label-width MM --label-height MM] [--margin MM] [--gap MM] [--columns N] [--rows N] [--outline] [--style eu|us]
      many labels on A4 or Letter pages, as one PDF

Label options (pack, sscc):
  --format svg|png     default: from the -o file name, else svg
  --dpi N              PNG resolution (default 300)
  --width MM --height MM --margin MM --module MM
                       label size (pack 60 × 30, sscc 105 × 148), margin, X dimension
  -o FILE              output file (default: standard output)

Expiry: YYMMDD (DD may be 00), YYYY-MM-DD or YYYY-MM.

Sheet input: JSON — a list of labels, or { "labels": [...], page options } — each label
{ "type": "pack"|"sscc", gtin, serial, lot, expiry, nhrn, nhrnAi, extra: [{ai, value}], productName,
strength, sscc, count, from, to, copies }; or CSV with a header row naming those columns (aiNN columns
for further AIs; type may be left out: sscc when the sscc column is filled, else pack).
`;

const LABEL_OPTS = {
  format: { type: 'string' },
  dpi: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  margin: { type: 'string' },
  module: { type: 'string' },
  output: { type: 'string', short: 'o' },
  style: { type: 'string' },
  year: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(name: string, v: string | undefined, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, not '${v}'`);
  return n;
}

function style(v: string | undefined): 'eu' | 'us' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'eu' && v !== 'us') throw new UsageError(`--style is eu or us, not '${v}'`);
  return v;
}

function year(v: string | undefined): number | undefined {
  const y = num('year', v, true);
  if (y !== undefined && (y < 1900 || y > 2999))
    throw new UsageError(`--year must be a four-digit year, not '${v}'`);
  return y;
}

function report(errors: LabelProblem[], describe: (field: string) => string = (f) => f): number {
  for (const e of errors) {
    // Messages already name their field (`serial: …`, `labels[2]: serial: …`): say it once, our way.
    const message = e.message.replace(/^labels\[\d+\]: /, '').replace(/^[\w.[\]]+: /, '');
    err(`${describe(e.field)}: ${message}`);
  }
  return 1;
}

function sizeOptions(v: { width?: string; height?: string; margin?: string; module?: string }) {
  const o: Record<string, number> = {};
  const w = num('width', v.width);
  const h = num('height', v.height);
  const m = num('margin', v.margin);
  const x = num('module', v.module);
  if (w !== undefined) o.widthMm = w;
  if (h !== undefined) o.heightMm = h;
  if (m !== undefined) o.marginMm = m;
  if (x !== undefined) o.moduleMm = x;
  return o;
}

function write(r: LabelResult<Drawing>, v: { format?: string; dpi?: string; output?: string }): number {
  if (!r.ok) return report(r.errors);
  const format = v.format ?? (v.output?.toLowerCase().endsWith('.png') ? 'png' : 'svg');
  if (format !== 'svg' && format !== 'png') throw new UsageError(`--format is svg or png, not '${format}'`);
  const dpi = num('dpi', v.dpi, true) ?? 300;
  if (dpi < 72 || dpi > 1200) throw new UsageError(`--dpi must be from 72 to 1200, not ${dpi}`);
  const bytes = format === 'svg' ? drawingToSvg(r.value) : drawingToPng(r.value, dpi);
  if (v.output) {
    writeFileSync(v.output, bytes);
    err(
      `wrote ${v.output} (${r.value.width} × ${r.value.height} mm, ${format}${format === 'png' ? ` at ${dpi} dpi` : ''})`,
    );
  } else process.stdout.write(bytes);
  return 0;
}

async function packCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...LABEL_OPTS,
    gtin: { type: 'string' },
    serial: { type: 'string' },
    lot: { type: 'string' },
    expiry: { type: 'string' },
    nhrn: { type: 'string' },
    'nhrn-ai': { type: 'string' },
    ai: { type: 'string', multiple: true },
    name: { type: 'string' },
    strength: { type: 'string' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`labels pack takes no positional arguments ('${positionals[0]}')`);
  const extra = (values.ai ?? []).map((a) => {
    const m = /^\(?(\d{2,4})\)?=(.*)$/.exec(a);
    if (!m) throw new UsageError(`--ai takes AI=VALUE (e.g. --ai 91=KEY1), not '${a}'`);
    return { ai: m[1]!, value: m[2]! };
  });
  const input: PackLabelInput = {
    gtin: values.gtin ?? '',
    serial: values.serial ?? '',
    lot: values.lot ?? '',
    expiry: values.expiry ?? '',
    ...(values.nhrn ? { nhrn: values.nhrn } : {}),
    ...(values['nhrn-ai'] ? { nhrnAi: values['nhrn-ai'] } : {}),
    ...(extra.length ? { extra } : {}),
    ...(values.name ? { productName: values.name } : {}),
    ...(values.strength ? { strength: values.strength } : {}),
  };
  const y = year(values.year);
  const st = style(values.style);
  return write(
    packLabel(input, {
      ...sizeOptions(values),
      ...(st ? { hriStyle: st } : {}),
      ...(y ? { currentYear: y } : {}),
    }),
    values,
  );
}

async function ssccCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...LABEL_OPTS,
    sscc: { type: 'string' },
    gtin: { type: 'string' },
    count: { type: 'string' },
    lot: { type: 'string' },
    expiry: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    name: { type: 'string' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`labels sscc takes no positional arguments ('${positionals[0]}')`);
  const input: SsccLabelInput = {
    sscc: values.sscc ?? '',
    ...(values.gtin ? { gtin: values.gtin } : {}),
    ...(values.count ? { count: values.count } : {}),
    ...(values.lot ? { lot: values.lot } : {}),
    ...(values.expiry ? { expiry: values.expiry } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.name ? { productName: values.name } : {}),
  };
  const y = year(values.year);
  return write(ssccLabel(input, { ...sizeOptions(values), ...(y ? { currentYear: y } : {}) }), values);
}

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks, CRLF or LF rows. Returns the rows and each row's line. */
export function parseCsv(text: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new UsageError(`CSV: a quoted field opened on line ${rowLine} is never closed`);
  if (field !== '' || row.length) endRow();
  return { rows, lines };
}

const CSV_COLUMNS = new Set([
  'type',
  'gtin',
  'serial',
  'lot',
  'expiry',
  'nhrn',
  'nhrnAi',
  'productName',
  'strength',
  'sscc',
  'count',
  'from',
  'to',
  'copies',
]);

/** Labels from CSV text; `lineOf[i]` is the line label i came from. */
export function labelsFromCsv(text: string): { labels: SheetLabel[]; lineOf: number[] } {
  const { rows, lines } = parseCsv(text);
  if (rows.length < 2) throw new UsageError('CSV: a header row and at least one label row are needed');
  const header = rows[0]!.map((h) => h.trim());
  for (const h of header)
    if (!CSV_COLUMNS.has(h) && !/^ai\d{2,4}$/.test(h))
      throw new UsageError(`CSV: unknown column '${h}' (known: ${[...CSV_COLUMNS].join(', ')}, aiNN)`);
  const labels: SheetLabel[] = [];
  const lineOf: number[] = [];
  rows.slice(1).forEach((r, k) => {
    if (r.length !== header.length)
      throw new UsageError(`CSV line ${lines[k + 1]}: ${r.length} fields, the header has ${header.length}`);
    const o: Record<string, unknown> = {};
    const extra: { ai: string; value: string }[] = [];
    header.forEach((h, j) => {
      const v = r[j]!;
      if (v === '') return;
      const ai = /^ai(\d{2,4})$/.exec(h);
      if (ai) extra.push({ ai: ai[1]!, value: v });
      else if (h === 'copies') o.copies = Number(v);
      else o[h] = v;
    });
    if (extra.length) o.extra = extra;
    o.type ??= o.sscc ? 'sscc' : 'pack';
    labels.push(o as unknown as SheetLabel);
    lineOf.push(lines[k + 1]!);
  });
  return { labels, lineOf };
}

async function sheetCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    input: { type: 'string', short: 'i' },
    output: { type: 'string', short: 'o' },
    page: { type: 'string' },
    'label-width': { type: 'string' },
    'label-height': { type: 'string' },
    margin: { type: 'string' },
    gap: { type: 'string' },
    columns: { type: 'string' },
    rows: { type: 'string' },
    outline: { type: 'boolean' },
    style: { type: 'string' },
    year: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`labels sheet takes no positional arguments ('${positionals[0]}')`);
  if (!values.input) throw new UsageError('labels sheet needs --input labels.csv|labels.json');
  if (!values.output) throw new UsageError('labels sheet needs -o sheet.pdf');
  let text: string;
  try {
    text = readFileSync(values.input, 'utf8');
  } catch (e) {
    err(`cannot read ${values.input}: ${(e as Error).message}`);
    return 1;
  }
  let labels: SheetLabel[];
  let fileOptions: SheetOptions = {};
  let lineOf: number[] | undefined;
  if (values.input.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(text)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      err(`${values.input} is not JSON: ${(e as Error).message}`);
      return 1;
    }
    if (Array.isArray(doc)) labels = doc as SheetLabel[];
    else if (doc && typeof doc === 'object' && Array.isArray((doc as { labels?: unknown }).labels)) {
      const { labels: l, ...rest } = doc as { labels: SheetLabel[] } & SheetOptions;
      labels = l;
      fileOptions = rest;
    } else {
      err(`${values.input}: expected a list of labels or { "labels": [...] }`);
      return 1;
    }
  } else ({ labels, lineOf } = labelsFromCsv(text));

  const page =
    values.page === undefined
      ? undefined
      : values.page.toLowerCase() === 'a4'
        ? 'A4'
        : values.page.toLowerCase() === 'letter'
          ? 'letter'
          : undefined;
  if (values.page !== undefined && !page)
    throw new UsageError(`--page is A4 or letter, not '${values.page}'`);
  const st = style(values.style);
  const y = year(values.year);
  const opts: SheetOptions = { ...fileOptions };
  if (page) opts.page = page;
  const set = (k: keyof SheetOptions, v: number | undefined) => {
    if (v !== undefined) (opts as Record<string, unknown>)[k] = v;
  };
  set('labelWidthMm', num('label-width', values['label-width']));
  set('labelHeightMm', num('label-height', values['label-height']));
  set('marginMm', num('margin', values.margin));
  set('gapMm', num('gap', values.gap));
  set('columns', num('columns', values.columns, true));
  set('rows', num('rows', values.rows, true));
  if (values.outline) opts.outline = true;
  if (st) opts.hriStyle = st;
  if (y) opts.currentYear = y;

  const r = buildSheet(labels, opts);
  if (!r.ok) {
    return report(r.errors, (field) => {
      const m = /^labels\[(\d+)\]\.?(.*)$/.exec(field);
      if (!m) return field;
      const where = lineOf ? `line ${lineOf[Number(m[1])]}` : `label ${Number(m[1]) + 1}`;
      return m[2] ? `${where}, ${m[2]}` : where;
    });
  }
  writeFileSync(values.output, r.value.pdf);
  err(
    `wrote ${values.output}: ${r.value.labels} labels on ${r.value.pages} ${r.value.page} page(s), ${r.value.columns} × ${r.value.rows} of ${r.value.labelWidth} × ${r.value.labelHeight} mm`,
  );
  return 0;
}

export function labelsCommand(argv: string[]): Promise<number> {
  return dispatch('labels', HELP, { pack: packCmd, sscc: ssccCmd, sheet: sheetCmd }, argv);
}
