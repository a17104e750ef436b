/**
 * Group `json-schema`: one case per row of `epcis-examples/json/json-schema-validation.tsv` (the
 * verdict and first error of the official JSON Schema for every JSON example), plus the schema's own
 * test instances and a coverage check. Each row checks that
 * (a) ajv (draft-07 + ajv-formats, compiled once from ../shared) gives the table's verdict;
 * (b) rxtrace's validator gives the same verdict — the schema verdict (`schemaValid`) and the full
 *     one (`valid`, rxtrace's extra rules included: no example is valid by the schema but broken by a
 *     rule error) — with `validateQueryBody` for the query-language rows (`query-schema`);
 * (c) an invalid file is rejected for the same reason: rxtrace's first error, in the table's order
 *     (errors sorted by JSON pointer, array indices numerically, a parent before its children),
 *     is at the table's pointer with a compatible kind (a missing property: the same property;
 *     a wrong type; a bad format, or a property name that is not a URI; an unexpected property:
 *     the same one; a value outside an enumeration). Documented close equivalent: where the table
 *     reports a combinator failure (anyOf / oneOf — "is not valid under any of the given schemas",
 *     or the failing instance printed whole), rxtrace may report the member below it that makes the
 *     combinator fail (an invalid `action` instead of the event-level anyOf about ILMD and action;
 *     `certificationInfo/0` instead of `certificationInfo`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  comparePointers,
  type ValidationProblem,
  validateEpcisJson,
  validateQueryBody,
} from '../../../packages/epcis/src/validate/index.ts';
import { schemaOracle } from '../../../packages/epcis/src/validate/schema-oracle.ts';
import type { EpcisCase, EpcisGroup, Outcome } from '../types.ts';

const TABLE = 'epcis-examples/json/json-schema-validation.tsv';
const EXAMPLES = 'epcis-examples/json';
const INSTANCES = 'epcis-schema/json-schema/schema-test-instances';

interface Row {
  path: string;
  schema: 'epcis-schema' | 'query-schema';
  valid: boolean;
  firstError: string;
}

function readTable(root: string): Row[] {
  const lines = readFileSync(join(root, TABLE), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  lines.shift();
  return lines.map((l) => {
    const [path = '', schema = '', result = '', firstError = ''] = l.split('\t');
    return { path, schema: schema as Row['schema'], valid: result === 'valid', firstError };
  });
}

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (/\.json(ld)?$/.test(name)) out.push(p);
  }
  return out;
}

const pass: Outcome = { pass: true };
const fail = (detail: string): Outcome => ({ pass: false, detail });
const verdict = (ok: boolean) => (ok ? 'valid' : 'invalid');

/** The kind of fault a table message names. */
type TableKind =
  | { kind: 'required'; name: string }
  | { kind: 'type' }
  | { kind: 'format' }
  | { kind: 'additionalProperties'; name: string }
  | { kind: 'enum' }
  | { kind: 'combinator' };

