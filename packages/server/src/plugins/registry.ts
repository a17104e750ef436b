/**
 * Master data registry (reading: role `query`; writing: role `admin`):
 * - `GET /products[?market=US&ndc=&name=&perPage=&nextPageToken=]`, `POST /products`,
 *   `GET|PUT|DELETE /products/{gtin}` (a GTIN of 8–14 digits or its Digital Link),
 *   `POST /products/import` (text/csv; `?partial=true` stores the valid rows of a faulty file)
 * - the same for `/locations/{gln-or-sgln}` (13 digits, an SGLN Digital Link or EPC URN, or
 *   `/locations/{gln}/254/{extension}`) and `/partners/{gln}`;
 *   `GET /partners/{gln}/authorised[?at=ISO-time]` — the authorised-trading-partner check.
 * Errors are RFC 7807 problems: 400 with every field error (and CSV line), 404, 409.
 */
import { parseLocationKey, RegistryError, type RegistryKind, RegistryService } from '@rxtrace/core';
import type {
  LocationFilter,
  LocationType,
  Page,
  PartnerFilter,
  PartnerRole,
  PartnerStatus,
  RxtraceStore,
} from '@rxtrace/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../http.ts';
import { epcisProblem, ProblemError } from '../problem.ts';

export interface RegistryPluginOptions {
  ctx: ServerContext;
  store: RxtraceStore;
  /** Largest CSV body accepted by the import routes (bytes). Default 64 MiB. */
  importBytes?: number;
}

function toProblem(e: unknown): unknown {
  if (!(e instanceof RegistryError)) return e;
  const errors = e.errors.map((x) => ({
    ...(x.line !== undefined ? { line: x.line } : {}),
    field: x.field,
    detail: x.message,
  }));
  if (e.kind === 'not-found') return epcisProblem('NoSuchResourceException', 404, e.message);
  if (e.kind === 'conflict')
    return epcisProblem('ResourceAlreadyExistsException', 409, e.message, errors.length ? { errors } : {});
  const p = epcisProblem('ValidationException', 400, e.message, { errors }).problem;
  return new ProblemError({ ...p, title: 'The master data record or file is not valid' });
}

const encodeToken = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function decodeToken(t: string | undefined): string | undefined {
  if (t === undefined || t === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(t))
    throw epcisProblem('QueryParameterException', 400, 'nextPageToken is not one this server gave');
  return Buffer.from(t, 'base64url').toString('utf8');
}

interface ListQs {
  perPage?: number;
  nextPageToken?: string;
}

const listQs = (extra: Record<string, unknown>) => ({
  type: 'object',
  properties: {
    perPage: { type: 'integer', minimum: 1, maximum: 1000 },
    nextPageToken: { type: 'string' },
    ...extra,
  },
});

function sendPage<T>(request: FastifyRequest, reply: FastifyReply, member: string, page: Page<T>) {
  if (page.next !== undefined) {
    const token = encodeToken(page.next);
    const url = new URL(request.url, 'http://x');
    url.searchParams.set('nextPageToken', token);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
    return { [member]: page.items, nextPageToken: token };
  }
  return { [member]: page.items };
}

