/**
 * The EPCIS 2.0 query interface (REST binding), as one Fastify plugin: `app.register(queryPlugin,
 * { store })`. Roles are the app's business: every route here needs `query` (the default), except
 * `POST /masterData`, which needs `capture` (route config `role`).
 *
 * | route | answer |
 * | --- | --- |
 * | `GET /` | top-level resources |
 * | `GET /events` | SimpleEventQuery over every event (query-string parameters, pipe-delimited lists) |
 * | `GET /events/{eventID}` | the event and its error declarations (404 when none) |
 * | `GET /eventTypes`, `/eventTypes/{t}`, `/eventTypes/{t}/events` | types; sub-resources; events of the type |
 * | `GET /epcs`, `/epcs/{epc}`, `/epcs/{epc}/events` | EPCs (URL-encoded URN or Digital Link); events with the EPC in any role |
 * | `GET /bizSteps…`, `/bizLocations…`, `/readPoints…`, `/dispositions…` | values seen; sub-resources; events with the value |
 * | `POST /queries` | named query `{ name, query }` → 201 + Location; 409 if the name exists |
 * | `GET /queries`, `GET/DELETE /queries/{name}`, `GET /queries/{name}/events` | list; definition / delete (and its subscriptions); run |
 * | `POST /masterData` | store master data: `{ vocabularyList: [...] }` or an EPCIS document with `epcisHeader.epcisMasterData` (role `capture`) |
 * | `GET /masterData?type=…&id=a\|b` | stored master data as `{ vocabularyList }` |
 *
 * Event answers are EPCISQueryDocuments: JSON-LD (`application/json`, `application/ld+json`) or
 * EPCIS 2.0 XML (`application/xml`), 406 otherwise; `GS1-EPC-Format` (Always_GS1_Digital_Link by
 * default; Always_EPC_URN needs the GS1 Company Prefix length — option `gcp` — and keeps the
 * Digital Link, with a `Warning` header, where it is unknown), `GS1-CBV-XML-Format` for XML, the
 * master data of the read points and business locations in the header. Pages: `perPage` (default
 * 30, at most `maxPerPage`), `nextPageToken`, `Link: <…>; rel="next"`; tokens do not expire.
 */
import {
  classifyParam,
  compileQuery,
  type EpcFormat,
  isQueryParameterName,
  masterDataOf,
  masterDataOfEvents,
  type ParsedParam,
  type ParsedQuery,
  parseCbvXmlFormat,
  parseEpcFormat,
  parseExtensionsHeader,
  parseQueryBody,
  parseQueryString,
  planQuery,
  presentEvents,
  QueryError,
  queryDocument,
  queryDocumentXml,
  resolvePerPage,
  runQuery,
  urnConverter,
  vocabularyList,
} from '@rxtrace/core';
import {
  EVENT_TYPES,
  type GcpLengthSource,
  normaliseCbv,
  normaliseIdentifier,
  validateQueryBody,
} from '@rxtrace/epcis';
import type { MasterDataElement, Store, StoredEvent } from '@rxtrace/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { epcisProblem } from '../problem.ts';

export interface QueryPluginOptions {
  store: Store;
  /** GS1 Company Prefix lengths, for `GS1-EPC-Format: Always_EPC_URN`. */
  gcp?: GcpLengthSource;
  /** Cap of perPage (default 1000). */
  maxPerPage?: number;
}

/** The routes and methods this plugin registers (OPTIONS is the app's). */
export const QUERY_ROUTES: readonly { path: string; methods: readonly string[]; role?: 'capture' }[] = [
  { path: '/', methods: ['GET'] },
  { path: '/events', methods: ['GET'] },
  { path: '/events/:eventID', methods: ['GET'] },
  ...['eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions'].flatMap((r) => [
    { path: `/${r}`, methods: ['GET'] },
    { path: `/${r}/:value`, methods: ['GET'] },
    { path: `/${r}/:value/events`, methods: ['GET'] },
  ]),
  { path: '/queries', methods: ['GET', 'POST'] },
  { path: '/queries/:queryName', methods: ['GET', 'DELETE'] },
  { path: '/queries/:queryName/events', methods: ['GET'] },
  { path: '/masterData', methods: ['GET'] },
  { path: '/masterData', methods: ['POST'], role: 'capture' },
];

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const TOP_LEVEL = [
  'events',
  'eventTypes',
  'epcs',
  'bizSteps',
  'bizLocations',
  'readPoints',
  'dispositions',
  'capture',
  'queries',
];
/** Subscription controls of GET /queries/{name}/events (WebSocket subscriptions): not query parameters. */
const SUBSCRIPTION_CONTROLS = [
  'stream',
  'second',
  'minute',
  'hour',
  'dayOfMonth',
  'month',
  'dayOfWeek',
  'reportIfEmpty',
  'initialRecordTime',
];

