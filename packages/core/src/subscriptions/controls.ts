/**
 * Subscription controls: what a client sends to subscribe — the JSON body of
 * `POST /queries/{name}/subscriptions` (webhooks) or the query string of the WebSocket handshake
 * on `GET /queries/{name}/events` — read and checked. Anything wrong is a
 * `SubscriptionControlsError` (the server answers `SubscriptionControlsException`, 400).
 *
 * Rules: exactly one of `stream: true` and `schedule` (neither: the server would not know when to
 * notify; both: mutually exclusive); `reportIfEmpty` (boolean) applies to schedules;
 * `initialRecordTime` is a date-time with a time-zone offset; webhooks need `dest`, an absolute
 * http(s) URL, and may give `signatureToken`, a non-empty string (see ./signature.ts). Unknown
 * members are refused, so that a misspelt control is not silently ignored.
 */
import { parseTime } from '../query/params.ts';
import {
  parseSchedule,
  type QuerySchedule,
  SCHEDULE_FIELDS,
  ScheduleError,
  type ScheduleSpec,
} from './schedule.ts';

export type SubscriptionExceptionName =
  | 'SubscriptionControlsException'
  | 'NoSuchNameException'
  | 'NoSuchResourceException';

/** A subscription request refused; `exception` names the EPCIS exception it stands for. */
export class SubscriptionError extends Error {
  readonly exception: SubscriptionExceptionName;
  readonly status: number;
  constructor(
    message: string,
    exception: SubscriptionExceptionName = 'SubscriptionControlsException',
    status?: number,
  ) {
    super(message);
    this.name = 'SubscriptionError';
    this.exception = exception;
    this.status = status ?? (exception === 'SubscriptionControlsException' ? 400 : 404);
  }
}

const controlsError = (message: string): SubscriptionError => new SubscriptionError(message);

/** When a subscription is notified, and from when. */
export interface SubscriptionControls {
  /** true: notify whenever newly captured events match. */
  stream: boolean;
  /** The schedule (exclusive with stream). */
  schedule?: ScheduleSpec;
  /** Scheduled runs: send a document even when no new event matches. */
  reportIfEmpty: boolean;
  /** Events recorded from this time on are considered (ISO UTC, ms); absent: from the subscription on. */
  initialRecordTime?: string;
}

export interface WebhookControls extends SubscriptionControls {
  dest: string;
  signatureToken?: string;
}

/** The query-string names of subscription controls (not query parameters). */
export const SUBSCRIPTION_CONTROL_PARAMETERS: readonly string[] = [
  'stream',
  ...SCHEDULE_FIELDS,
  'reportIfEmpty',
  'initialRecordTime',
];

const MAX_DEST = 2048;
const MAX_TOKEN = 1024;

function checkTime(v: unknown): string {
  const ms = typeof v === 'string' ? parseTime(v) : Number.NaN;
  if (Number.isNaN(ms))
    throw controlsError(
      `initialRecordTime must be a date-time with a time-zone offset (e.g. 2026-03-01T09:00:00.000+01:00), not ${JSON.stringify(v)}`,
    );
  return new Date(ms).toISOString();
}

function checkSchedule(input: unknown, now: number): QuerySchedule {
  try {
    return parseSchedule(input, now);
  } catch (e) {
    if (e instanceof ScheduleError) throw controlsError(e.message);
    throw e;
  }
}

/** Stream / schedule / reportIfEmpty / initialRecordTime, from already typed values. */
function common(
  stream: boolean | undefined,
  schedule: unknown,
  reportIfEmpty: boolean | undefined,
  initialRecordTime: unknown,
  now: number,
): SubscriptionControls {
  const hasSchedule = schedule !== undefined;
  if (stream && hasSchedule)
    throw controlsError('stream and schedule are mutually exclusive: give one of them');
  if (!stream && !hasSchedule)
    throw controlsError(
      'a subscription needs "stream": true or a "schedule": otherwise it is never notified',
    );
  const out: SubscriptionControls = { stream: stream === true, reportIfEmpty: reportIfEmpty === true };
  if (hasSchedule) out.schedule = checkSchedule(schedule, now).spec;
  if (initialRecordTime !== undefined) out.initialRecordTime = checkTime(initialRecordTime);
  return out;
}

