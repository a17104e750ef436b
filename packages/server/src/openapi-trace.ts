/** OpenAPI entries of the trace and pack state endpoints (plugins/trace.ts), spread into the document. */
type Obj = Record<string, unknown>;

const TAG = 'Trace';
const secured = { security: [{ apiKey: [] }] };
const json = (schema: Obj) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string): Obj => ({
  description,
  content: {
    'application/problem+json': { schema: ref('Problem') },
    'application/problem+xml': { schema: ref('Problem') },
  },
});
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const ID =
  'EPC URN, GS1 Digital Link (any domain) or GS1 element string (`(01)…(21)…` or `(00)…`) of a pack (SGTIN) or an SSCC.';
const badId = problem(
  'The id cannot be read; `detail` says why (e.g. a pack needs a GTIN and a serial), `id` echoes it.',
);
const idPath: Obj = {
  in: 'path',
  name: 'id',
  required: true,
  description: `${ID} URL-encoded.`,
  schema: { type: 'string' },
};
const q = (name: string, description: string, schema: Obj = { type: 'string' }): Obj => ({
  in: 'query',
  name,
  description,
  schema,
});
const filters = [
  q('location', 'Business location (SGLN URN or Digital Link, as stored).'),
  q('gtin', 'GTIN-14.', { type: 'string', pattern: '^\\d{14}$' }),
  q('lot', 'Lot.'),
  q('status', 'Status (active, in_transit, dispensed, …).'),
];
const traceResponses: Obj = {
  '200': { description: 'Journey, state and containment.', content: json(ref('Trace')) },
  '400': badId,
  ...common,
  '404': problem('No event names the object; `parsed` shows how the id was read.'),
};

export const traceTag: Obj = {
  name: TAG,
  description:
    'Trace, pack state and inventory, projected from the event log in the capture transaction (role query). See docs/trace.md.',
};

export const tracePaths: Record<string, Obj> = {
  '/trace/{id}': {
    get: {
      tags: [TAG],
      summary: 'Trace an object (role query): its journey, current state and containment tree',
      description:
        'The journey holds the object’s own events and those of each container while the object was inside it (`via`), in (eventTime, seq) order.',
      ...secured,
      parameters: [idPath],
      responses: traceResponses,
    },
  },
  '/trace': {
    get: {
      tags: [TAG],
      summary: 'Trace an object given as a query parameter (role query); as GET /trace/{id}',
      ...secured,
      parameters: [{ ...q('id', ID), required: true }],
      responses: traceResponses,
    },
  },
  '/packs/{id}': {
    get: {
      tags: [TAG],
      summary: 'The current state of an object with its containers and direct contents (role query)',
      ...secured,
      parameters: [idPath],
      responses: {
        '200': {
          description: 'The state.',
          content: json({
            allOf: [
              ref('PackState'),
              {
                type: 'object',
                properties: {
                  ancestors: {
                    type: 'array',
                    items: { type: 'string' },
                    description: 'Containers now, nearest first.',
                  },
                  children: { type: 'array', items: { type: 'string' }, description: 'Direct contents.' },
                },
              },
            ],
          }),
        },
        '400': badId,
        ...common,
        '404': problem('No pack state for the object.'),
      },
    },
  },
  '/inventory': {
    get: {
      tags: [TAG],
      summary:
        'Count trade items (SGTINs, not SSCCs) grouped by location, GTIN, lot and/or status (role query)',
      ...secured,
      parameters: [
        q('groupBy', 'Comma-separated: any of location, gtin, lot, status (none: one total).', {
          type: 'string',
          example: 'location,gtin',
        }),
        ...filters,
      ],
      responses: {
        '200': {
          description: 'The counts.',
          content: json({
            type: 'object',
            properties: {
              groupBy: {
                type: 'array',
                items: { type: 'string', enum: ['location', 'gtin', 'lot', 'status'] },
              },
              filter: { type: 'object', additionalProperties: { type: 'string' } },
              total: { type: 'integer' },
              counts: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: {
                      type: 'object',
                      additionalProperties: { type: 'string', nullable: true },
                      description: 'The grouped fields’ values (null: the object has none).',
                    },
                    count: { type: 'integer' },
                  },
                },
              },
            },
          }),
        },
        '400': problem('An unknown groupBy field, an empty filter or a GTIN that is not 14 digits.'),
        ...common,
      },
    },
  },
  '/inventory/items': {
    get: {
      tags: [TAG],
      summary: 'The objects behind an inventory count, by id, page by page (role query)',
      ...secured,
      parameters: [
        ...filters,
        q('limit', 'Page size.', { type: 'integer', minimum: 1, maximum: 10000, default: 100 }),
        q('after', 'The `next` of the previous page (the last id it held).'),
      ],
      responses: {
        '200': {
          description: 'A page; `next` and a `Link: <…>; rel="next"` header when there are more.',
          headers: { Link: { schema: { type: 'string' } } },
          content: json({
            type: 'object',
            properties: { items: { type: 'array', items: ref('PackState') }, next: { type: 'string' } },
          }),
        },
        '400': problem('An empty filter, a GTIN that is not 14 digits or a limit outside 1–10000.'),
        ...common,
      },
    },
  },
};

