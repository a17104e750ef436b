/** `rxtrace epcis …`: validate, convert and hash EPCIS documents (JSON-LD and XML, 2.0 and 1.2). */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  type EPCISAnyDocument,
  eventHashId,
  eventPreHash,
  eventsOf,
  type HashContext,
  hashContext,
  hashContextForXml,
  parseEpcisJson,
  parseEpcisXml,
  validateEpcisJson,
  writeEpcisXml,
} from '@rxtrace/epcis';
import { dispatch, err, out, parse, UsageError } from '../args.ts';

const HELP = `Usage:
  rxtrace epcis validate <file...>                 check EPCIS documents; every problem with its location
  rxtrace epcis convert <in> --to json|xml [--epcis 2.0|1.2] [-o out]
  rxtrace epcis hash <file> [--prehash]            one Event Hash ID (or pre-hash string) per event, in document order

Files are EPCIS JSON-LD or XML (EPCIS 2.0, or 1.2 XML), EPCISDocument or EPCISQueryDocument; the
format is recognised from the content. Exit status: 0 all valid, 1 problems found, 2 usage error.
`;

interface Loaded {
  format: 'json' | 'xml';
  doc: EPCISAnyDocument;
  hash: HashContext;
}

type Problem = { where: string; code: string; message: string; severity?: string };

function isXml(text: string): boolean {
  const m = /^\uFEFF?\s*(.)/.exec(text);
  return m?.[1] === '<';
}

/** Reads a document for conversion or hashing. `strict` applies the XML schema structure check. */
function load(path: string, strict: boolean): Loaded | Problem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return [{ where: path, code: 'RX_IO', message: (e as Error).message }];
  }
  if (isXml(text)) {
    const r = parseEpcisXml(text, { validate: strict, allowInertDoctype: !strict });
    if (!r.ok)
      return r.errors.map((e) => ({
        where: `${path}:${e.line ?? '?'}:${e.column ?? '?'}`,
        code: e.code,
        message: e.message,
      }));
    return { format: 'xml', doc: r.value, hash: hashContextForXml(r.namespaces, r.value) };
  }
  const r = parseEpcisJson(text, { duplicateKeys: 'allow' });
  if (!r.ok)
    return r.errors.map((e) => ({
      where: `${path}:${e.line ?? '?'}:${e.column ?? '?'}`,
      code: e.code,
      message: e.message,
    }));
  return { format: 'json', doc: r.value, hash: hashContext(r.value) };
}

function printProblems(ps: Problem[]): void {
  for (const p of ps)
    err(`${p.where}: ${p.severity === 'warning' ? 'warning' : 'error'} ${p.code}: ${p.message}`);
}

function validateFile(path: string): { errors: Problem[]; warnings: Problem[]; events: number } {
  const loaded = load(path, true);
  if (Array.isArray(loaded)) return { errors: loaded, warnings: [], events: 0 };
  if (loaded.format === 'xml') return { errors: [], warnings: [], events: eventsOf(loaded.doc).length };
  const rep = validateEpcisJson(loaded.doc);
  const all = rep.problems.map((p) => ({
    where: `${path}: ${p.pointer || '/'}`,
    code: p.code,
    message: p.message,
    severity: p.severity,
  }));
  return {
    errors: all.filter((p) => p.severity !== 'warning'),
    warnings: all.filter((p) => p.severity === 'warning'),
    events: eventsOf(loaded.doc).length,
  };
}

async function validateCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('epcis validate takes one or more files');
  let bad = 0;
  for (const f of positionals) {
    const r = validateFile(f);
    printProblems(r.errors);
    if (!values.quiet) printProblems(r.warnings);
    if (r.errors.length) bad++;
    else
      out(
        `${f}: valid (${r.events} event${r.events === 1 ? '' : 's'}${r.warnings.length ? `, ${r.warnings.length} warning(s)` : ''})`,
      );
  }
  return bad ? 1 : 0;
}

async function convertCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    to: { type: 'string' },
    epcis: { type: 'string' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('epcis convert takes one input file');
  const to = values.to;
  if (to !== 'json' && to !== 'xml') throw new UsageError('--to is json or xml');
  const version = values.epcis ?? '2.0';
  if (version !== '2.0' && version !== '1.2') throw new UsageError('--epcis is 2.0 or 1.2');
  if (to === 'json' && version === '1.2')
    throw new UsageError('EPCIS 1.2 has no JSON binding: use --to xml --epcis 1.2');
  const loaded = load(positionals[0]!, false);
  if (Array.isArray(loaded)) {
    printProblems(loaded);
    return 1;
  }
  let text: string;
  if (to === 'json') text = `${JSON.stringify(loaded.doc, null, 2)}\n`;
  else {
    const r = writeEpcisXml(loaded.doc, { version });
    if (!r.ok) {
      for (const e of r.errors) err(`cannot write EPCIS ${version} XML: ${e.message}`);
      return 1;
    }
    text = r.value;
  }
  if (values.output) writeFileSync(values.output, text);
  else process.stdout.write(text);
  return 0;
}

async function hashCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    prehash: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('epcis hash takes one file');
  // Hashing does not require schema validity (EPCIS 1.2 documents with 2.0 fields hash fine).
  const loaded = load(positionals[0]!, false);
  if (Array.isArray(loaded)) {
    printProblems(loaded);
    return 1;
  }
  const lines: string[] = [];
  for (const e of eventsOf(loaded.doc)) {
    const ev = e as unknown as Record<string, unknown>;
    lines.push(values.prehash ? eventPreHash(ev, loaded.hash) : eventHashId(ev, loaded.hash));
  }
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export function epcisCommand(argv: string[]): Promise<number> {
  return dispatch('epcis', HELP, { validate: validateCmd, convert: convertCmd, hash: hashCmd }, argv);
}
