/**
 * Runs every case of every `*.jsonl` file of a GS1 vectors folder through the library and tallies
 * the outcome per kind. Handlers live in ./handlers/, one file per area of the library.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_DEVIATIONS } from './deviations.ts';
import { HANDLERS } from './handlers/index.ts';
import type { Outcome, Vector } from './types.ts';

export const DEFAULT_GS1_VECTORS = new URL('../../../shared/conformance/gs1-vectors/', import.meta.url)
  .pathname;

export interface CaseResult {
  id: string;
  kind: string;
  file: string;
  outcome: Outcome;
  deviation?: string;
}

export interface Gs1ConformanceReport {
  results: CaseResult[];
  perKind: Map<string, { passed: number; failed: number; deviations: number }>;
  passed: number;
  failed: number;
  /** Failures that are not on the committed list of known deviations. */
  unexpected: CaseResult[];
}

export function runGs1Conformance(dir = DEFAULT_GS1_VECTORS): Gs1ConformanceReport {
  const results: CaseResult[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      const v = JSON.parse(line) as Vector;
      const h = HANDLERS[v.kind];
      let outcome: Outcome;
      if (!h) outcome = { pass: false, detail: `no handler for kind ${v.kind}` };
      else {
        try {
          outcome = h(v, { dir });
        } catch (e) {
          outcome = { pass: false, detail: `threw ${(e as Error).stack ?? e}` };
        }
      }
      results.push({ id: v.id, kind: v.kind, file, outcome, deviation: KNOWN_DEVIATIONS[v.id] });
    }
  }
  const perKind = new Map<string, { passed: number; failed: number; deviations: number }>();
  let passed = 0;
  let failed = 0;
  const unexpected: CaseResult[] = [];
  for (const r of results) {
    const k = perKind.get(r.kind) ?? { passed: 0, failed: 0, deviations: 0 };
    perKind.set(r.kind, k);
    if (r.outcome.pass) {
      k.passed++;
      passed++;
    } else {
      k.failed++;
      failed++;
      if (r.deviation) k.deviations++;
      else unexpected.push(r);
    }
  }
  return { results, perKind, passed, failed, unexpected };
}

export function printGs1Report(
  rep: Gs1ConformanceReport,
  out: (s: string) => void = (s) => process.stdout.write(s),
): void {
  const kinds = [...rep.perKind.keys()].sort();
  const w = Math.max(4, ...kinds.map((k) => k.length));
  out(`${'kind'.padEnd(w)}  passed  failed  known  rate\n`);
  for (const k of kinds) {
    const c = rep.perKind.get(k)!;
    const rate = ((100 * c.passed) / (c.passed + c.failed)).toFixed(1);
    out(
      `${k.padEnd(w)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.deviations).padStart(5)}  ${rate.padStart(5)}%\n`,
    );
  }
  const fails = rep.results.filter((r) => !r.outcome.pass);
  if (fails.length) {
    out('\nfailures:\n');
    for (const r of fails) {
      const detail = r.outcome.pass ? '' : r.outcome.detail;
      out(`  ${r.id} [${r.kind}]${r.deviation ? ' (known deviation)' : ''}: ${detail}\n`);
    }
  }
  out(`\n${rep.passed} passed, ${rep.failed} failed\n`);
}
