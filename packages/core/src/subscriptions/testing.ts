/**
 * Test support for subscriptions (not exported by the package index; tests import it by path): a
 * real webhook receiver on loopback, a SQLite store on a temporary file, events captured through
 * the capture pipeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@rxtrace/store';
// The SQLite store is not (yet) exported by the @rxtrace/store index: taken from its folder.
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { CaptureService } from '../capture/index.ts';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The raw body, as received. */
  body: string;
  doc: {
    type: string;
    epcisBody: {
      queryResults: {
        queryName: string;
        subscriptionID?: string;
        resultsBody: { eventList: { eventID: string }[] };
      };
    };
  };
  /** The status the receiver answered. */
  status: number;
}

/** An HTTP server collecting webhook POSTs; `script` holds the statuses of the next answers (default 200). */
export class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  /** Decides the status from the request (after `script` is used up). */
  respond: ((r: Omit<Received, 'status'>) => number) | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/callback'): Promise<Receiver> {
    let self!: Receiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let doc: Received['doc'];
        try {
          doc = JSON.parse(body) as Received['doc'];
        } catch {
          doc = undefined as unknown as Received['doc'];
        }
        const r = { headers: req.headers, body, doc };
        const status = self.script.length ? self.script.shift()! : (self.respond?.(r) ?? 200);
        self.received.push({ ...r, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
        for (const w of self.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    self = new Receiver(server, `http://127.0.0.1:${port}${path}`);
    return self;
  }

  /** Requests answered 2xx. */
  get delivered(): Received[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** eventIDs of the 2xx-answered documents, in order. */
  deliveredEventIds(): string[] {
    return this.delivered.flatMap((r) =>
      r.doc.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID),
    );
  }

  /** Resolves when `cond` holds (checked on each request), rejects after `ms`. */
  async until(
    cond: () => boolean,
    ms = 5000,
    what = 'the receiver to get the expected requests',
  ): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (got ${this.received.length} requests)`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  ms = 5000,
  what = 'a condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A migrated SQLite store on a temporary file. */
export async function tempStore(): Promise<{ store: Store; file: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-subs-'));
  const file = join(dir, 'events.db');
  const store = await openSqliteStore({ file });
  await store.migrate();
  return {
    store,
    file,
    async dispose() {
      try {
        await store.close();
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let serial = 0;

/** An ObjectEvent with a fresh eventID and EPC. */
export function objectEvent(
  bizStep: 'shipping' | 'receiving' | 'packing' = 'shipping',
): Record<string, unknown> & { eventID: string } {
  const n = ++serial;
  return {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T09:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    eventID: `urn:uuid:6d1a3f52-0000-4000-8000-${String(process.pid % 100000).padStart(5, '0')}${String(n).padStart(7, '0')}`,
    epcList: [`urn:epc:id:sgtin:9506000.013435.${process.pid}${n}`],
    action: 'OBSERVE',
    bizStep,
    readPoint: { id: 'urn:epc:id:sgln:9506000.13435.1' },
  };
}

export function epcisDocument(events: Record<string, unknown>[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T08:00:00Z',
    epcisBody: { eventList: events },
  });
}

/** Captures events through the capture pipeline; returns their eventIDs. */
export async function capture(
  store: Store,
  events: (Record<string, unknown> & { eventID: string })[],
): Promise<string[]> {
  const out = await new CaptureService(store).capture({
    body: [epcisDocument(events)],
    contentType: 'application/ld+json',
  });
  if (!out.job.success || out.stored !== events.length)
    throw new Error(`capture failed: ${JSON.stringify(out.job.errors)}`);
  return events.map((e) => e.eventID);
}
