/**
 * Group `hash`: the CBV 2.0 Event Hash ID against `event-hash-vectors/` (epcis.md §10).
 *
 * - one case per vector document, `.jsonld` and `.xml` separately: every event's pre-hash string
 *   and hash ID equal the `.prehashes` / `.hashes` lines, in document order;
 * - one case per `expected-equal/` document: all its events hash alike, to the value written next
 *   to it;
 * - one case per row of `dl-normalisation.csv` (empty expected value = left unchanged);
 * - GS1's "identical hash ID" XML set (`epcis-examples/xml/gs1/WithEventHashID/`): files 1, 3, 4 and 5
 *   give the hash the reference implementation gives them (event-hash-vectors/README.md), files 2
 *   (another eventTimeZoneOffset) and 6 (an `xsi:type` attribute, hashed as the reference does)
 *   give another one.
 *
 * No deviation is allowed in this group. XML documents the XML reader cannot read yet are listed
 * in PENDING_XML_READER (with what the reader lacks) and get their case as soon as it reads them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eventHashId,
  eventPreHash,
  type HashContext,
  hashContext,
  hashContextForXml,
} from '../../../packages/epcis/src/hash/index.ts';
import { normaliseIdentifier } from '../../../packages/epcis/src/identifiers.ts';
import { type EPCISAnyDocument, eventsOf, type Namespaces } from '../../../packages/epcis/src/model.ts';
import { parseEpcisXml } from '../../../packages/epcis/src/xml/index.ts';
import type { EpcisCase, EpcisGroup, Outcome } from '../types.ts';

const VECTORS = 'event-hash-vectors';
const pass: Outcome = { pass: true };
const fail = (detail: string): Outcome => ({ pass: false, detail });

/** Lines of a `.hashes` / `.prehashes` file (the last line may lack its newline). */
const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

// ---------------------------------------------------------------------------------------------
// XML documents

/**
 * XML vector documents the XML reader cannot read yet, with what it lacks. Such a document gets
 * its case as soon as the reader finds its events (the case is made whenever it does), so nothing
 * here can hide a regression of the hash.
 */
const PENDING_XML_READER: Record<string, string> = {
  'event-hash-vectors/epcisXmlQueryDocHavingEventWithIgnoreFields.xml':
    'an EPCISQueryDocument whose queryName / resultsBody / EventList sit directly under the root (no EPCISBody / QueryResults, as the reference implementation accepts): the reader finds no events in it',
};

function readXml(text: string): { doc: EPCISAnyDocument; namespaces: Namespaces } | string {
  // Hashing does not depend on XSD validity: several vectors are EPCIS 1.2 documents carrying 2.0
  // fields, or bend the structure (ignoreFields before EPCISBody).
  const r = parseEpcisXml(text, { validate: false, allowInertDoctype: true });
  if (!r.ok) return `XML reader: ${r.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`;
  return { doc: r.value, namespaces: r.namespaces };
}

/** Reads a vector document of either binding: its events and their hash context. */
function load(path: string): { events: Record<string, unknown>[]; ctx: HashContext } | string {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.xml')) {
    const r = readXml(text);
    if (typeof r === 'string') return r;
    return {
      events: eventsOf(r.doc) as Record<string, unknown>[],
      ctx: hashContextForXml(r.namespaces, r.doc),
    };
  }
  const doc = JSON.parse(text) as EPCISAnyDocument;
  return { events: eventsOf(doc) as Record<string, unknown>[], ctx: hashContext(doc) };
}

/** Compares pre-hash strings and hash IDs line by line. */
function compare(events: Record<string, unknown>[], ctx: HashContext, pre: string[], ids: string[]): Outcome {
  if (events.length !== ids.length) return fail(`${events.length} events, ${ids.length} expected hashes`);
  for (let i = 0; i < events.length; i++) {
    const p = eventPreHash(events[i]!, ctx);
    if (p !== pre[i]) {
      let at = 0;
      const e = pre[i] ?? '';
      while (at < p.length && p[at] === e[at]) at++;
      return fail(
        `event ${i}: pre-hash differs at character ${at}\n    expected …${e.slice(Math.max(0, at - 40), at + 80)}\n    got      …${p.slice(Math.max(0, at - 40), at + 80)}`,
      );
    }
    const id = eventHashId(events[i]!, ctx);
    if (id !== ids[i]) return fail(`event ${i}: hash ${id}, expected ${ids[i]}`);
  }
  return pass;
}

