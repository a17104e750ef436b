/**
 * Child process of `npm run bench -- epcis` (streaming memory): generates a large aggregation
 * document chunk by chunk and streams it through the reader with validation, in a process of its
 * own so that its RSS is that of the streaming alone. Prints one JSON line (see {@link RssReport}).
 *
 *   node --import tsx bench/lib/epcis-rss-child.ts json|xml [--cases N] [--items N] [--seed N] [--chunk BYTES]
 *
 * JSON: readEpcisJsonEvents, then validateDocumentHeader and validateEvent (JSON Schema + rules)
 * per event. XML: readEpcisXmlEvents with its XSD validation (the default).
 */
import { parseArgs } from 'node:util';
import {
  createValidationContext,
  type EPCISEvent,
  type EpcisDocumentHeader,
  type EpcisReadItem,
  readEpcisJsonEvents,
  readEpcisXmlEvents,
  validateDocumentHeader,
  validateEvent,
} from '@rxtrace/epcis';
import {
  countGenerated,
  type GenerateOptions,
  generateEpcisJsonChunks,
  generateEpcisXmlChunks,
} from '@rxtrace/epcis/testing';

export interface RssReport {
  format: 'json' | 'xml';
  /** Document size in bytes, as the reader counted it. */
  bytes: number;
  events: number;
  epcs: number;
  /** Validation problems (errors and warnings) found, plus a read error if any. */
  problems: number;
  error?: string;
  seconds: number;
  /** RSS before the first chunk, bytes. */
  rssStart: number;
  /** Largest RSS sampled (after every event and at the end), bytes. */
  rssPeak: number;
  /** resourceUsage().maxRSS of the process, bytes. */
  maxRss: number;
}

/** The document header with an empty event list, as validateDocumentHeader takes it. */
export function headerForValidation(h: EpcisDocumentHeader): Record<string, unknown> {
  const body = { ...(h.epcisBody ?? {}) };
  if (h.type === 'EPCISQueryDocument') {
    const qr = { ...(body.queryResults as Record<string, unknown> | undefined) };
    qr.resultsBody = { ...(qr.resultsBody as Record<string, unknown> | undefined), eventList: [] };
    body.queryResults = qr;
  } else body.eventList = [];
  return { ...h, epcisBody: body };
}

/**
 * The 1,000,000-EPC shape: `cases` AggregationEvents packing `items` packs each, on pallets of 10
 * cases (one AggregationEvent per pallet packing its 10 cases). Pallets of 10, not one pallet of
 * everything: the XML generator writes its frame (root, header) from a document of one pallet's
 * events, which for a single pallet would be the whole document in one string.
 */
export function bigAggregationOptions(cases: number, items: number, seed: number): GenerateOptions {
  const perPallet = Math.min(10, cases);
  return {
    seed,
    pallets: Math.ceil(cases / perPallet),
    casesPerPallet: perPallet,
    itemsPerCase: items,
    steps: { commissioning: false, packing: true, shipping: false, receiving: false },
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      cases: { type: 'string', default: '1000' },
      items: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '7' },
      chunk: { type: 'string', default: '65536' },
    },
  });
  const format = positionals[0];
  if (format !== 'json' && format !== 'xml') throw new Error('first argument: json or xml');
  const opts = bigAggregationOptions(Number(values.cases), Number(values.items), Number(values.seed));
  const chunkSize = Number(values.chunk);
  const expected = countGenerated(opts);
  const rssOf = process.memoryUsage.rss;

  const rssStart = rssOf();
  let rssPeak = rssStart;
  let events = 0;
  let epcs = 0;
  let problems = 0;
  let bytes = 0;
  let error: string | undefined;
  const ctx = createValidationContext();
  let pointer = '';
  const t0 = performance.now();
  const items: AsyncIterable<EpcisReadItem> =
    format === 'json'
      ? readEpcisJsonEvents(generateEpcisJsonChunks(opts, { chunkSize }))
      : readEpcisXmlEvents(generateEpcisXmlChunks(opts, { batch: 1 }, { chunkSize }));
  for await (const item of items) {
    if (item.kind === 'event') {
      const ev: EPCISEvent = item.event;
      events++;
      epcs += ev.childEPCs?.length ?? 0;
      if (format === 'json') problems += validateEvent(ev, `${pointer}/${item.index}`, ctx).length;
      const rss = rssOf();
      if (rss > rssPeak) rssPeak = rss;
    } else if (item.kind === 'header') {
      if (format === 'json') {
        problems += validateDocumentHeader(headerForValidation(item.header), ctx).length;
        pointer = ctx.eventListPointer;
      }
    } else if (item.kind === 'end') bytes = item.bytes;
    else {
      problems++;
      error = `${item.error.code}: ${item.error.message}`;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  rssPeak = Math.max(rssPeak, rssOf());
  if (events !== expected.events && error === undefined)
    error = `read ${events} events, the generator wrote ${expected.events}`;
  const report: RssReport = {
    format,
    bytes,
    events,
    epcs,
    problems,
    seconds,
    rssStart,
    rssPeak,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  if (error !== undefined) report.error = error;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// Run only as the child (bench/epcis.ts imports the helpers above).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  main().catch((e: unknown) => {
    process.stdout.write(
      `${JSON.stringify({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) })}\n`,
    );
    process.exitCode = 1;
  });
}