/** A core QueryError as the problem the app renders. */
function asProblem(e: unknown): unknown {
  if (e instanceof QueryError) return epcisProblem(e.exception, e.status, e.message);
  return e;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asProblem(e);
  }
}

type Representation = { kind: 'json' | 'xml'; type: string };

/** Content negotiation over Accept (q-values honoured): JSON(-LD) or XML; 406 otherwise. */
export function negotiate(accept: string | undefined, xml = true): Representation {
  if (!accept?.trim()) return { kind: 'json', type: 'application/json' };
  const offers: Representation[] = [
    { kind: 'json', type: 'application/json' },
    { kind: 'json', type: 'application/ld+json' },
    ...(xml
      ? [
          { kind: 'xml' as const, type: 'application/xml' },
          { kind: 'xml' as const, type: 'text/xml' },
        ]
      : []),
  ];
  let best: { r: Representation; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [range = '', ...ps] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const p of ps) {
      const [k, v] = p.trim().split('=');
      if (k === 'q') q = Number(v);
    }
    if (!(q > 0)) continue;
    const r = range.trim();
    for (const o of offers) {
      const [t, s] = o.type.split('/');
      const ok =
        r === '*/*' || r === o.type || r === `${t}/*` || (s === 'json' && r === 'application/*+json');
      if (ok && (!best || q > best.q)) best = { r: o, q };
    }
  }
  if (!best)
    throw epcisProblem(
      'NotAcceptableException',
      406,
      `none of ${accept} can be served: application/json, application/ld+json${xml ? ', application/xml' : ''}`,
    );
  return best.r;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function searchOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? '' : req.url.slice(q + 1);
}

function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** The URL of the next page: this request's, with nextPageToken replaced. */
function nextLink(req: FastifyRequest, token: string): string {
  const sp = new URLSearchParams(searchOf(req));
  sp.set('nextPageToken', token);
  return `<${pathOf(req)}?${sp.toString()}>; rel="next"`;
}

function param(name: string, values: string[]): ParsedParam {
  const c = classifyParam(name)!;
  return { name, def: c[0], value: { kind: 'strings', values } };
}

/** Stateless list tokens: an offset or a store cursor. */
const listToken = {
  encode: (t: { o?: number; c?: string }) => Buffer.from(JSON.stringify(t)).toString('base64url'),
  decode: (s: string | undefined): { o?: number; c?: string } => {
    if (!s) return {};
    try {
      const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { o?: number; c?: string };
      if (t && typeof t === 'object') return t;
    } catch {}
    throw epcisProblem('QueryParameterException', 400, 'nextPageToken is not a token this server issued');
  },
};

/** The value resources: their store field, the query parameter of their events, the value normaliser. */
const VALUE_RESOURCES = {
  eventTypes: { field: 'eventType', param: 'eventType', norm: (v: string) => v },
  epcs: { field: 'epc', param: 'MATCH_anyEPC', norm: normaliseIdentifier },
  bizSteps: { field: 'bizStep', param: 'EQ_bizStep', norm: (v: string) => normaliseCbv('bizStep', v) },
  bizLocations: { field: 'bizLocation', param: 'EQ_bizLocation', norm: normaliseIdentifier },
  readPoints: { field: 'readPoint', param: 'EQ_readPoint', norm: normaliseIdentifier },
  dispositions: {
    field: 'disposition',
    param: 'EQ_disposition',
    norm: (v: string) => normaliseCbv('disposition', v),
  },
} as const;
type ValueResource = keyof typeof VALUE_RESOURCES;