const named: Obj = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' } },
};
const party: Obj = {
  type: 'object',
  properties: { type: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } },
};

export const traceSchemas: Record<string, Obj> = {
  PackState: {
    type: 'object',
    required: ['id', 'lastEventTime', 'lastSeq'],
    properties: {
      id: { type: 'string', description: 'Canonical GS1 Digital Link.' },
      gtin: { type: 'string', description: 'GTIN-14 of an SGTIN.' },
      lot: { type: 'string' },
      expiry: { type: 'string' },
      status: { type: 'string' },
      disposition: { type: 'string' },
      bizStep: { type: 'string' },
      location: { type: 'string' },
      readPoint: { type: 'string' },
      owner: { type: 'string' },
      possessor: { type: 'string' },
      parent: { type: 'string', description: 'The container it is in now.' },
      lastEventTime: { type: 'string', format: 'date-time' },
      lastSeq: { type: 'integer' },
    },
  },
  TraceTreeNode: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: { type: 'string' },
      gtin: { type: 'string' },
      lot: { type: 'string' },
      children: { type: 'array', items: ref('TraceTreeNode') },
    },
  },
  TraceStep: {
    type: 'object',
    properties: {
      seq: { type: 'integer' },
      eventId: { type: 'string' },
      eventType: { type: 'string' },
      action: { type: 'string' },
      eventTime: { type: 'string', format: 'date-time' },
      recordTime: { type: 'string', format: 'date-time' },
      bizStep: { type: 'string' },
      disposition: { type: 'string' },
      readPoint: named,
      bizLocation: named,
      sources: { type: 'array', items: party },
      destinations: { type: 'array', items: party },
      bizTransactions: {
        type: 'array',
        items: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
      },
      via: {
        type: 'object',
        description: 'The container the event was recorded on (path: nearest first).',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          path: { type: 'array', items: { type: 'string' } },
        },
      },
      role: { type: 'string', enum: ['epc', 'parent', 'child', 'input', 'output'] },
      parentID: { type: 'string' },
      childCount: { type: 'integer' },
      corrected: { type: 'boolean', description: 'An error declaration exists for the event.' },
    },
  },
  Trace: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      parsed: {
        type: 'object',
        properties: {
          input: { type: 'string' },
          id: { type: 'string' },
          kind: { type: 'string', enum: ['sgtin', 'sscc'] },
          gtin: { type: 'string' },
          serial: { type: 'string' },
          sscc: { type: 'string' },
        },
      },
      state: ref('PackState'),
      ancestors: { type: 'array', items: ref('PackState'), description: 'Containers now, nearest first.' },
      tree: ref('TraceTreeNode'),
      contentCount: { type: 'integer', description: 'Objects inside, at any depth.' },
      journey: { type: 'array', items: ref('TraceStep') },
    },
  },
};
