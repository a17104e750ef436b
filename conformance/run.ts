/**
 * `npm run conformance -- <suite> [DIR]`: runs a conformance suite against third-party data.
 * Suites: gs1 (DIR defaults to ../shared/conformance/gs1-vectors); epcis [GROUP] (reads
 * ../shared/conformance; GROUP limits the run to one group such as `hash`).
 */
import { existsSync } from 'node:fs';
import { DEFAULT_EPCIS_ROOT, printEpcisReport, runEpcisConformance } from './epcis/runner.ts';
import { DEFAULT_GS1_VECTORS, printGs1Report, runGs1Conformance } from './gs1/runner.ts';

const [suite = 'gs1', dir] = process.argv.slice(2);
if (suite === 'gs1') {
  const d = dir ?? DEFAULT_GS1_VECTORS;
  if (!existsSync(d)) {
    console.error(`conformance: ${d} not found (the ../shared/conformance folder is not present)`);
    process.exit(2);
  }
  const rep = runGs1Conformance(d);
  printGs1Report(rep);
  if (rep.unexpected.length) {
    console.error(`${rep.unexpected.length} failure(s) are not in the known deviations list`);
    process.exit(1);
  }
} else if (suite === 'epcis') {
  if (!existsSync(DEFAULT_EPCIS_ROOT)) {
    console.error(
      `conformance: ${DEFAULT_EPCIS_ROOT} not found (the ../shared/conformance folder is not present)`,
    );
    process.exit(2);
  }
  const rep = await runEpcisConformance(DEFAULT_EPCIS_ROOT, dir);
  printEpcisReport(rep);
  if (rep.unexpected.length) {
    console.error(`${rep.unexpected.length} failure(s) are not in the known deviations list`);
    process.exit(1);
  }
} else {
  console.error(`conformance: unknown suite '${suite}' (known: gs1, epcis)`);
  process.exit(2);
}
