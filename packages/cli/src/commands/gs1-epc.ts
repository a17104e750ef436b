/** `rxtrace gs1 epc`: GS1 data ⇄ EPC URIs, and RFID tag encodings (tag URI and hex). */
import { readFileSync } from 'node:fs';
import {
  type AiElement,
  companyPrefixOf,
  decodeEpcTag,
  type EpcUri,
  elementsToEpc,
  encodeEpcTag,
  epcToElements,
  formatAll,
  type Gs1Problem,
  isEpcScheme,
  parseEpcUri,
  parseGcpLengthTable,
  parseGs1,
  type TagScheme,
  tagSchemesFor,
} from '@rxtrace/gs1';
import { err, out, parse, UsageError } from '../args.ts';

const HELP = `Usage:
  rxtrace gs1 epc <gs1 data> (--gcp-length N | --gcp-table FILE) [--scheme S] [--filter N]
  rxtrace gs1 epc <urn:epc:id:…> [--scheme S] [--filter N]
  rxtrace gs1 epc <hex>                    decode an EPC tag (EPC memory bank, hex)

GS1 data → EPC needs the GS1 Company Prefix length: give it (--gcp-length), or a GS1
GCP length table (GCPPrefixFormatList XML) to look it up in (--gcp-table).
--scheme names a tag encoding (sgtin-96, sgtin-198, sscc-96, sgln-96, sgln-195, grai-96, …) and
--filter its filter value (for SGTIN: 1 point-of-sale item, 2 full case, 6 unit load); with
either, the tag URI and hex are printed too.
`;

function fail(problems: Gs1Problem[]): number {
  for (const p of problems) err(p.message);
  return 1;
}

export async function epcCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    'gcp-length': { type: 'string' },
    'gcp-table': { type: 'string' },
    scheme: { type: 'string' },
    filter: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('gs1 epc takes one <data> argument');
  const input = positionals[0]!;
  const filter = values.filter === undefined ? undefined : Number(values.filter);
  if (filter !== undefined && (!Number.isInteger(filter) || filter < 0 || filter > 63))
    throw new UsageError('--filter is a small whole number (0-7 for GS1 schemes)');
  const tagOpts = {
    ...(filter === undefined ? {} : { filter }),
    ...(values.scheme ? { scheme: values.scheme as TagScheme } : {}),
  };
  const wantTag = values.scheme !== undefined || filter !== undefined;

  // A tag's EPC memory in hex.
  if (/^[0-9A-Fa-f]{16,}$/.test(input) && !/^\d+$/.test(input)) {
    const t = decodeEpcTag(input);
    if (!t.ok) return fail(t.errors);
    return report(t.value.epc, {
      tagUri: t.value.tagUri,
      hex: t.value.hex,
      scheme: t.value.scheme,
      filter: t.value.filter,
    });
  }

  let epc: EpcUri;
  if (input.startsWith('urn:epc:')) {
    const r = parseEpcUri(input);
    if (!r.ok) return fail(r.errors);
    epc = r.value;
  } else {
    const g = parseGs1(input);
    if (!g.ok) return fail(g.errors);
    const len = companyPrefixLength(values['gcp-length'], values['gcp-table'], g.value.elements);
    const r = elementsToEpc(g.value.elements, {
      companyPrefixLength: len,
      ...(values.scheme && isEpcScheme(values.scheme.split('-')[0]!)
        ? { scheme: values.scheme.split('-')[0] as never }
        : {}),
    });
    if (!r.ok) return fail(r.errors);
    epc = r.value;
  }
  if (!wantTag) return report(epc);
  const t = encodeEpcTag(epc, tagOpts);
  if (!t.ok) {
    const schemes = tagSchemesFor(epc.scheme);
    return fail([
      ...t.errors,
      { code: 'RX_HINT', message: `Tag encodings of ${epc.scheme}: ${schemes.join(', ') || 'none'}.` },
    ]);
  }
  return report(epc, {
    tagUri: t.value.tagUri,
    hex: t.value.hex,
    scheme: t.value.scheme,
    filter: t.value.filter,
  });
}

function companyPrefixLength(
  given: string | undefined,
  tableFile: string | undefined,
  elements: AiElement[],
): number {
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 4 || n > 12)
      throw new UsageError('--gcp-length is a whole number from 4 to 12');
    return n;
  }
  if (tableFile === undefined)
    throw new UsageError(
      'GS1 data → EPC needs --gcp-length N or --gcp-table FILE (the company prefix length cannot be derived from the number)',
    );
  let xml: string;
  try {
    xml = readFileSync(tableFile, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${tableFile}: ${(e as Error).message}`);
  }
  const t = parseGcpLengthTable(xml);
  if (!t.ok) throw new UsageError(t.errors[0]!.message);
  const key = elements.find((e) =>
    [
      '01',
      '00',
      '414',
      '417',
      '8003',
      '8004',
      '8017',
      '8018',
      '253',
      '255',
      '401',
      '402',
      '8006',
      '8010',
    ].includes(e.ai),
  );
  if (!key) throw new UsageError('the data holds no GS1 key');
  const digits =
    key.ai === '8003'
      ? key.value.slice(1, 14)
      : key.value.slice(0, key.ai === '01' || key.ai === '00' || key.ai === '8006' ? undefined : 13);
  const gcp = companyPrefixOf(digits, t.value);
  if (!gcp) throw new UsageError(`the GCP length table does not know the company prefix of ${key.value}`);
  return gcp.length;
}

function report(
  epc: EpcUri,
  tag?: { tagUri: string; hex: string; scheme: string; filter?: number | undefined },
): number {
  const els = epcToElements(epc);
  const forms = els.ok ? formatAll(els.value) : undefined;
  const doc = {
    epc: epc.uri,
    scheme: epc.scheme,
    ...(epc.companyPrefix ? { companyPrefix: epc.companyPrefix } : {}),
    ...(els.ok
      ? {
          elements: els.value,
          bracketed: forms!.bracketed,
          ...(forms!.digitalLink ? { digitalLink: forms!.digitalLink } : {}),
        }
      : {}),
    ...(tag ? { tag } : {}),
  };
  out(JSON.stringify(doc, null, 2));
  return 0;
}
