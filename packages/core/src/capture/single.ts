/**
 * Synchronous capture of one bare event (`POST /events`): JSON(-LD) with its own `@context`, or an
 * XML event element. The event is validated, hashed, normalised and written in one unit of work
 * with its own (finished) capture job. An event whose eventID is stored already is refused (409),
 * except an error declaration for it, which is the sanctioned repeat of an eventID.
 */
import {
  createValidationContext,
  type EPCISEvent,
  formatOfMediaType,
  hashContext,
  hashContextForXml,
  jsonLdPrefixes,
  parseEpcisXmlEvent,
  validateBareEvent,
  validateEvent,
  XML_VALUE_PREFIXES,
} from '@rxtrace/epcis';
import type { CaptureJob, CaptureProblem, Store } from '@rxtrace/store';
import { type EventContext, prepareEvent, stampRecordTime } from './prepare.ts';
import { captureProblem, readProblem, validationProblem } from './problems.ts';

export interface SingleEventInput {
  /** The whole request body. */
  body: string | Uint8Array;
  contentType?: string;
  captureId: string;
}

export type SingleEventOutcome =
  | { ok: true; eventId: string; hashId: string; event: EPCISEvent; job: CaptureJob }
  | { ok: false; problem: CaptureProblem; errors: CaptureProblem[] };

function refuse(problem: CaptureProblem, errors: CaptureProblem[] = []): SingleEventOutcome {
  return { ok: false, problem, errors };
}

export async function captureSingleEvent(store: Store, input: SingleEventInput): Promise<SingleEventOutcome> {
  const text =
    typeof input.body === 'string'
      ? input.body
      : new TextDecoder('utf-8', { fatal: false }).decode(input.body);
  let format = formatOfMediaType(input.contentType);
  if (format === 'unsupported')
    return refuse(
      captureProblem(
        'UnsupportedMediaTypeException',
        `media type ${JSON.stringify(input.contentType)} is not an EPCIS event format (JSON or XML)`,
      ),
    );
  const first = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  const sniffed = first === '{' ? 'json' : first === '<' ? 'xml' : null;
  if (sniffed === null)
    return refuse(
      captureProblem('ValidationException', 'the body is neither a JSON object nor an XML element'),
    );
  if (format !== null && format !== sniffed)
    return refuse(
      captureProblem(
        'UnsupportedMediaTypeException',
        `the media type says ${format.toUpperCase()}, but the content is ${sniffed.toUpperCase()}`,
      ),
    );
  format = sniffed;

  let raw: EPCISEvent;
  let ctx: EventContext;
  const vctx = createValidationContext({ warnings: false });
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      return refuse(captureProblem('ValidationException', `the body is not JSON: ${(e as Error).message}`));
    }
    const report = validateBareEvent(value, { warnings: false });
    if (!report.valid) {
      const errors = report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => validationProblem(p, 0));
      return refuse(errors[0] ?? captureProblem('ValidationException', 'the event is not valid'), errors);
    }
    raw = value as EPCISEvent;
    ctx = {
      hash: hashContext(raw as unknown as Record<string, unknown>),
      valuePrefixes: { ...XML_VALUE_PREFIXES, ...jsonLdPrefixes(raw['@context'] as never) },
      storedContext: undefined,
    };
  } else {
    const r = parseEpcisXmlEvent(text);
    if (!r.ok) {
      const errors = r.errors.map((p) => readProblem({ ...p, eventIndex: 0 }));
      return refuse(errors[0]!, errors);
    }
    raw = r.value;
    vctx.declareContext(raw['@context']);
    const rules = validateEvent(raw, '', vctx).filter((p) => p.severity === 'error' && p.source === 'rule');
    if (rules.length) {
      const errors = rules.map((p) => validationProblem(p, 0));
      return refuse(errors[0]!, errors);
    }
    ctx = {
      hash: hashContextForXml(r.namespaces),
      valuePrefixes: XML_VALUE_PREFIXES,
      storedContext: undefined,
    };
  }

  const ne = prepareEvent(raw, ctx);
  const existing = await store.getEventsById(ne.eventId);
  if (!ne.errorDeclaration && existing.some((e) => !e.isErrorDeclaration)) {
    return refuse(
      captureProblem(
        'ResourceAlreadyExistsException',
        `an event with eventID ${ne.eventId} is stored already`,
      ),
    );
  }
  const now = new Date().toISOString();
  stampRecordTime([ne], now);
  const job: CaptureJob = {
    captureId: input.captureId,
    createdAt: now,
    finishedAt: now,
    running: false,
    success: true,
    captureErrorBehaviour: 'rollback',
    eventCount: 1,
    errors: [],
  };
  const r = await store.append({ captureId: input.captureId, events: [ne], job });
  if (r.duplicates.length) {
    const p = captureProblem(
      'ResourceAlreadyExistsException',
      ne.errorDeclaration
        ? `this error declaration for ${ne.eventId} is stored already`
        : `an identical event (Event Hash ID ${ne.hashId}) is stored already`,
    );
    await store.putCaptureJob({ ...job, eventCount: 0 });
    return refuse(p);
  }
  return { ok: true, eventId: ne.eventId, hashId: ne.hashId, event: ne.event, job };
}
