/**
 * `npm run bench -- gs1`: parse throughput and correctness of `parseGs1` from @rxtrace/gs1 next to
 * the npm libraries gs1-barcode-parser-mod and digital-link.js, on the same mixed set of generated
 * pharma scan strings, in the same run. Throughput is reported as rxtrace ÷ library on exactly the
 * inputs the library takes; correctness is judged against the generator's ground truth.
 *
 * Options: --seed N (1), --identities N (3000), --time MS measured per parser (1500),
 * --warmup MS (500), --rounds N interleaved rounds (5), --show N examples per failure kind (5),
 * --check (exit 1 when the goal is missed).
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { parseGs1 } from '@rxtrace/gs1';
import {
  type BenchInput,
  generateInputs,
  INPUT_FORMS,
  type InputForm,
  type Truth,
} from './lib/gs1-inputs.ts';
import { ratio } from './lib/stats.ts';
import { formatCount, formatNs, formatRatio, formatTable } from './lib/table.ts';
import {
  type Measurement,
  measureInterleaved,
  type Pass,
  type Summary,
  sink,
  summarize,
} from './lib/timing.ts';

export const description =
  'GS1 parse throughput and correctness: rxtrace vs gs1-barcode-parser-mod and digital-link.js';

/** The goal: rxtrace at least this many times the faster library, with no wrong answer. */
const GOAL_RATIO = 3;

// ---- The libraries, called as their READMEs say. Both are CommonJS without type declarations.

interface Gs1bpElement {
  ai: string;
  data: unknown;
  raw?: string;
  isoDate?: string;
}
const require = createRequire(import.meta.url);
const { parseBarcode } = require('gs1-barcode-parser-mod') as {
  parseBarcode(barcode: string): { codeName: string; parsedCodeItems: Gs1bpElement[] };
};
interface DigitalLinkObject {
  getIdentifier(): Record<string, string | undefined>;
  getKeyQualifiers(): Record<string, string | undefined>;
  getAttributes(): Record<string, string | undefined>;
  isValid(): boolean;
}
const { DigitalLink } = require('digital-link.js') as { DigitalLink(uri: string): DigitalLinkObject };

/** What a parser said about one input, in the shape of the ground truth. */
type Answer = Truth;

interface Parser {
  name: string;
  /** The input forms this parser takes; the others count as rejected without being fed. */
  forms: readonly InputForm[];
  /** Whether it turns (17) into a calendar date (then the ISO date is compared too). */
  dates: boolean;
  /** Parses; returns the answer, or a string saying why the input was rejected. */
  answer(text: string): Answer | string;
}

const rxtrace: Parser = {
  name: 'rxtrace parseGs1',
  forms: INPUT_FORMS,
  dates: true,
  answer(text) {
    const r = parseGs1(text);
    if (!r.ok) return r.errors.map((e) => `${e.code}: ${e.message}`).join(' | ');
    const f = r.value.fields;
    return {
      gtin: f.gtin,
      sscc: f.sscc,
      serial: f.serial,
      lot: f.lot,
      expiry: f.expiry?.raw,
      expiryIso: f.expiry?.date,
    };
  },
};

const gs1bp: Parser = {
  name: 'gs1-barcode-parser-mod',
  forms: ['scan', 'element'],
  dates: true,
  answer(text) {
    let items: Gs1bpElement[];
    try {
      items = parseBarcode(text).parsedCodeItems;
    } catch (e) {
      return `threw ${String(e)}`;
    }
    const a: Answer = {};
    for (const it of items) {
      const data = typeof it.data === 'string' ? it.data : String(it.data);
      if (it.ai === '01') a.gtin = data;
      else if (it.ai === '00') a.sscc = data;
      else if (it.ai === '21') a.serial = data;
      else if (it.ai === '10') a.lot = data;
      else if (it.ai === '17') {
        a.expiry = it.raw;
        a.expiryIso = it.isoDate;
      } else return `reported an AI that is not in the data: (${it.ai})`;
    }
    return a;
  },
};

const digitalLink: Parser = {
  name: 'digital-link.js',
  forms: ['dl'],
  dates: false,
  answer(text) {
    let dl: DigitalLinkObject;
    try {
      dl = DigitalLink(text);
    } catch (e) {
      return `threw ${e instanceof Error ? e.message : String(e)}`;
    }
    const id = dl.getIdentifier();
    const q = dl.getKeyQualifiers();
    const attrs = dl.getAttributes();
    return { gtin: id['01'], sscc: id['00'], lot: q['10'], serial: q['21'], expiry: attrs['17'] };
  },
};

