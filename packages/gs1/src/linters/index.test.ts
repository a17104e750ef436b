import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AI_DEFINITIONS } from '../ai-table.ts';
import {
  createLinters,
  LINT_OK,
  LINTER_MESSAGES,
  LINTERS,
  markHighlight,
  runLinter,
  YEAR_LINTERS,
} from './index.ts';

const SHARED = new URL('../../../../../shared/conformance/', import.meta.url).pathname;
const ERRORS = `${SHARED}gs1-syntax/linter-errors.json`;
const VECTORS = `${SHARED}gs1-vectors/linters.jsonl`;

test('every linter named by the AI table is registered', () => {
  const named = new Set<string>();
  for (const d of AI_DEFINITIONS) for (const c of d.components) for (const l of c.linters) named.add(l);
  assert.ok(named.size > 30);
  for (const name of named) assert.equal(typeof LINTERS[name], 'function', `linter ${name}`);
  for (const t of ['csetnumeric', 'cset82', 'cset39', 'cset64'])
    assert.equal(typeof LINTERS[t], 'function', t);
});

test('runLinter: unknown names are reported, the reference year is passed on', () => {
  assert.deepEqual(runLinter('csum', '4006381333931'), LINT_OK);
  assert.equal(runLinter('nosuchlinter', 'x').code, 'RX_UNKNOWN_LINTER');
  assert.equal(runLinter('toString', 'x').code, 'RX_UNKNOWN_LINTER');
  assert.deepEqual(runLinter('yymmd0', '000229'), LINT_OK);
  assert.equal(runLinter('yymmd0', '000229', 2060).code, 'GS1_LINTER_ILLEGAL_DAY');
  assert.deepEqual(runLinter('csum', '4006381333931', 2060), LINT_OK);
  const in2060 = createLinters(2060);
  assert.equal(in2060.yymmdd!('000229').code, 'GS1_LINTER_ILLEGAL_DAY');
  assert.equal(in2060.csum, LINTERS.csum);
  for (const name of Object.keys(YEAR_LINTERS)) assert.ok(LINTERS[name], name);
});

test('every code a linter can return has a plain-language message', () => {
  const produced = [
    'GS1_LINTER_OK',
    'RX_UNKNOWN_LINTER',
    'GS1_LINTER_NON_DIGIT_CHARACTER',
    'GS1_LINTER_INCORRECT_CHECK_DIGIT',
    'GS1_LINTER_ILLEGAL_DAY',
    'GS1_LINTER_COUPON_EXCESS_DATA',
  ];
  for (const c of produced) assert.ok(LINTER_MESSAGES[c], c);
  for (const [code, msg] of Object.entries(LINTER_MESSAGES)) {
    assert.ok(msg.length > 10 && /[.!?)]$/.test(msg), `${code}: a full sentence`);
    assert.ok(!/\bVLI\b|CSET|\bGCP\b/.test(msg), `${code}: no jargon in "${msg}"`);
  }
});

test('messages cover every code of the reference linter error list', {
  skip:
    !existsSync(ERRORS) &&
    'conformance data ../shared/conformance not present: skipping linter-errors.json comparison',
}, () => {
  const { codes } = JSON.parse(readFileSync(ERRORS, 'utf8')) as { codes: { code: string }[] };
  assert.ok(codes.length > 100);
  const missing = codes.map((c) => c.code).filter((c) => !LINTER_MESSAGES[c]);
  assert.deepEqual(missing, []);
});

interface LinterVector {
  id: string;
  linter: string;
  input: string;
  expected?: string;
  expect_error?: string;
  expected_highlight?: string;
}

test('all linters.jsonl vectors pass', {
  skip: !existsSync(VECTORS) && 'conformance data ../shared/conformance not present: skipping linters.jsonl',
}, () => {
  const cases = readFileSync(VECTORS, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LinterVector);
  assert.ok(cases.length >= 3789, `${cases.length} cases`);
  const failures: string[] = [];
  for (const v of cases) {
    const r = runLinter(v.linter, v.input);
    const want = v.expect_error ?? v.expected ?? 'GS1_LINTER_OK';
    if (r.code !== want)
      failures.push(`${v.id} ${v.linter}(${JSON.stringify(v.input)}): expected ${want}, got ${r.code}`);
    else if (
      v.expect_error &&
      v.expected_highlight !== undefined &&
      markHighlight(v.input, r) !== v.expected_highlight
    ) {
      failures.push(
        `${v.id} ${v.linter}(${JSON.stringify(v.input)}): highlight ${JSON.stringify(markHighlight(v.input, r))}, expected ${JSON.stringify(v.expected_highlight)}`,
      );
    }
  }
  assert.deepEqual(failures, []);
});
