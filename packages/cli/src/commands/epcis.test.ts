/** `rxtrace epcis` as a user runs it: a real process on real files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const SHARED = new URL('../../../../../shared/conformance/', import.meta.url).pathname;
const VECTORS = join(SHARED, 'event-hash-vectors');
const present = existsSync(VECTORS);
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-epcis-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rx(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DOC = {
  '@context': [
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
    { ex: 'https://example.com/ns/' },
  ],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-03-01T10:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventTime: '2026-03-01T09:00:00.000+01:00',
        eventTimeZoneOffset: '+01:00',
        epcList: ['urn:epc:id:sgtin:9506000.013437.SER1', 'urn:epc:id:sgtin:9506000.013437.SER2'],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: 'urn:epc:id:sgln:9506000.00001.0' },
        ilmd: { 'ex:lot': 'LOT42' },
      },
    ],
  },
};

test('epcis hash prints exactly the .hashes file of every vector document', {
  skip: !present && '../shared/conformance not present: skipping the hash vectors',
}, () => {
  const docs = readdirSync(VECTORS).filter((f) => f.endsWith('.jsonld') || f.endsWith('.xml'));
  assert.ok(docs.length >= 20);
  for (const f of docs) {
    const r = rx(['epcis', 'hash', join(VECTORS, f)]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.equal(
      r.stdout,
      readFileSync(join(VECTORS, f.replace(/\.(jsonld|xml)$/, '.hashes')), 'utf8').replace(/\n?$/, '\n'),
      f,
    );
  }
  const pre = rx(['epcis', 'hash', '--prehash', join(VECTORS, 'epcisDocWithSingleEvent.jsonld')]);
  assert.equal(
    pre.stdout,
    readFileSync(join(VECTORS, 'epcisDocWithSingleEvent.prehashes'), 'utf8').replace(/\n?$/, '\n'),
  );
});

test('epcis validate accepts a valid document and names each fault of an invalid one with its location', () => {
  const good = join(dir, 'good.jsonld');
  writeFileSync(good, JSON.stringify(DOC));
  const ok = rx(['epcis', 'validate', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /valid \(1 event\)/);

  const badDoc = structuredClone(DOC) as unknown as { epcisBody: { eventList: Record<string, unknown>[] } };
  const ev = badDoc.epcisBody.eventList[0]!;
  delete ev.eventTime;
  ev.action = 'CREATE';
  const bad = join(dir, 'bad.jsonld');
  writeFileSync(bad, JSON.stringify(badDoc));
  const r = rx(['epcis', 'validate', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/epcisBody\/eventList\/0/);
  assert.match(r.stderr, /eventTime/);
  assert.match(r.stderr, /action/);

  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"type": "EPCISDocument", "epcisBody": {"eventList": [ {"type": ');
  const b = rx(['epcis', 'validate', broken]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /broken\.json:1:/);

  const evil = join(dir, 'evil.xml');
  writeFileSync(
    evil,
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">&b;</epcis:EPCISDocument>',
  );
  const x = rx(['epcis', 'validate', evil]);
  assert.equal(x.code, 1);
  assert.match(x.stderr, /DOCTYPE|DTD/i);
});

test('epcis convert: JSON → XML 2.0 → JSON keeps the events and their hashes; 1.2 XML too', () => {
  const src = join(dir, 'doc.jsonld');
  writeFileSync(src, JSON.stringify(DOC));
  const want = rx(['epcis', 'hash', src]).stdout;
  for (const version of ['2.0', '1.2']) {
    const xml = join(dir, `doc-${version}.xml`);
    const c = rx(['epcis', 'convert', src, '--to', 'xml', '--epcis', version, '-o', xml]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(
      readFileSync(xml, 'utf8'),
      version === '2.0' ? /urn:epcglobal:epcis:xsd:2/ : /urn:epcglobal:epcis:xsd:1/,
    );
    assert.equal(rx(['epcis', 'validate', xml]).code, 0, `EPCIS ${version} XML is valid`);
    assert.equal(rx(['epcis', 'hash', xml]).stdout, want, `EPCIS ${version} XML hashes like the JSON`);
    const back = join(dir, `back-${version}.jsonld`);
    assert.equal(rx(['epcis', 'convert', xml, '--to', 'json', '-o', back]).code, 0);
    assert.equal(rx(['epcis', 'hash', back]).stdout, want);
  }
  assert.equal(rx(['epcis', 'convert', src, '--to', 'json', '--epcis', '1.2']).code, 2);
});
