/**
 * `rxtrace import <file...>`: captures EPCIS documents (JSON-LD or XML, 2.0 or 1.2) into the store —
 * directly through the capture pipeline (`--data` / `--db`), or over HTTP (`--url` + `--key`) — with
 * a progress bar on stderr. One JSON line per file on stdout: captureID, success, stored,
 * duplicates, errors. Exit status 1 when a file was not captured without error.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { CaptureService } from '@rxtrace/core';
import type { CaptureErrorBehaviour, CaptureProblem } from '@rxtrace/store';
import { err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const IMPORT_HELP = `rxtrace import — capture EPCIS files into the repository

Usage: rxtrace import <file...> [options]

Options:
  --data DIR        SQLite data directory (default ./data)
  --db URL          PostgreSQL: postgres://… (or DATABASE_URL)
  --url URL         send the files to a running server instead (POST URL/capture)
  --key KEY         API key for --url (role capture; or RXTRACE_API_KEY)
  --proceed         store the valid events of a file with invalid ones (default: all or nothing)
  --no-progress     no progress bar
`;

interface FileResult {
  file: string;
  captureID?: string;
  success: boolean;
  stored?: number;
  duplicates?: number;
  status?: number;
  errors: CaptureProblem[] | unknown[];
}

const MB = 1024 * 1024;

/** The progress bar on stderr (drawn only on a terminal, at most 10 times a second). */
class Progress {
  private done = 0;
  private events = 0;
  private label = '';
  private last = 0;
  private drawn = false;
  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}
  file(name: string): void {
    this.label = name;
    this.draw(true);
  }
  bytes(n: number): void {
    this.done += n;
    this.draw(false);
  }
  eventCount(n: number): void {
    this.events = n;
    this.draw(false);
  }
  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const f = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 24;
    const full = Math.round(f * width);
    const bar = `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
    const line = `[${bar}] ${String(Math.floor(f * 100)).padStart(3)}% ${(this.done / MB).toFixed(1)}/${(this.total / MB).toFixed(1)} MB · ${this.events} events · ${this.label}`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
    this.drawn = true;
  }
  end(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}

function mediaTypeOf(file: string): string | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.xml') return 'application/xml';
  if (ext === '.json' || ext === '.jsonld') return 'application/ld+json';
  return undefined;
}

async function* counted(file: string, progress: Progress): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    progress.bytes((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

async function importDirect(
  files: string[],
  opts: { data?: string | undefined; db?: string | undefined; behaviour: CaptureErrorBehaviour },
  progress: Progress,
): Promise<FileResult[]> {
  const { store } = await openStore(opts);
  const results: FileResult[] = [];
  try {
    await store.migrate();
    const service = new CaptureService(store);
    for (const file of files) {
      progress.file(basename(file));
      const o = await service.capture({
        body: counted(file, progress),
        ...(mediaTypeOf(file) ? { contentType: mediaTypeOf(file) } : {}),
        errorBehaviour: opts.behaviour,
        onEvent: (n) => progress.eventCount(n),
      });
      results.push({
        file,
        captureID: o.job.captureId,
        success: o.job.success,
        stored: o.stored,
        duplicates: o.duplicates,
        errors: o.job.errors,
      });
    }
  } finally {
    await store.close();
  }
  return results;
}

async function importHttp(
  files: string[],
  opts: { url: string; key: string | undefined; behaviour: CaptureErrorBehaviour },
  progress: Progress,
): Promise<FileResult[]> {
  const base = opts.url.replace(/\/+$/, '');
  const results: FileResult[] = [];
  for (const file of files) {
    progress.file(basename(file));
    const headers: Record<string, string> = {
      'GS1-Capture-Error-Behaviour': opts.behaviour,
      accept: 'application/json',
    };
    const type = mediaTypeOf(file);
    if (type) headers['content-type'] = type;
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let res: Response;
    try {
      res = await fetch(`${base}/capture`, {
        method: 'POST',
        headers,
        body: counted(file, progress) as never,
        duplex: 'half',
      } as RequestInit);
    } catch (e) {
      results.push({
        file,
        success: false,
        errors: [{ detail: `cannot reach ${base}: ${(e as Error).message}` }],
      });
      continue;
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { detail: text.slice(0, 500) };
    }
    if (res.status === 202) {
      results.push({
        file,
        captureID: String(body.captureID),
        success: body.success === true,
        stored: Number(body.eventCount ?? 0),
        duplicates: Number(body.duplicates ?? 0),
        errors: (body.errors as unknown[]) ?? [],
      });
    } else {
      const r: FileResult = {
        file,
        success: false,
        status: res.status,
        errors: (body.errors as unknown[] | undefined) ?? [body],
      };
      if (typeof body.captureID === 'string') r.captureID = body.captureID;
      results.push(r);
    }
  }
  return results;
}

export async function importCommand(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseImport>;
  try {
    parsed = parseImport(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`rxtrace import: ${e.message}\n\n${IMPORT_HELP}`);
      return 2;
    }
    throw e;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(IMPORT_HELP);
    return 0;
  }
  let total = 0;
  for (const f of positionals) {
    try {
      total += statSync(f).size;
    } catch {
      err(`rxtrace import: cannot read ${f}`);
      return 2;
    }
  }
  const behaviour: CaptureErrorBehaviour = values.proceed ? 'proceed' : 'rollback';
  const progress = new Progress(total, !values['no-progress'] && process.stderr.isTTY === true);
  const results = values.url
    ? await importHttp(
        positionals,
        { url: values.url, key: values.key ?? process.env.RXTRACE_API_KEY, behaviour },
        progress,
      )
    : await importDirect(positionals, { data: values.data, db: values.db, behaviour }, progress);
  progress.end();
  let failed = 0;
  for (const r of results) {
    out(JSON.stringify(r));
    if (!r.success) failed++;
    const first = r.errors[0] as { detail?: string } | undefined;
    err(
      r.success
        ? `${r.file}: ${r.stored} events stored${r.duplicates ? `, ${r.duplicates} already stored` : ''}`
        : `${r.file}: FAILED${r.stored ? ` (${r.stored} events stored)` : ''}${first?.detail ? ` — ${first.detail}` : ''}`,
    );
  }
  return failed ? 1 : 0;
}

function parseImport(argv: string[]) {
  const r = parse(argv, {
    data: { type: 'string' },
    db: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    proceed: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!r.values.help && r.positionals.length === 0) throw new UsageError('name at least one file');
  if (r.values.url && (r.values.data || r.values.db))
    throw new UsageError('--url sends to a server: --data / --db do not apply');
  return r;
}