function tableKind(message: string): TableKind | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^'(.+)' is a required property/.exec(message))) return { kind: 'required', name: m[1]! };
  if (/ is not of type /.test(message)) return { kind: 'type' };
  if (/ is not a '[\w-]+'$/.test(message)) return { kind: 'format' };
  if ((m = /^Additional properties are not allowed \('(.+?)' was unexpected\)/.exec(message)))
    return { kind: 'additionalProperties', name: m[1]! };
  if ((m = /^'(.+?)' does not match any of the regexes/.exec(message)))
    return { kind: 'additionalProperties', name: m[1]! };
  if (/ is not one of /.test(message)) return { kind: 'enum' };
  if (/is not valid under any of the given schemas/.test(message) || /^[[{]/.test(message))
    return { kind: 'combinator' };
  return undefined;
}

function compatible(k: TableKind, p: ValidationProblem): boolean {
  switch (k.kind) {
    case 'required':
      return p.code === 'required' && p.message.includes(`'${k.name}'`);
    case 'type':
      return p.code === 'type';
    case 'format':
      return p.code === 'format' || p.code === 'propertyNames';
    case 'additionalProperties':
      return p.code === 'additionalProperties' && p.message.includes(`'${k.name}'`);
    case 'enum':
      return p.code === 'enum';
    case 'combinator':
      return true;
  }
}

/** (c): rxtrace's first schema error matches the table's first error. */
function sameReason(row: Row, problems: ValidationProblem[]): Outcome {
  const sep = row.firstError.indexOf(': ');
  const tablePointer = row.firstError.slice(0, sep) === '/' ? '' : row.firstError.slice(0, sep);
  const kind = tableKind(row.firstError.slice(sep + 2));
  if (sep < 0 || !kind) return fail(`cannot read the table's first error: ${row.firstError}`);
  const errors = problems
    .filter((p) => p.source === 'schema')
    .sort((a, b) => comparePointers(a.pointer, b.pointer));
  const first = errors[0];
  if (!first) return fail('rxtrace reports no schema error');
  const show = `table: ${row.firstError.slice(0, 140)}; rxtrace: ${first.pointer} [${first.code}] ${first.message}`;
  if (first.pointer === tablePointer) {
    return errors.some((p) => p.pointer === tablePointer && compatible(kind, p))
      ? pass
      : fail(`same place, other reason — ${show}`);
  }
  if (kind.kind === 'combinator' && first.pointer.startsWith(`${tablePointer}/`)) return pass;
  return fail(`first errors differ — ${show}`);
}

function rowCase(root: string, row: Row): EpcisCase {
  return {
    id: `${EXAMPLES}/${row.path}`,
    run() {
      const value: unknown = JSON.parse(readFileSync(join(root, EXAMPLES, row.path), 'utf8'));
      const oracle = schemaOracle(root);
      const query = row.schema === 'query-schema';
      const ajvValid = (query ? oracle.query(value) : oracle.epcis(value)) as boolean;
      if (ajvValid !== row.valid)
        return fail(`(a) ajv says ${verdict(ajvValid)}, the table ${verdict(row.valid)}`);
      const report = query ? validateQueryBody(value) : validateEpcisJson(value);
      if (report.schemaValid !== row.valid) {
        return fail(
          `(b) rxtrace says ${verdict(report.schemaValid)}, the table ${verdict(row.valid)}: ${JSON.stringify(report.problems.slice(0, 3))}`,
        );
      }
      if (report.valid !== row.valid) {
        return fail(
          `(b) rxtrace's rules make it ${verdict(report.valid)}: ${JSON.stringify(report.problems.filter((p) => p.severity === 'error').slice(0, 3))}`,
        );
      }
      return row.valid ? pass : sameReason(row, report.problems);
    },
  };
}

function instanceCase(root: string, file: string): EpcisCase {
  return {
    id: relative(root, file),
    run() {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const ajvValid = schemaOracle(root).epcis(value) as boolean;
      const report = validateEpcisJson(value);
      if (report.schemaValid !== ajvValid)
        return fail(`ajv says ${verdict(ajvValid)}, rxtrace ${verdict(report.schemaValid)}`);
      if (report.valid !== ajvValid) return fail(`rxtrace's rules make it ${verdict(report.valid)}`);
      return pass;
    },
  };
}

export const jsonSchemaGroup: EpcisGroup = {
  name: 'json-schema',
  cases(root: string): EpcisCase[] {
    const rows = readTable(root);
    const cases = rows.map((row) => rowCase(root, row));
    // The instances themselves; their `schemas/` subfolder holds $ref smoke-test schemas, not instances.
    for (const name of readdirSync(join(root, INSTANCES)).sort()) {
      if (name.endsWith('.json')) cases.push(instanceCase(root, join(root, INSTANCES, name)));
    }
    cases.push({
      id: `${TABLE}#covers-every-json-example`,
      run() {
        const listed = new Set(rows.map((r) => r.path));
        const missing = jsonFiles(join(root, EXAMPLES))
          .map((f) => relative(join(root, EXAMPLES), f))
          .filter((p) => !listed.has(p));
        return missing.length === 0 ? pass : fail(`JSON files without a table row: ${missing.join(', ')}`);
      },
    });
    return cases;
  },
};
