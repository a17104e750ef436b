import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { digitalLinkHandlers } from '../../../../conformance/gs1/handlers/digital-link.ts';
import type { Vector } from '../../../../conformance/gs1/types.ts';

const DIR = new URL('../../../../../shared/conformance/gs1-vectors/', import.meta.url).pathname;
const FILES = ['digital-link.jsonl', 'dl-compression.jsonl'];
const present = FILES.every((f) => existsSync(DIR + f));

test('GS1 Digital Link vectors (digital-link.jsonl, dl-compression.jsonl) all pass', {
  skip: !present && 'conformance data ../shared/conformance not present: skipping the Digital Link vectors',
}, () => {
  const failures: string[] = [];
  let count = 0;
  for (const f of FILES) {
    for (const line of readFileSync(DIR + f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const v = JSON.parse(line) as Vector;
      count++;
      const h = digitalLinkHandlers[v.kind];
      const o = h ? h(v, { dir: DIR }) : { pass: false as const, detail: `no handler for ${v.kind}` };
      if (!o.pass) failures.push(`${v.id} [${v.kind}]: ${o.detail}`);
    }
  }
  assert.equal(count, 139);
  assert.deepEqual(failures, []);
});
