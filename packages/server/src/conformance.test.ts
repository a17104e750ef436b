/**
 * Every example document of ../shared/conformance/epcis-examples through the HTTP capture
 * interface, by the verdict tables (json/json-schema-validation.tsv, xml/xsd-validation.tsv):
 * - a valid EPCISDocument / EPCISQueryDocument: POST /capture → 202, the job succeeded;
 * - a valid bare event (no document around it): POST /events → 201;
 * - a valid XML file that is no event document (master data document, capture job, Poll query):
 *   refused by POST /capture (400) — it holds no events to capture;
 * - an invalid file: refused (400) with a problem naming the fault the table names: the JSON
 *   pointer (JSON), the element and a line at or before the table's (XML).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './testing.ts';

const ROOT = new URL('../../../../shared/conformance/epcis-examples/', import.meta.url).pathname;
const present = existsSync(join(ROOT, 'xml/xsd-validation.tsv'));
const skip = !present && '../shared/conformance not present: skipping the capture conformance run';

interface Row {
  path: string;
  verdict: string;
  note: string;
  kind: 'json' | 'xml';
}

function rows(): Row[] {
  if (!present) return [];
  const out: Row[] = [];
  for (const l of readFileSync(join(ROOT, 'json/json-schema-validation.tsv'), 'utf8').split('\n').slice(1)) {
    const [path, against, verdict, note] = l.split('\t');
    if (path && against === 'epcis-schema')
      out.push({ path: `json/${path}`, verdict: verdict!, note: note ?? '', kind: 'json' });
  }
  for (const l of readFileSync(join(ROOT, 'xml/xsd-validation.tsv'), 'utf8').split('\n').slice(1)) {
    const [path, , verdict, note] = l.split('\t');
    if (path) out.push({ path: `xml/${path}`, verdict: verdict!, note: note ?? '', kind: 'xml' });
  }
  return out;
}

type Problem = {
  type?: string;
  detail?: string;
  pointer?: string;
  errors?: { detail?: string; pointer?: string }[];
};

function isBareEvent(text: string, kind: 'json' | 'xml'): boolean {
  if (kind === 'json') {
    const t = (JSON.parse(text) as { type?: string }).type;
    return t !== 'EPCISDocument' && t !== 'EPCISQueryDocument';
  }
  const root = /<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  return /Event$/.test(root?.[2] ?? '');
}

function isEventDocument(text: string): boolean {
  return /<([\w.-]+:)?EPCIS(Query)?Document[\s>]/.test(text) && !/<(\w+:)?Poll[\s>]/.test(text);
}

// Documents on one server; bare events on one server per format (the XML and JSON bare events
// are twins: the same events, which a second POST /events would rightly refuse with 409).
let s: TestServer;
let bareJson: TestServer;
let bareXml: TestServer;
before(async () => {
  if (!present) return;
  s = await startTestServer();
  bareJson = await startTestServer();
  bareXml = await startTestServer();
});
after(async () => {
  await s?.close();
  await bareJson?.close();
  await bareXml?.close();
});

test('every example: valid ones captured, invalid ones refused with a problem naming the fault', {
  skip,
}, async () => {
  const failures: string[] = [];
  let captured = 0;
  let refused = 0;
  for (const row of rows()) {
    const text = readFileSync(join(ROOT, row.path), 'utf8');
    const type = row.kind === 'xml' ? 'application/xml' : 'application/ld+json';
    const single = isBareEvent(text, row.kind);
    const target = single ? (row.kind === 'xml' ? bareXml : bareJson) : s;
    const r = await target.req(single ? '/events' : '/capture', {
      method: 'POST',
      headers: { 'content-type': type, accept: 'application/json' },
      body: text,
    });
    const body = (await r.json()) as Problem & { success?: boolean };
    const expectValid =
      row.verdict === 'valid' || (row.verdict === 'not-checked' && !row.path.includes('/Invalid/'));
    const capturable = row.kind === 'json' || single || isEventDocument(text);
    if (expectValid && capturable) {
      const ok = single ? r.status === 201 : r.status === 202 && body.success === true;
      if (!ok) failures.push(`${row.path}: expected capture, got ${r.status} ${body.detail ?? ''}`);
      else captured++;
      continue;
    }
    // Refused: as a whole (400), with a problem of the binding.
    if (r.status !== 400 || body.type !== 'epcisException:ValidationException') {
      failures.push(`${row.path}: expected 400 ValidationException, got ${r.status} ${body.type}`);
      continue;
    }
    refused++;
    const problems = [body, ...(body.errors ?? [])];
    if (!expectValid && row.kind === 'json') {
      // The table's JSON pointer (up to ':'), or a member below it.
      const ptr = row.note.slice(0, row.note.indexOf(':')).replace(/^\/$/, '');
      if (
        !problems.some(
          (p) =>
            p.pointer !== undefined &&
            (p.pointer.startsWith(ptr) || ptr.startsWith(p.pointer) || (ptr === '' && p.pointer === '')),
        )
      )
        failures.push(`${row.path}: no problem at ${ptr}: ${JSON.stringify(problems.map((p) => p.pointer))}`);
    } else if (!expectValid && capturable && row.kind === 'xml' && row.verdict === 'invalid') {
      const m = /^line (\d+): Element '(?:\{[^}]*\})?([^']+)'/.exec(row.note);
      if (m) {
        const line = Number(m[1]);
        const element = m[2]!;
        const named = problems.some((p) => {
          const l = /line (\d+)/.exec(p.detail ?? '');
          return (
            (p.detail ?? '').includes(element) &&
            l !== null &&
            Number(l[1]) <= line &&
            Number(l[1]) >= line - 3
          );
        });
        if (!named)
          failures.push(
            `${row.path}: the problem does not name <${element}> at line ${line}: ${body.detail}`,
          );
      }
    } else if (!capturable && !/not an EPCIS document|Poll|not a document/i.test(body.detail ?? '')) {
      failures.push(`${row.path}: refused, but not as a non-event document: ${body.detail}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(captured > 150, `captured ${captured}`);
  assert.ok(refused > 30, `refused ${refused}`);
});
