/** `rxtrace gs1 …`: parse, convert, label and decode GS1 identities. */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { aiTitle, formatAll, type Gs1Data, type ParseOptions, parseGs1 } from '@rxtrace/gs1';
import { dispatch, err, out, parse, UsageError } from '../args.ts';
import { epcCommand } from './gs1-epc.ts';

const HELP = `Usage:
  rxtrace gs1 parse <data> [options]     parse any GS1 input and print every form as JSON
  rxtrace gs1 parse --jsonl [options]    read one input per stdin line, write one JSON result per line
  rxtrace gs1 label <data> [--symbology gs1-datamatrix|gs1-128|dl-qr|dl-datamatrix]
                    [--format svg|png] [--hri] [--module-size N] -o FILE
  rxtrace gs1 decode <image.png|image.jpg>
  rxtrace gs1 epc <data> --gcp-length N  GS1 data → EPC URI (pure identity), or EPC URI → GS1 data
      [--filter N --scheme sgtin-96|sgtin-198|sscc-96|…]   also the tag encoding (tag URI and hex)

<data> is scan data (]d2…, with GS characters), an element string ((01)…(21)… or ^01…^21…),
a GS1 Digital Link URI (any domain, plain or compressed), an EPC URI, or a bare GTIN.

Parse options:
  --permit-unknown-ais    accept AIs the syntax dictionary does not know
  --no-associations       do not check which AIs must (not) appear together
  --lenient               accept 8/12/13-digit GTINs and short names (/gtin/) in Digital Links
  --year YYYY             interpret two-digit years relative to this year (default: now)
`;

const PARSE_OPTS = {
  jsonl: { type: 'boolean' },
  'permit-unknown-ais': { type: 'boolean' },
  'no-associations': { type: 'boolean' },
  lenient: { type: 'boolean' },
  year: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(v: {
  'permit-unknown-ais'?: boolean;
  'no-associations'?: boolean;
  lenient?: boolean;
  year?: string;
}): ParseOptions {
  const o: ParseOptions = {};
  if (v['permit-unknown-ais']) o.permitUnknownAIs = true;
  if (v['no-associations']) o.associations = false;
  if (v.lenient) {
    o.permitZeroSuppressedGTINinDLuris = true;
    o.permitConvenienceAlphas = true;
  }
  if (v.year) {
    const y = Number(v.year);
    if (!Number.isInteger(y) || y < 1900 || y > 2999)
      throw new UsageError(`--year must be a four-digit year, not '${v.year}'`);
    o.currentYear = y;
  }
  return o;
}

/** The JSON document `gs1 parse` prints for one input. */
export function describe(input: string, opts: ParseOptions) {
  const r = parseGs1(input, opts);
  if (!r.ok) return { input, valid: false, errors: r.errors };
  const d: Gs1Data = r.value;
  return {
    input,
    valid: true,
    form: d.form,
    ...(d.symbologyIdentifier ? { symbology: d.symbology, symbologyIdentifier: d.symbologyIdentifier } : {}),
    elements: d.elements.map((e) => ({ ai: e.ai, title: aiTitle(e.ai), value: e.value })),
    fields: d.fields,
    forms: formatAll(d.elements, { ...(d.linearCount === undefined ? {} : { linearCount: d.linearCount }) }),
    warnings: d.warnings,
  };
}

async function parseCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, PARSE_OPTS);
  if (values.help) {
    out(HELP);
    return 0;
  }
  const opts = parseOptions(values);
  if (values.jsonl) {
    if (positionals.length)
      throw new UsageError('--jsonl reads its inputs from stdin; give no <data> argument');
    let bad = 0;
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) {
      if (line.length === 0) continue;
      const res = describe(line, opts);
      if (!res.valid) bad++;
      process.stdout.write(`${JSON.stringify(res)}\n`);
    }
    return bad ? 1 : 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      'gs1 parse takes one <data> argument (quote it: it may hold brackets or GS characters)',
    );
  const res = describe(positionals[0]!, opts);
  out(JSON.stringify(res, null, 2));
  return res.valid ? 0 : 1;
}

async function labelCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    symbology: { type: 'string' },
    format: { type: 'string' },
    hri: { type: 'boolean' },
    'module-size': { type: 'string' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('gs1 label takes one <data> argument');
  if (!values.output) throw new UsageError('gs1 label needs -o FILE');
  const format = values.format ?? (values.output.endsWith('.png') ? 'png' : 'svg');
  if (format !== 'svg' && format !== 'png') throw new UsageError('--format is svg or png');
  const parsed = parseGs1(positionals[0]!);
  if (!parsed.ok) {
    for (const e of parsed.errors) err(`invalid GS1 data: ${e.message}`);
    return 1;
  }
  const elements = parsed.value.elements;
  const symbology = (values.symbology ??
    (elements.some((e) => e.ai === '00') && elements.length === 1 ? 'gs1-128' : 'gs1-datamatrix')) as string;
  const { renderPng, renderSvg } = await import('@rxtrace/gs1/barcode');
  let content: Parameters<typeof renderSvg>[0];
  if (symbology === 'dl-qr' || symbology === 'dl-datamatrix') {
    const uri = formatAll(elements).digitalLink;
    if (!uri) {
      err('these AIs cannot form a GS1 Digital Link URI');
      return 1;
    }
    content = { symbology, uri };
  } else if (symbology === 'gs1-datamatrix' || symbology === 'gs1-128') {
    content = { symbology, elements };
  } else throw new UsageError(`unknown --symbology '${symbology}'`);
  const moduleSize = values['module-size'] ? Number(values['module-size']) : undefined;
  const opts = { ...(values.hri ? { hri: true } : {}), ...(moduleSize ? { moduleSize } : {}) };
  const r = format === 'svg' ? renderSvg(content, opts) : await renderPng(content, opts);
  if (!r.ok) {
    for (const e of r.errors) err(e.message);
    return 1;
  }
  writeFileSync(values.output, r.value);
  err(`wrote ${values.output} (${symbology}, ${format})`);
  return 0;
}

async function decodeCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, PARSE_OPTS);
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('gs1 decode takes one image file');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(positionals[0]!);
  } catch (e) {
    err(`cannot read ${positionals[0]}: ${(e as Error).message}`);
    return 1;
  }
  const { decodeBarcodes } = await import('@rxtrace/gs1/barcode');
  const r = await decodeBarcodes(bytes);
  if (!r.ok) {
    for (const e of r.errors) err(e.message);
    return 1;
  }
  if (r.value.length === 0) {
    err('no barcode found in the image');
    return 1;
  }
  const opts = parseOptions(values);
  const results = r.value.map((s) => ({ scanData: s.scanData, ...describe(s.scanData, opts) }));
  out(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  return results.every((x) => x.valid) ? 0 : 1;
}

export function gs1Command(argv: string[]): Promise<number> {
  return dispatch(
    'gs1',
    HELP,
    { parse: parseCmd, label: labelCmd, decode: decodeCmd, epc: epcCommand },
    argv,
  );
}