export default async function queryPlugin(app: FastifyInstance, opts: QueryPluginOptions): Promise<void> {
  const { store } = opts;
  const maxPerPage = opts.maxPerPage ?? 1000;

  /** Sends events as an EPCISQueryDocument in the negotiated representation. */
  async function sendEvents(
    req: FastifyRequest,
    reply: FastifyReply,
    events: StoredEvent[],
    queryName: string,
    next?: string,
  ): Promise<FastifyReply> {
    const rep = negotiate(header(req, 'accept'));
    const epcFormat: EpcFormat = parseEpcFormat(header(req, 'gs1-epc-format'));
    const cbvFormat = parseCbvXmlFormat(header(req, 'gs1-cbv-xml-format'));
    const presented = presentEvents(events, epcFormat, opts.gcp);
    const vocab = await masterDataOfEvents(
      store,
      events.map((e) => e.event),
    );
    if (epcFormat === 'Always_EPC_URN' && vocab.length) {
      const { conv } = urnConverter(opts.gcp);
      for (const v of vocab)
        v.vocabularyElementList = v.vocabularyElementList.map((el) => ({
          ...el,
          id: conv(el.id),
          ...(el.children ? { children: el.children.map(conv) } : {}),
        }));
    }
    const doc = queryDocument(presented.events, {
      queryName,
      context: presented.context,
      vocabularyList: vocab,
    });
    const untranslated = presented.translation.untranslated;
    reply.header(
      'gs1-epc-format',
      epcFormat === 'Always_EPC_URN'
        ? untranslated.length
          ? 'No_Preference'
          : 'Always_EPC_URN'
        : 'Always_GS1_Digital_Link',
    );
    if (untranslated.length)
      reply.header(
        'warning',
        `299 rxtrace "Always_EPC_URN: ${untranslated.length} identifier(s) kept as GS1 Digital Link, GS1 Company Prefix length unknown (e.g. ${untranslated[0]})"`,
      );
    if (next) reply.header('link', nextLink(req, next));
    if (rep.kind === 'xml') {
      const { xml } = queryDocumentXml(doc, cbvFormat);
      reply.header('gs1-cbv-xml-format', cbvFormat === 'Always_URN' ? 'Always_URN' : 'Always_Web_URI');
      return reply.type(`${rep.type}; charset=utf-8`).send(xml);
    }
    return reply.type(`${rep.type}; charset=utf-8`).send(JSON.stringify(doc));
  }

  /** Runs a query from this request's query string (plus `extra` parameters) and sends one page. */
  async function runAndSend(
    req: FastifyRequest,
    reply: FastifyReply,
    queryName: string,
    extra: ParsedParam[] = [],
    base?: ParsedQuery,
    ignore: readonly string[] = [],
  ): Promise<FastifyReply> {
    const parsed = parseQueryString(searchOf(req), {
      namespaces: parseExtensionsHeader(header(req, 'gs1-extensions')),
      ignore,
    });
    const query: ParsedQuery = {
      params: [...(base?.params ?? []), ...parsed.query.params, ...extra],
      namespaces: { ...(base?.namespaces ?? {}), ...parsed.query.namespaces },
    };
    const perPage = resolvePerPage(parsed.perPage, maxPerPage);
    const plan = await planQuery(query, store);
    const page = await runQuery(store, plan, {
      perPage,
      ...(parsed.nextPageToken ? { nextPageToken: parsed.nextPageToken } : {}),
    });
    return sendEvents(req, reply, page.events, queryName, page.nextPageToken);
  }

  function collection(
    reply: FastifyReply,
    member: string[],
    req?: FastifyRequest,
    next?: string,
  ): FastifyReply {
    if (req) negotiate(header(req, 'accept'), false);
    if (req && next) reply.header('link', nextLink(req, next));
    return reply
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ '@context': CONTEXT, type: 'Collection', member }));
  }

  const pageParams = (req: FastifyRequest): { perPage: number; token?: string } => {
    const sp = new URLSearchParams(searchOf(req));
    for (const k of sp.keys())
      if (k !== 'perPage' && k !== 'nextPageToken')
        throw epcisProblem(
          'QueryParameterException',
          400,
          `'${k}' is not a parameter of this resource (perPage, nextPageToken)`,
        );
    const token = sp.get('nextPageToken') ?? undefined;
    return {
      perPage: resolvePerPage(sp.get('perPage') ?? undefined, maxPerPage),
      ...(token ? { token } : {}),
    };
  };

  app.get('/', async (req, reply) => guarded(async () => collection(reply, TOP_LEVEL, req)));

  app.get('/events', async (req, reply) => guarded(() => runAndSend(req, reply, 'SimpleEventQuery')));

  app.get<{ Params: { eventID: string } }>('/events/:eventID', async (req, reply) =>
    guarded(async () => {
      const id = req.params.eventID;
      const events = await store.getEventsById(id);
      if (events.length === 0)
        throw epcisProblem('NoSuchResourceException', 404, `no event has the eventID ${id}`);
      return sendEvents(
        req,
        reply,
        events.sort((a, b) => a.seq - b.seq),
        'SimpleEventQuery',
      );
    }),
  );

  for (const [resource, spec] of Object.entries(VALUE_RESOURCES) as [
    ValueResource,
    (typeof VALUE_RESOURCES)[ValueResource],
  ][]) {
    app.get(`/${resource}`, async (req, reply) =>
      guarded(async () => {
        const { perPage, token } = pageParams(req);
        const epcFormat =
          resource === 'epcs' ? parseEpcFormat(header(req, 'gs1-epc-format')) : 'Always_GS1_Digital_Link';
        if (resource === 'eventTypes') {
          // Few values: the standard five and the extension types seen, paged by offset.
          const seen = new Set<string>(EVENT_TYPES);
          let after: string | undefined;
          do {
            const r = await store.distinctValues('eventType', { limit: 1000, ...(after ? { after } : {}) });
            for (const v of r.values) seen.add(v);
            after = r.next;
          } while (after);
          const all = [...seen];
          const o = listToken.decode(token).o ?? 0;
          const page = all.slice(o, o + perPage);
          return collection(
            reply,
            page,
            req,
            o + perPage < all.length ? listToken.encode({ o: o + perPage }) : undefined,
          );
        }
        const c = listToken.decode(token).c;
        const r = await store.distinctValues(spec.field, { limit: perPage, ...(c ? { after: c } : {}) });
        let values = r.values;
        if (epcFormat === 'Always_EPC_URN') values = values.map(urnConverter(opts.gcp).conv);
        return collection(reply, values, req, r.next ? listToken.encode({ c: r.next }) : undefined);
      }),
    );

    const exists = async (value: string): Promise<boolean> => {
      if (resource === 'eventTypes' && (EVENT_TYPES as readonly string[]).includes(value)) return true;
      const { plan } = compileQuery({ params: [param(spec.param, [value])], namespaces: {} });
      const page = await store.queryEvents(plan.filter, { limit: 1 });
      return page.events.length > 0;
    };

    app.get<{ Params: { value: string } }>(`/${resource}/:value`, async (req, reply) =>
      guarded(async () => {
        const value = req.params.value;
        if (!(await exists(spec.norm(value))))
          throw epcisProblem('NoSuchResourceException', 404, `no event has ${spec.field} ${value}`);
        return collection(reply, ['events'], req);
      }),
    );

    app.get<{ Params: { value: string } }>(`/${resource}/:value/events`, async (req, reply) =>
      guarded(() => runAndSend(req, reply, 'SimpleEventQuery', [param(spec.param, [req.params.value])])),
    );
  }

  // Named queries

  app.post('/queries', async (req, reply) =>
    guarded(async () => {
      const body = req.body as { name?: unknown; query?: unknown } | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw epcisProblem(
          'QueryValidationException',
          400,
          'the body must be a JSON object { "name": …, "query": { … } }',
        );
      const { name, query } = body;
      if (typeof name !== 'string' || name === '' || name.length > 200 || /[/?#\s]/.test(name))
        throw epcisProblem(
          'QueryValidationException',
          400,
          'name must be a non-empty string of at most 200 characters without /, ?, # or white space',
        );
      for (const k of Object.keys(body))
        if (k !== 'name' && k !== 'query')
          throw epcisProblem(
            'QueryValidationException',
            400,
            `'${k}' is not a member of a named query (name, query)`,
          );
      const report = validateQueryBody(query);
      const errors = report.problems.filter(
        (p) =>
          p.severity === 'error' &&
          !(
            p.code === 'additionalProperties' && isQueryParameterName(/^'([^']+)'/.exec(p.message)?.[1] ?? '')
          ),
      );
      if (errors.length)
        throw epcisProblem(
          'QueryParameterException',
          400,
          errors.map((p) => `${p.pointer || '/'}: ${p.message}`).join('; '),
        );
      compileQuery(parseQueryBody(query));
      const stored = await store.putNamedQuery({ name, query, createdAt: new Date().toISOString() });
      if (!stored) throw epcisProblem('ResourceAlreadyExistsException', 409, `a query named ${name} exists`);
      return reply
        .code(201)
        .header('location', `/queries/${encodeURIComponent(name)}`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ name, query }));
    }),
  );

  app.get('/queries', async (req, reply) =>
    guarded(async () => {
      negotiate(header(req, 'accept'), false);
      const { perPage, token } = pageParams(req);
      const all = await store.listNamedQueries();
      const o = listToken.decode(token).o ?? 0;
      if (o + perPage < all.length) reply.header('link', nextLink(req, listToken.encode({ o: o + perPage })));
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(all.slice(o, o + perPage).map((q) => ({ name: q.name, query: q.query }))));
    }),
  );

  const named = async (name: string) => {
    const q = await store.getNamedQuery(name);
    if (!q) throw epcisProblem('NoSuchNameException', 404, `there is no query named ${name}`);
    return q;
  };

  app.get<{ Params: { queryName: string } }>('/queries/:queryName', async (req, reply) =>
    guarded(async () => {
      negotiate(header(req, 'accept'), false);
      const q = await named(req.params.queryName);
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ name: q.name, query: q.query }));
    }),
  );

  app.delete<{ Params: { queryName: string } }>('/queries/:queryName', async (req, reply) =>
    guarded(async () => {
      if (!(await store.deleteNamedQuery(req.params.queryName)))
        throw epcisProblem('NoSuchNameException', 404, `there is no query named ${req.params.queryName}`);
      return reply.code(204).send();
    }),
  );

  app.get<{ Params: { queryName: string } }>('/queries/:queryName/events', async (req, reply) =>
    guarded(async () => {
      if (/websocket/i.test(header(req, 'upgrade') ?? ''))
        throw epcisProblem(
          'ImplementationException',
          501,
          'WebSocket subscriptions are not offered on this route by this server',
        );
      const q = await named(req.params.queryName);
      return runAndSend(req, reply, q.name, [], parseQueryBody(q.query), SUBSCRIPTION_CONTROLS);
    }),
  );

  // Master data

  app.post('/masterData', { config: { role: 'capture' } }, async (req, reply) =>
    guarded(async () => {
      const body = req.body as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object')
        throw epcisProblem(
          'ValidationException',
          400,
          'the body must be { "vocabularyList": [...] } or an EPCIS document with epcisHeader.epcisMasterData',
        );
      const header_ =
        'vocabularyList' in body
          ? { epcisHeader: { epcisMasterData: { vocabularyList: body.vocabularyList } } }
          : body;
      const list = (header_ as { epcisHeader?: { epcisMasterData?: { vocabularyList?: unknown } } })
        .epcisHeader?.epcisMasterData?.vocabularyList;
      if (
        !Array.isArray(list) ||
        list.some(
          (v) =>
            !v ||
            typeof v.type !== 'string' ||
            !Array.isArray(v.vocabularyElementList) ||
            v.vocabularyElementList.some((el: { id?: unknown }) => typeof el?.id !== 'string'),
        )
      )
        throw epcisProblem(
          'ValidationException',
          400,
          'vocabularyList must be a list of { type, vocabularyElementList: [{ id, attributes?, children? }] }',
        );
      const elements: MasterDataElement[] = masterDataOf(header_ as Parameters<typeof masterDataOf>[0]);
      await store.putMasterData(elements);
      return reply
        .code(201)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ stored: elements.length }));
    }),
  );

  app.get('/masterData', async (req, reply) =>
    guarded(async () => {
      negotiate(header(req, 'accept'), false);
      const sp = new URLSearchParams(searchOf(req));
      for (const k of sp.keys())
        if (k !== 'type' && k !== 'id')
          throw epcisProblem(
            'QueryParameterException',
            400,
            `'${k}' is not a parameter of /masterData (type, id)`,
          );
      const type = sp.get('type') ?? undefined;
      const idText = sp.get('id');
      const ids = idText
        ? [...new Set(idText.split('|').flatMap((i) => [i, normaliseIdentifier(i)]))]
        : undefined;
      const elements = await store.getMasterData(type, ids);
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ '@context': CONTEXT, vocabularyList: vocabularyList(elements) }));
    }),
  );
}
