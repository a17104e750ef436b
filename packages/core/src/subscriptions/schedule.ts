/**
 * Query schedules of scheduled subscriptions (EPCIS 2.0 REST binding `schedule`, EPCIS 1.2
 * §8.2.5.3 QuerySchedule): the fields `second` (0–59), `minute` (0–59), `hour` (0–23),
 * `dayOfMonth` (1–31), `month` (1–12) and `dayOfWeek` (1–7, 1 = Monday … 7 = Sunday), each a
 * string. The subscription runs at every whole second (UTC) that every field matches.
 *
 * Field syntax — a comma-separated list of elements, each one of:
 *   `5`        a number
 *   `[1-5]`    a range, inclusive (the standard's form); `1-5` is accepted too
 *   `*`        every value (rxtrace extension)
 *   `x/n`      every n-th value starting at x, where x is a number (up to the field's maximum),
 *              a range or `*` — e.g. `0/30` (the binding's own example), `* /15` (rxtrace extension)
 *
 * Omitted fields (our reading of the standard, which makes its example `{hour: 1, minute: 5}`
 * run once a day at 01:05:00): a field finer than the finest field given takes its minimum
 * (second, minute, hour 0; day of month 1 when neither day field is given); a field coarser
 * than it matches every value. So `{minute: "5"}` runs hourly at :05:00, `{second: "0/30"}` every
 * 30 seconds, `{dayOfWeek: "1"}` on Mondays at 00:00:00. When both `dayOfMonth` and `dayOfWeek`
 * are given, both must match (unlike cron, where either may). All times are UTC.
 */

export const SCHEDULE_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];
export type ScheduleSpec = Partial<Record<ScheduleField, string>>;

const RANGES: Record<ScheduleField, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

/** A schedule field or the whole schedule is not valid (the server answers SubscriptionControlsException). */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const NUM = /^\d{1,2}$/;
const RANGE = /^\[?(\d{1,2})-(\d{1,2})\]?$/;

/** The values a field's text allows, as a 0/1 table indexed by value. */
export function parseScheduleField(field: ScheduleField, text: string): Set<number> {
  const [lo, hi] = RANGES[field];
  const bad = (why: string): ScheduleError =>
    new ScheduleError(
      `schedule.${field}: '${text}' ${why} (values ${lo}–${hi}: '5', '[1-5]', '1,3,[5-9]', '*', '0/15')`,
    );
  const t = text.trim();
  if (t === '') throw bad('is empty');
  const out = new Set<number>();
  const num = (s: string): number => {
    if (!NUM.test(s)) throw bad(`has '${s}', which is not a number`);
    const n = Number(s);
    if (n < lo || n > hi) throw bad(`has ${n}, out of range`);
    return n;
  };
  for (const raw of t.split(',')) {
    const el = raw.trim();
    if (el === '') throw bad('has an empty element');
    const [base = '', stepText, ...more] = el.split('/');
    if (more.length) throw bad(`has '${el}', with more than one '/'`);
    let from: number;
    let to: number;
    if (base === '*') [from, to] = [lo, hi];
    else {
      const r = RANGE.exec(base);
      if (r && base.startsWith('[') === base.endsWith(']')) {
        from = num(r[1]!);
        to = num(r[2]!);
        if (from > to) throw bad(`has the range '${base}', whose start is after its end`);
      } else {
        if (base.startsWith('[') || base.endsWith(']'))
          throw bad(`has '${base}', which is not a range [low-high]`);
        from = num(base);
        to = stepText === undefined ? from : hi;
      }
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1)
        throw bad(`has the step '/${stepText}', not a positive number`);
      step = Number(stepText);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Finest first; the two day fields share a level. */
const LEVELS: ScheduleField[][] = [['second'], ['minute'], ['hour'], ['dayOfMonth', 'dayOfWeek'], ['month']];

/** A parsed schedule: `next(t)` is the first run strictly after t. */
export class QuerySchedule {
  readonly spec: ScheduleSpec;
  private readonly sets: Record<ScheduleField, Set<number> | undefined>;

  constructor(spec: ScheduleSpec) {
    const given = SCHEDULE_FIELDS.filter((f) => spec[f] !== undefined);
    if (given.length === 0)
      throw new ScheduleError(`a schedule needs at least one of ${SCHEDULE_FIELDS.join(', ')}`);
    this.spec = Object.fromEntries(given.map((f) => [f, spec[f]])) as ScheduleSpec;
    const sets = {} as Record<ScheduleField, Set<number> | undefined>;
    for (const f of given) sets[f] = parseScheduleField(f, spec[f]!);
    // Omitted fields finer than the finest given field take their minimum; coarser ones any value.
    const finest = LEVELS.findIndex((level) => level.some((f) => spec[f] !== undefined));
    for (let i = 0; i < finest; i++)
      for (const f of LEVELS[i]!) if (f !== 'dayOfWeek' && !sets[f]) sets[f] = new Set([RANGES[f][0]]);
    this.sets = sets;
  }

  private has(f: ScheduleField, v: number): boolean {
    const s = this.sets[f];
    return s === undefined || s.has(v);
  }

  /** Epoch ms of the first run strictly after `afterMs` (whole seconds, UTC); undefined if none within 30 years. */
  next(afterMs: number): number | undefined {
    let t = Math.floor(afterMs / 1000) * 1000 + 1000;
    const limit = afterMs + 30 * 366 * 86_400_000;
    while (t <= limit) {
      const d = new Date(t);
      const y = d.getUTCFullYear();
      const mo = d.getUTCMonth();
      const day = d.getUTCDate();
      const h = d.getUTCHours();
      const mi = d.getUTCMinutes();
      if (!this.has('month', mo + 1)) {
        t = Date.UTC(y, mo + 1, 1);
        continue;
      }
      const dow = ((d.getUTCDay() + 6) % 7) + 1; // 1 = Monday … 7 = Sunday
      if (!this.has('dayOfMonth', day) || !this.has('dayOfWeek', dow)) {
        t = Date.UTC(y, mo, day + 1);
        continue;
      }
      if (!this.has('hour', h)) {
        t = Date.UTC(y, mo, day, h + 1);
        continue;
      }
      if (!this.has('minute', mi)) {
        t = Date.UTC(y, mo, day, h, mi + 1);
        continue;
      }
      if (!this.has('second', d.getUTCSeconds())) {
        t += 1000;
        continue;
      }
      return t;
    }
    return undefined;
  }
}

/**
 * Reads a `schedule` object (JSON body) or the schedule fields of a query string: strings (numbers
 * are taken as their text), only the six fields, at least one, and runs that can happen.
 */
export function parseSchedule(input: unknown, now = Date.now()): QuerySchedule {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new ScheduleError(
      'schedule must be an object of cron-like fields (second, minute, hour, dayOfMonth, month, dayOfWeek)',
    );
  const spec: ScheduleSpec = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!(SCHEDULE_FIELDS as readonly string[]).includes(k))
      throw new ScheduleError(`schedule.${k} is not a schedule field (${SCHEDULE_FIELDS.join(', ')})`);
    if (typeof v === 'number' && Number.isInteger(v)) spec[k as ScheduleField] = String(v);
    else if (typeof v === 'string') spec[k as ScheduleField] = v;
    else throw new ScheduleError(`schedule.${k} must be a string such as "5", "[1-5]" or "1,3,[5-9]"`);
  }
  const s = new QuerySchedule(spec);
  if (s.next(now) === undefined)
    throw new ScheduleError('the schedule never runs (no date matches all its fields)');
  return s;
}
