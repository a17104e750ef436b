import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_GS1_VECTORS, runGs1Conformance } from './gs1/runner.ts';

const present = existsSync(DEFAULT_GS1_VECTORS);

test('GS1 conformance vectors: every case passes or is a known deviation', {
  skip: !present && '../shared/conformance/gs1-vectors not present: skipping the GS1 conformance run',
}, () => {
  const rep = runGs1Conformance();
  assert.ok(rep.results.length > 4000, `ran ${rep.results.length} cases`);
  const lines = rep.unexpected.map((r) => `${r.id} [${r.kind}]: ${r.outcome.pass ? '' : r.outcome.detail}`);
  assert.deepEqual(lines, []);
  for (const [kind, c] of rep.perKind) {
    assert.ok(
      c.passed / (c.passed + c.failed) >= 0.99,
      `kind ${kind}: ${c.passed} passed, ${c.failed} failed`,
    );
  }
});