/** Checks controls built by code (the parsers below check what clients send). */
export function assertControls(c: SubscriptionControls, now = Date.now()): void {
  if (c.stream && c.schedule !== undefined)
    throw controlsError('stream and schedule are mutually exclusive: give one of them');
  if (!c.stream && c.schedule === undefined)
    throw controlsError(
      'a subscription needs "stream": true or a "schedule": otherwise it is never notified',
    );
  if (c.schedule !== undefined) checkSchedule(c.schedule, now);
  if (c.initialRecordTime !== undefined) checkTime(c.initialRecordTime);
}

/** The JSON body of `POST /queries/{name}/subscriptions`. */
export function parseWebhookControls(body: unknown, now = Date.now()): WebhookControls {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw controlsError(
      'the body must be a JSON object { "dest": …, "stream": true | "schedule": { … }, … }',
    );
  const b = body as Record<string, unknown>;
  const known = ['dest', 'signatureToken', 'stream', 'schedule', 'reportIfEmpty', 'initialRecordTime'];
  for (const k of Object.keys(b))
    if (!known.includes(k)) throw controlsError(`'${k}' is not a subscription control (${known.join(', ')})`);
  const dest = b.dest;
  if (typeof dest !== 'string' || dest === '') throw controlsError('dest (the callback URL) is required');
  if (dest.length > MAX_DEST) throw controlsError(`dest is longer than ${MAX_DEST} characters`);
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw controlsError(`dest is not an absolute URL: ${JSON.stringify(dest)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw controlsError(`dest must be an http or https URL, not ${url.protocol}`);
  if (b.stream !== undefined && typeof b.stream !== 'boolean')
    throw controlsError('stream must be true or false');
  if (b.reportIfEmpty !== undefined && typeof b.reportIfEmpty !== 'boolean')
    throw controlsError('reportIfEmpty must be true or false');
  if (b.signatureToken !== undefined && (typeof b.signatureToken !== 'string' || b.signatureToken === ''))
    throw controlsError('signatureToken must be a non-empty string');
  if (typeof b.signatureToken === 'string' && b.signatureToken.length > MAX_TOKEN)
    throw controlsError(`signatureToken is longer than ${MAX_TOKEN} characters`);
  const c = common(
    b.stream as boolean | undefined,
    b.schedule === null ? undefined : b.schedule,
    b.reportIfEmpty as boolean | undefined,
    b.initialRecordTime,
    now,
  );
  return {
    ...c,
    dest,
    ...(typeof b.signatureToken === 'string' ? { signatureToken: b.signatureToken } : {}),
  };
}

const bool = (name: string, v: string | null): boolean | undefined => {
  if (v === null) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw controlsError(`${name} must be true or false, not '${v}'`);
};

/**
 * The subscription controls of a WebSocket handshake query string (`?stream=true`,
 * `?minute=5&hour=1&reportIfEmpty=true`, `initialRecordTime=…`). Other parameters are the
 * caller's business (query parameters that narrow the named query).
 */
export function parseWebSocketControls(
  search: string | URLSearchParams,
  now = Date.now(),
): SubscriptionControls {
  const sp =
    typeof search === 'string'
      ? new URLSearchParams(search.startsWith('?') ? search.slice(1) : search)
      : search;
  for (const name of SUBSCRIPTION_CONTROL_PARAMETERS)
    if (sp.getAll(name).length > 1) throw controlsError(`${name} is given twice`);
  const schedule: Record<string, string> = {};
  for (const f of SCHEDULE_FIELDS) {
    const v = sp.get(f);
    if (v !== null) schedule[f] = v;
  }
  return common(
    bool('stream', sp.get('stream')),
    Object.keys(schedule).length ? schedule : undefined,
    bool('reportIfEmpty', sp.get('reportIfEmpty')),
    sp.get('initialRecordTime') ?? undefined,
    now,
  );
}
