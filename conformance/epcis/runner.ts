/**
 * The EPCIS conformance suite: example documents against the JSON Schema / XSD verdicts, JSON/XML
 * twins, and the Event Hash ID vectors. Groups live in ./groups/, one file per area.
 */

import { EPCIS_KNOWN_DEVIATIONS } from './deviations.ts';
import { GROUPS } from './groups/index.ts';
import type { Outcome } from './types.ts';

export const DEFAULT_EPCIS_ROOT = new URL('../../../shared/conformance/', import.meta.url).pathname;

export interface EpcisCaseResult {
  group: string;
  id: string;
  outcome: Outcome;
  deviation?: string;
}

export interface EpcisReport {
  results: EpcisCaseResult[];
  passed: number;
  failed: number;
  unexpected: EpcisCaseResult[];
}

export async function runEpcisConformance(root = DEFAULT_EPCIS_ROOT, only?: string): Promise<EpcisReport> {
  const results: EpcisCaseResult[] = [];
  for (const g of GROUPS) {
    if (only && g.name !== only) continue;
    for (const c of g.cases(root)) {
      let outcome: Outcome;
      try {
        outcome = await c.run();
      } catch (e) {
        outcome = { pass: false, detail: `threw ${(e as Error).stack ?? e}` };
      }
      const deviation = EPCIS_KNOWN_DEVIATIONS[`${g.name}:${c.id}`];
      results.push({ group: g.name, id: c.id, outcome, ...(deviation ? { deviation } : {}) });
    }
  }
  const failedResults = results.filter((r) => !r.outcome.pass);
  return {
    results,
    passed: results.length - failedResults.length,
    failed: failedResults.length,
    unexpected: failedResults.filter((r) => !r.deviation),
  };
}

export function printEpcisReport(
  rep: EpcisReport,
  out: (s: string) => void = (s) => process.stdout.write(s),
): void {
  const groups = [...new Set(rep.results.map((r) => r.group))];
  const w = Math.max(5, ...groups.map((g) => g.length));
  out(`${'group'.padEnd(w)}  passed  failed  known\n`);
  for (const g of groups) {
    const rs = rep.results.filter((r) => r.group === g);
    const f = rs.filter((r) => !r.outcome.pass);
    out(
      `${g.padEnd(w)}  ${String(rs.length - f.length).padStart(6)}  ${String(f.length).padStart(6)}  ${String(f.filter((r) => r.deviation).length).padStart(5)}\n`,
    );
  }
  const fails = rep.results.filter((r) => !r.outcome.pass);
  if (fails.length) {
    out('\nfailures:\n');
    for (const r of fails)
      out(
        `  ${r.group}:${r.id}${r.deviation ? ' (known deviation)' : ''}: ${r.outcome.pass ? '' : r.outcome.detail}\n`,
      );
  }
  out(`\n${rep.passed} passed, ${rep.failed} failed\n`);
}