export default async function registryPlugin(
  app: FastifyInstance,
  opts: RegistryPluginOptions,
): Promise<void> {
  const service = new RegistryService(opts.store.registry);
  const read = { role: 'query' as const };
  const admin = { role: 'admin' as const };
  const bodyLimit = opts.importBytes ?? 64 * 1024 * 1024;

  app.addContentTypeParser(
    ['text/csv', 'application/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit },
    (_r, body, done) => done(null, body),
  );

  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw toProblem(e);
      }
    };

  const importRoute = (kind: RegistryKind) =>
    app.post<{ Querystring: { partial?: boolean }; Body: unknown }>(
      `/${kind}/import`,
      {
        config: admin,
        bodyLimit,
        schema: { querystring: { type: 'object', properties: { partial: { type: 'boolean' } } } },
      },
      wrap(async (request) => {
        if (typeof request.body !== 'string')
          throw epcisProblem(
            'UnsupportedMediaTypeException',
            415,
            'send the CSV file as the body with Content-Type: text/csv',
          );
        const r = await service.importCsv(kind, request.body, { partial: request.query.partial === true });
        request.log.info(
          { kind, rows: r.rows, created: r.created, replaced: r.replaced, by: request.apiKey?.keyId },
          'registry import',
        );
        return {
          ...r,
          errors: r.errors.map((x) => ({ line: x.line, field: x.field, detail: x.message })),
        };
      }),
    );

  // ---------------------------------------------------------------------------------------------
  // Products

  app.get<{ Querystring: ListQs & { market?: string; ndc?: string; name?: string } }>(
    '/products',
    {
      config: read,
      schema: {
        querystring: listQs({
          market: { type: 'string' },
          ndc: { type: 'string' },
          name: { type: 'string' },
        }),
      },
    },
    wrap(async (request, reply) => {
      const q = request.query;
      const after = decodeToken(q.nextPageToken);
      const page = await service.listProducts(
        {
          ...(q.market ? { market: q.market } : {}),
          ...(q.ndc ? { ndc: q.ndc } : {}),
          ...(q.name ? { name: q.name } : {}),
        },
        { limit: q.perPage ?? 100, ...(after !== undefined ? { after } : {}) },
      );
      return sendPage(request, reply, 'products', page);
    }),
  );
  app.post(
    '/products',
    { config: admin },
    wrap(async (request: FastifyRequest, reply: FastifyReply) => {
      const p = await service.createProduct(request.body);
      reply.code(201).header('location', `/products/${p.gtin}`);
      return p;
    }),
  );
  importRoute('products');
  app.get<{ Params: { gtin: string } }>(
    '/products/:gtin',
    { config: read },
    wrap(async (request) => service.getProduct(request.params.gtin)),
  );
  app.put<{ Params: { gtin: string } }>(
    '/products/:gtin',
    { config: admin },
    wrap(async (request, reply) => {
      const r = await service.putProduct(request.params.gtin, request.body);
      if (r.created) reply.code(201).header('location', `/products/${r.record.gtin}`);
      return r.record;
    }),
  );
  app.delete<{ Params: { gtin: string } }>(
    '/products/:gtin',
    { config: admin },
    wrap(async (request, reply) => {
      await service.deleteProduct(request.params.gtin);
      return reply.code(204).send();
    }),
  );

  // ---------------------------------------------------------------------------------------------
  // Locations

  const locationPath = (l: { gln: string; extension?: string }) =>
    l.extension === undefined
      ? `/locations/${l.gln}`
      : `/locations/${l.gln}/254/${encodeURIComponent(l.extension)}`;

  app.get<{
    Querystring: ListQs & {
      type?: LocationType;
      country?: string;
      ownerGln?: string;
      gln?: string;
      name?: string;
    };
  }>(
    '/locations',
    {
      config: read,
      schema: {
        querystring: listQs({
          type: { type: 'string' },
          country: { type: 'string' },
          ownerGln: { type: 'string' },
          gln: { type: 'string' },
          name: { type: 'string' },
        }),
      },
    },
    wrap(async (request, reply) => {
      const { perPage, nextPageToken, ...f } = request.query;
      const after = decodeToken(nextPageToken);
      const filter: LocationFilter = {};
      for (const [k, v] of Object.entries(f)) if (v) (filter as Record<string, string>)[k] = v;
      const page = await service.listLocations(filter, {
        limit: perPage ?? 100,
        ...(after !== undefined ? { after } : {}),
      });
      return sendPage(request, reply, 'locations', page);
    }),
  );
  app.post(
    '/locations',
    { config: admin },
    wrap(async (request: FastifyRequest, reply: FastifyReply) => {
      const l = await service.createLocation(request.body);
      reply.code(201).header('location', locationPath(l));
      return l;
    }),
  );
  importRoute('locations');
  for (const path of ['/locations/:id', '/locations/:id/254/:ext']) {
    const keyOf = (p: { id: string; ext?: string }) => parseLocationKey(p.id, p.ext);
    app.get<{ Params: { id: string; ext?: string } }>(
      path,
      { config: read },
      wrap(async (request) => service.getLocation(keyOf(request.params))),
    );
    app.put<{ Params: { id: string; ext?: string } }>(
      path,
      { config: admin },
      wrap(async (request, reply) => {
        const r = await service.putLocation(keyOf(request.params), request.body);
        if (r.created) reply.code(201).header('location', locationPath(r.record));
        return r.record;
      }),
    );
    app.delete<{ Params: { id: string; ext?: string } }>(
      path,
      { config: admin },
      wrap(async (request, reply) => {
        await service.deleteLocation(keyOf(request.params));
        return reply.code(204).send();
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Partners

  app.get<{
    Querystring: ListQs & {
      status?: PartnerStatus;
      role?: PartnerRole;
      country?: string;
      licenceExpiringBy?: string;
      name?: string;
    };
  }>(
    '/partners',
    {
      config: read,
      schema: {
        querystring: listQs({
          status: { type: 'string', enum: ['authorised', 'suspended', 'revoked'] },
          role: { type: 'string' },
          country: { type: 'string' },
          licenceExpiringBy: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          name: { type: 'string' },
        }),
      },
    },
    wrap(async (request, reply) => {
      const { perPage, nextPageToken, ...f } = request.query;
      const after = decodeToken(nextPageToken);
      const filter: PartnerFilter = {};
      for (const [k, v] of Object.entries(f)) if (v) (filter as Record<string, string>)[k] = v;
      const page = await service.listPartners(filter, {
        limit: perPage ?? 100,
        ...(after !== undefined ? { after } : {}),
      });
      return sendPage(request, reply, 'partners', page);
    }),
  );
  app.post(
    '/partners',
    { config: admin },
    wrap(async (request: FastifyRequest, reply: FastifyReply) => {
      const p = await service.createPartner(request.body);
      reply.code(201).header('location', `/partners/${p.gln}`);
      return p;
    }),
  );
  importRoute('partners');
  app.get<{ Params: { gln: string } }>(
    '/partners/:gln',
    { config: read },
    wrap(async (request) => service.getPartner(request.params.gln)),
  );
  app.get<{ Params: { gln: string }; Querystring: { at?: string } }>(
    '/partners/:gln/authorised',
    { config: read, schema: { querystring: { type: 'object', properties: { at: { type: 'string' } } } } },
    wrap(async (request) => {
      const at = request.query.at === undefined ? new Date() : new Date(request.query.at);
      if (
        Number.isNaN(at.getTime()) ||
        (request.query.at !== undefined && !/^\d{4}-\d\d-\d\d(T|$)/.test(request.query.at))
      )
        throw epcisProblem(
          'QueryParameterException',
          400,
          `at must be an ISO 8601 date or time, not '${request.query.at}'`,
        );
      const partner = await service.getPartner(request.params.gln).catch((e: unknown) => {
        if (e instanceof RegistryError && e.kind === 'not-found') return undefined;
        throw e;
      });
      return {
        gln: partner?.gln ?? request.params.gln,
        at: at.toISOString(),
        authorised: partner ? await service.isAuthorised(partner.gln, at) : false,
        registered: partner !== undefined,
        ...(partner
          ? { status: partner.status, ...(partner.licence ? { licence: partner.licence } : {}) }
          : {}),
      };
    }),
  );
  app.put<{ Params: { gln: string } }>(
    '/partners/:gln',
    { config: admin },
    wrap(async (request, reply) => {
      const r = await service.putPartner(request.params.gln, request.body);
      if (r.created) reply.code(201).header('location', `/partners/${r.record.gln}`);
      return r.record;
    }),
  );
  app.delete<{ Params: { gln: string } }>(
    '/partners/:gln',
    { config: admin },
    wrap(async (request, reply) => {
      await service.deletePartner(request.params.gln);
      return reply.code(204).send();
    }),
  );
}