function vectorCase(root: string, dir: string, file: string, base: string): EpcisCase {
  const path = join(root, dir, file);
  return {
    id: `${dir}/${file}`,
    run() {
      const r = load(path);
      if (typeof r === 'string') return fail(r);
      return compare(
        r.events,
        r.ctx,
        lines(join(root, dir, `${base}.prehashes`)),
        lines(join(root, dir, `${base}.hashes`)),
      );
    },
  };
}

function equalCase(root: string, file: string, base: string): EpcisCase {
  const dir = `${VECTORS}/expected-equal`;
  const path = join(root, dir, file);
  return {
    id: `${dir}/${file}`,
    run() {
      const r = load(path);
      if (typeof r === 'string') return fail(r);
      if (r.events.length < 2) return fail(`${r.events.length} event(s): nothing to compare`);
      const distinct = new Set(r.events.map((e) => eventHashId(e, r.ctx)));
      if (distinct.size !== 1)
        return fail(`the ${r.events.length} events give ${distinct.size} different hashes`);
      return compare(
        r.events,
        r.ctx,
        lines(join(root, dir, `${base}.prehashes`)),
        lines(join(root, dir, `${base}.hashes`)),
      );
    },
  };
}

function dlCases(root: string): EpcisCase[] {
  const csv = join(root, VECTORS, 'dl-normalisation.csv');
  if (!existsSync(csv)) return [];
  const rows = readFileSync(csv, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '');
  return rows.map((row, i) => {
    // upstream_test,input,expected — neither field holds a comma.
    const [test, input = '', expected = ''] = row.split(',');
    return {
      id: `${VECTORS}/dl-normalisation.csv#${i + 2}:${test}`,
      run(): Outcome {
        const got = normaliseIdentifier(input);
        const want = expected === '' ? input : expected;
        return got === want ? pass : fail(`${input} → ${got}, expected ${want}`);
      },
    };
  });
}

const GS1_SAME_HASH =
  'ni:///sha-256;f2bd33fd4e051713b781b82ae63a3375bbf23d464265437d3fc45eee5b600733?ver=CBV2.0';

function gs1SameHashCases(root: string): EpcisCase[] {
  const dir = 'epcis-examples/xml/gs1/WithEventHashID';
  if (!existsSync(join(root, dir))) return [];
  return [1, 2, 3, 4, 5, 6].map((n) => {
    const file = `${dir}/event_with_identical_hash_id_${n}.xml`;
    const same = n !== 2 && n !== 6;
    return {
      id: file,
      run() {
        const r = load(join(root, file));
        if (typeof r === 'string') return fail(r);
        if (r.events.length !== 1) return fail(`${r.events.length} events, expected 1`);
        const id = eventHashId(r.events[0]!, r.ctx);
        if (same) return id === GS1_SAME_HASH ? pass : fail(`hash ${id}, expected ${GS1_SAME_HASH}`);
        return id !== GS1_SAME_HASH ? pass : fail(`hash ${id} should differ from the others`);
      },
    };
  });
}

/** Whether the XML reader finds events in a document (for {@link PENDING_XML_READER}). */
function readsEvents(path: string): boolean {
  const r = readXml(readFileSync(path, 'utf8'));
  return typeof r !== 'string' && eventsOf(r.doc).length > 0;
}

export const hashGroup: EpcisGroup = {
  name: 'hash',
  cases(root: string): EpcisCase[] {
    const dir = join(root, VECTORS);
    if (!existsSync(dir)) return [];
    const out: EpcisCase[] = [];
    for (const file of readdirSync(dir).sort()) {
      const m = /^(.+)\.(jsonld|xml)$/.exec(file);
      if (!m) continue;
      if (m[2] === 'xml' && PENDING_XML_READER[`${VECTORS}/${file}`] && !readsEvents(join(dir, file)))
        continue;
      out.push(vectorCase(root, VECTORS, file, m[1]!));
    }
    const eqDir = join(dir, 'expected-equal');
    if (existsSync(eqDir)) {
      for (const file of readdirSync(eqDir).sort()) {
        const m = /^(.+)\.(json|jsonld|xml)$/.exec(file);
        if (!m) continue;
        out.push(equalCase(root, file, m[1]!));
      }
    }
    out.push(...dlCases(root));
    out.push(...gs1SameHashCases(root));
    return out;
  },
};