const PARSERS = [rxtrace, gs1bp, digitalLink];

// ---- Correctness

type Verdict =
  | { kind: 'correct' }
  | { kind: 'wrong'; why: string }
  | { kind: 'rejected'; why: string; notFed: boolean };

const FIELDS = ['gtin', 'sscc', 'serial', 'lot', 'expiry', 'expiryIso'] as const;

/** Why an answer differs from the truth ('' when it does not); one short reason per field. */
function compare(truth: Truth, answer: Answer, dates: boolean): string {
  const out: string[] = [];
  for (const k of FIELDS) {
    if (k === 'expiryIso' && !dates) continue;
    const want = truth[k];
    const got = answer[k];
    if (want === got) continue;
    let how = 'differs';
    if (got === undefined) how = 'missing';
    else if (want === undefined) how = 'not in the data';
    else if (want.startsWith(got)) how = 'truncated';
    else if (safeDecode(got) === want) how = 'left percent-encoded';
    else if (k === 'expiryIso' && truth.expiry?.endsWith('00')) how = 'DD=00 read wrongly';
    else if (/^\d+$/.test(want) && want.replace(/^0+/, '') === got.replace(/^0+/, ''))
      how = 'leading zeros lost';
    out.push(`${k} ${how}`);
  }
  return out.join(', ');
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function judge(p: Parser, input: BenchInput): Verdict {
  if (!p.forms.includes(input.form))
    return { kind: 'rejected', why: `not a form it takes (${input.form})`, notFed: true };
  const a = p.answer(input.text);
  if (typeof a === 'string') return { kind: 'rejected', why: a, notFed: false };
  const why = compare(input.truth, a, p.dates);
  return why ? { kind: 'wrong', why } : { kind: 'correct' };
}

interface Counts {
  correct: number;
  wrong: number;
  rejected: number;
  /** Rejected because the parser does not take that form at all (it was not fed those). */
  notFed: number;
}

interface Tally extends Counts {
  byForm: Record<InputForm, Counts>;
  /** Failures grouped by reason (with data-dependent text blanked), with examples. */
  reasons: Map<string, { count: number; examples: { input: BenchInput; why: string }[] }>;
}

const zero = (): Counts => ({ correct: 0, wrong: 0, rejected: 0, notFed: 0 });

function tally(p: Parser, inputs: readonly BenchInput[], keep: number): Tally {
  const t: Tally = { ...zero(), byForm: { scan: zero(), element: zero(), dl: zero() }, reasons: new Map() };
  for (const input of inputs) {
    const v = judge(p, input);
    const f = t.byForm[input.form];
    if (v.kind === 'correct') {
      t.correct++;
      f.correct++;
      continue;
    }
    if (v.kind === 'wrong') {
      t.wrong++;
      f.wrong++;
    } else {
      t.rejected++;
      f.rejected++;
      if (v.notFed) {
        t.notFed++;
        f.notFed++;
        continue;
      }
    }
    const key = `${v.kind} [${input.form}]: ${v.why.replace(/'[^']*'/g, "'…'").replace(/\b\d+\b/g, 'N')}`;
    let r = t.reasons.get(key);
    if (!r) t.reasons.set(key, (r = { count: 0, examples: [] }));
    r.count++;
    if (r.examples.length < keep) r.examples.push({ input, why: v.why });
  }
  return t;
}

// ---- Throughput. One hand-written loop per parser, so that no call site is shared between them.

function rxtracePass(texts: readonly string[]): Pass {
  return () => {
    let ok = 0;
    for (let i = 0; i < texts.length; i++) if (parseGs1(texts[i]!).ok) ok++;
    sink.value += ok;
    return texts.length;
  };
}

function gs1bpPass(texts: readonly string[]): Pass {
  return () => {
    let ok = 0;
    for (let i = 0; i < texts.length; i++) {
      try {
        ok += parseBarcode(texts[i]!).parsedCodeItems.length;
      } catch {}
    }
    sink.value += ok;
    return texts.length;
  };
}

function digitalLinkPass(texts: readonly string[]): Pass {
  return () => {
    let ok = 0;
    for (let i = 0; i < texts.length; i++) {
      try {
        if (DigitalLink(texts[i]!).getIdentifier()) ok++;
      } catch {}
    }
    sink.value += ok;
    return texts.length;
  };
}

/** digital-link.js with its grammar validation, which is the work closest to what parseGs1 does. */
function digitalLinkValidPass(texts: readonly string[]): Pass {
  return () => {
    let ok = 0;
    for (let i = 0; i < texts.length; i++) {
      try {
        if (DigitalLink(texts[i]!).isValid()) ok++;
      } catch {}
    }
    sink.value += ok;
    return texts.length;
  };
}

/** The best an npm user can do on a mixed stream: each input to the library that takes its form. */
function npmRouterPass(inputs: readonly BenchInput[]): Pass {
  const texts = inputs.map((i) => i.text);
  const isDl = inputs.map((i) => i.form === 'dl');
  return () => {
    let ok = 0;
    for (let i = 0; i < texts.length; i++) {
      try {
        if (isDl[i]) {
          if (DigitalLink(texts[i]!).getIdentifier()) ok++;
        } else ok += parseBarcode(texts[i]!).parsedCodeItems.length;
      } catch {}
    }
    sink.value += ok;
    return texts.length;
  };
}

// ---- Cross-check of the generator against rxtrace's own Digital Link writer, when there is one.

async function crossCheckDigitalLinkWriter(inputs: readonly BenchInput[]): Promise<string> {
  const path = '../packages/gs1/src/digital-link/format.ts';
  let format: ((elements: { ai: string; value: string }[]) => { ok: boolean; value?: string }) | undefined;
  try {
    const mod = (await import(path)) as { formatDigitalLink?: typeof format };
    format = mod.formatDigitalLink;
  } catch {}
  if (typeof format !== 'function')
    return 'DL inputs built by the generator (no formatDigitalLink in packages/gs1/src/digital-link/ yet).';
  let same = 0;
  const diff: string[] = [];
  for (const input of inputs) {
    if (input.form !== 'dl') continue;
    const t = input.truth;
    const elements = t.sscc
      ? [{ ai: '00', value: t.sscc }]
      : [
          { ai: '01', value: t.gtin! },
          { ai: '10', value: t.lot! },
          { ai: '21', value: t.serial! },
          { ai: '17', value: t.expiry! },
        ];
    let r: { ok: boolean; value?: string };
    try {
      r = format(elements);
    } catch (e) {
      r = { ok: false, value: String(e) };
    }
    if (r.ok && r.value === input.text) same++;
    else
      diff.push(
        `  generator ${JSON.stringify(input.text)}\n  rxtrace   ${r.ok ? JSON.stringify(r.value) : 'failed'}`,
      );
  }
  if (diff.length === 0)
    return `DL inputs built by the generator; rxtrace's formatDigitalLink writes the same ${same} URIs.`;
  return `DL inputs built by the generator; rxtrace's formatDigitalLink differs on ${diff.length} of ${same + diff.length}, e.g.:\n${diff.slice(0, 3).join('\n')}`;
}

// ---- Report

const pad = (n: number) => formatCount(n);
const perInput = (s: Summary) => `${formatNs(s.p50)} [${formatNs(s.p10)}–${formatNs(s.p90)}]`;

const FORM_LABEL: Record<InputForm, string> = {
  scan: 'scan data ]d2/]C1',
  element: 'element string (leading GS)',
  dl: 'Digital Link URI',
};

export async function run(args: string[]): Promise<number> {
  const { values: o } = parseArgs({
    args,
    options: {
      seed: { type: 'string', default: '1' },
      identities: { type: 'string', default: '3000' },
      time: { type: 'string', default: '1500' },
      warmup: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '5' },
      show: { type: 'string', default: '5' },
      check: { type: 'boolean', default: false },
    },
  });
  const num = (s: string | undefined, name: string) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${s}'`);
    return n;
  };
  const seed = num(o.seed, 'seed');
  const identities = Math.max(1, Math.round(num(o.identities, 'identities')));
  const show = num(o.show, 'show');
  const timeMs = num(o.time, 'time');
  const warmupMs = num(o.warmup, 'warmup');
  const rounds = Math.max(1, Math.round(num(o.rounds, 'rounds')));

  const inputs = generateInputs({ seed, identities });
  const of = (form: InputForm) => inputs.filter((i) => i.form === form);
  const forms = { scan: of('scan'), element: of('element'), dl: of('dl') };
  const texts = (xs: readonly BenchInput[]) => xs.map((x) => x.text);
  const dayZero = forms.scan.filter((i) => i.truth.expiry?.endsWith('00')).length;
  const ssccs = forms.scan.filter((i) => i.truth.sscc).length;

  console.log(
    `GS1 parse benchmark: ${pad(inputs.length)} mixed inputs = ${pad(identities)} identities (${ssccs} of them SSCC labels, ` +
      `${dayZero} expiries with DD=00) × ${INPUT_FORMS.map((f) => FORM_LABEL[f]).join(', ')}; seed ${seed}; node ${process.version}.`,
  );
  console.log(await crossCheckDigitalLinkWriter(inputs));

  // Correctness first (not timed).
  const [rxT, bpT, dlT] = PARSERS.map((p) => tally(p, inputs, show)) as [Tally, Tally, Tally];

  // Throughput: every parser on the inputs it takes, rxtrace on the same inputs, interleaved rounds.
  process.stdout.write('measuring');
  const passes = {
    rxAll: rxtracePass(texts(inputs)),
    npmRouter: npmRouterPass(inputs),
    rxScan: rxtracePass(texts(forms.scan)),
    bpScan: gs1bpPass(texts(forms.scan)),
    rxElement: rxtracePass(texts(forms.element)),
    bpElement: gs1bpPass(texts(forms.element)),
    rxDl: rxtracePass(texts(forms.dl)),
    dl: digitalLinkPass(texts(forms.dl)),
    dlValid: digitalLinkValidPass(texts(forms.dl)),
  };
  const timer = setInterval(() => process.stdout.write('.'), 1000);
  const m = measureInterleaved(passes, { warmupMs, durationMs: timeMs, rounds });
  clearInterval(timer);
  process.stdout.write('\n\n');
  const s = Object.fromEntries(Object.entries<Measurement>(m).map(([k, v]) => [k, summarize(v)])) as Record<
    keyof typeof passes,
    Summary
  >;

  /** rxtrace ÷ a parser, flagged when rxtrace did not answer every one of those inputs correctly. */
  const rx = (rxS: Summary, other: Summary, rxCounts: Counts) => {
    const r = ratio(rxS.opsPerSec, other.opsPerSec);
    return {
      r,
      text:
        formatRatio(r) +
        (rxCounts.correct === rxCounts.correct + rxCounts.wrong + rxCounts.rejected ? '' : ' !'),
    };
  };
  const sum = (a: Counts, b: Counts): Counts => ({
    correct: a.correct + b.correct,
    wrong: a.wrong + b.wrong,
    rejected: a.rejected + b.rejected,
    notFed: a.notFed + b.notFed,
  });
  const rej = (c: Counts) =>
    c.notFed ? `${pad(c.rejected)} (${pad(c.notFed)} not its form)` : pad(c.rejected);
  type Row = string[] | null;
  const row = (name: string, on: string, x: Summary | undefined, r: string, c?: Counts): Row => [
    name,
    on,
    x ? pad(x.opsPerSec) : '',
    x ? perInput(x) : '',
    r,
    c ? pad(c.correct) : '',
    c ? pad(c.wrong) : '',
    c ? rej(c) : '',
  ];
  const bpScan = rx(s.rxScan, s.bpScan, rxT.byForm.scan);
  const bpElement = rx(s.rxElement, s.bpElement, rxT.byForm.element);
  const dlR = rx(s.rxDl, s.dl, rxT.byForm.dl);
  const dlValidR = rx(s.rxDl, s.dlValid, rxT.byForm.dl);
  const routerR = rx(s.rxAll, s.npmRouter, rxT);
  /** A library that rejects a whole form did no parsing there: its speed at saying no is no comparison. */
  const answered = (c: Counts) => c.correct + c.wrong > 0;
  const shown = (x: { text: string }, c: Counts) => (answered(c) ? x.text : 'n/a: rejects all');
  const all = `all ${pad(inputs.length)}, mixed`;
  const n = (f: InputForm) => `${pad(forms[f].length)} ${FORM_LABEL[f]}`;
  const rows: Row[] = [
    row('rxtrace parseGs1', all, s.rxAll, 'baseline', rxT),
    row('gs1-barcode-parser-mod parseBarcode', all, undefined, '', bpT),
    row('digital-link.js DigitalLink()', all, undefined, '', dlT),
    row(
      'npm: each input to the library for its form',
      all,
      s.npmRouter,
      routerR.text,
      sum(sum(bpT.byForm.scan, bpT.byForm.element), dlT.byForm.dl),
    ),
    null,
    row('rxtrace parseGs1', n('scan'), s.rxScan, 'baseline', rxT.byForm.scan),
    row(
      'gs1-barcode-parser-mod parseBarcode',
      n('scan'),
      s.bpScan,
      shown(bpScan, bpT.byForm.scan),
      bpT.byForm.scan,
    ),
    null,
    row('rxtrace parseGs1', n('element'), s.rxElement, 'baseline', rxT.byForm.element),
    row(
      'gs1-barcode-parser-mod parseBarcode',
      n('element'),
      s.bpElement,
      shown(bpElement, bpT.byForm.element),
      bpT.byForm.element,
    ),
    null,
    row('rxtrace parseGs1', n('dl'), s.rxDl, 'baseline', rxT.byForm.dl),
    row('digital-link.js DigitalLink()', n('dl'), s.dl, shown(dlR, dlT.byForm.dl), dlT.byForm.dl),
    row('digital-link.js DigitalLink().isValid()', n('dl'), s.dlValid, dlValidR.text),
  ];
  const cols = [
    'parser',
    { header: 'inputs', align: 'left' as const },
    'inputs/s',
    'per input: p50 [p10–p90]',
    'rxtrace ÷ it',
    'correct',
    'wrong',
    'rejected',
  ];
  console.log(formatTable(cols, rows));

  // Each library against rxtrace on its least favourable form for rxtrace among the forms where the
  // library gave answers (a form it rejects whole measures only how fast it says no). The faster
  // library is the one with the smaller ratio: they parse different inputs, so inputs/s cannot say.
  const worst = (name: string, cands: { form: InputForm; r: number; c: Counts }[]) => {
    const usable = cands.filter((x) => answered(x.c));
    const pick = (usable.length ? usable : cands).reduce((a, b) => (b.r < a.r ? b : a));
    return { name, form: pick.form, r: pick.r };
  };
  const bp = worst(gs1bp.name, [
    { form: 'scan', r: bpScan.r, c: bpT.byForm.scan },
    { form: 'element', r: bpElement.r, c: bpT.byForm.element },
  ]);
  const dlw = worst(digitalLink.name, [{ form: 'dl', r: dlR.r, c: dlT.byForm.dl }]);
  const faster = bp.r <= dlw.r ? bp : dlw;
  console.log(
    `\nrxtrace ÷ gs1-barcode-parser-mod ${formatRatio(bp.r)} (on ${FORM_LABEL[bp.form]}), ÷ digital-link.js ${formatRatio(dlw.r)} (on ${FORM_LABEL[dlw.form]}); ` +
      `÷ the faster of the two (${faster.name}) ${formatRatio(faster.r)}.\n` +
      'Ratios are inputs/s on the same inputs in this run; for each library, its least favourable form for rxtrace among the forms it answers. ' +
      `Per-input times: median, 10th and 90th percentile pass over the set; ${timeMs} ms per row in ${rounds} interleaved rounds after ${warmupMs} ms warm-up.` +
      (rxT.correct === inputs.length
        ? ''
        : '\n! rxtrace did not answer all of those inputs correctly: that ratio compares its failure path, see below.'),
  );

  for (const [p, t] of [
    [rxtrace, rxT],
    [gs1bp, bpT],
    [digitalLink, dlT],
  ] as const) {
    if (t.reasons.size === 0) continue;
    console.log(
      `\n${p.name}: ${t.wrong} wrong, ${t.rejected - t.notFed} rejected among the inputs it was fed:`,
    );
    const reasons = [...t.reasons.entries()].sort((a, b) => b[1].count - a[1].count);
    for (const [key, r] of reasons) {
      console.log(`  ${r.count} × ${key.slice(0, 160)}`);
      for (const ex of r.examples) {
        console.log(`      ${JSON.stringify(ex.input.text)} -> ${ex.why.slice(0, 160)}`);
        if (p === rxtrace) console.log(`        truth ${JSON.stringify(ex.input.truth)}`);
      }
    }
  }

  const rxClean = rxT.wrong === 0 && rxT.rejected === 0;
  const pass = faster.r >= GOAL_RATIO && rxClean;
  console.log(
    `\nVERDICT: ${pass ? 'PASS' : 'FAIL'}: rxtrace is ${formatRatio(faster.r)} the faster library (${faster.name}, on ${FORM_LABEL[faster.form]}; goal >= ${GOAL_RATIO}x) ` +
      `with ${rxT.wrong} wrong and ${rxT.rejected} rejected of ${pad(inputs.length)} valid inputs (goal: 0 wrong, 0 rejected).`,
  );
  return o.check && !pass ? 1 : 0;
}
