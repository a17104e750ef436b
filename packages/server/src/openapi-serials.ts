/** OpenAPI entries of the serial number endpoints (plugins/serials.ts), spread into the document. */
type Obj = Record<string, unknown>;

const TAG = 'Serials';
const secured = { security: [{ apiKey: [] }] };
const json = (schema: Obj) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string): Obj => ({
  description,
  content: {
    'application/problem+json': { schema: ref('SerialProblem') },
    'application/problem+xml': { schema: ref('SerialProblem') },
  },
});
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const bad = problem(
  'Bad input (invalid GTIN, lot, expiry, count, serial or body); `detail` says which and why.',
);
const tooMany = problem('More serials in one call than the server allows (100,000; imports 1,000,000).');
const wrongState = problem(
  'Wrong serial state: one or more serials cannot make the change (`refused`: each serial and its state, null when never issued); nothing was changed.',
);
const body = (schema: Obj): Obj => ({ required: true, content: json(schema) });
const gtinParam = (description: string, required: boolean): Obj => ({
  in: 'query',
  name: 'gtin',
  required,
  description,
  schema: { type: 'string' },
});
const serialList: Obj = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', maxLength: 20 },
  description: 'Serial numbers (AI 21): 1 to 20 characters of GS1 set 82.',
};

const change = (what: string, from: string, to: string): Obj => ({
  post: {
    tags: [TAG],
    summary: `${what} (role capture)`,
    description: `All or nothing: every serial must be ${from}; they become \`${to}\`.`,
    ...secured,
    requestBody: body({
      type: 'object',
      required: ['gtin', 'serials'],
      additionalProperties: false,
      properties: {
        gtin: { type: 'string', description: 'GTIN-8/12/13/14, or `sscc` for SSCCs.' },
        serials: serialList,
      },
    }),
    responses: {
      '200': {
        description: 'Changed.',
        content: json({
          type: 'object',
          properties: {
            gtin: { type: 'string' },
            changed: { type: 'integer' },
            state: { type: 'string', enum: [to] },
          },
        }),
      },
      '400': bad,
      ...common,
      '409': wrongState,
      '413': tooMany,
    },
  },
});

export const serialsTag: Obj = {
  name: TAG,
  description:
    'Serial number pools, issuance to packaging lines (idempotent with a request id), import, commissioning, lifecycle and reconciliation (roles capture and admin). See docs/serials.md.',
};

export const serialsPaths: Record<string, Obj> = {
  '/serials/pools': {
    post: {
      tags: [TAG],
      summary: 'Create a serial pool (role admin)',
      description:
        'Kinds: `random` (guess probability `plannedVolume / charsetSize ^ length` must be below 1/10,000), `sequential` (only when every market allows it), `list` (imported serials), `sscc`.',
      ...secured,
      requestBody: body(ref('SerialPoolInput')),
      responses: {
        '201': { description: 'Created; `Location` names it.', content: json(ref('SerialPool')) },
        '400': problem('Invalid pool configuration; `detail` names the field.'),
        ...common,
        '409': problem('A pool with this poolId exists.'),
        '422': problem(
          'Refused by a rule: guess probability at or above 1/10,000 (`guessProbability`, `spaceSize`, `plannedVolume`), or a sequential pool for a market that requires randomised serials.',
        ),
      },
    },
    get: {
      tags: [TAG],
      summary: 'List serial pools (role capture), by poolId',
      ...secured,
      parameters: [
        gtinParam('Only the pools of this GTIN.', false),
        {
          in: 'query',
          name: 'counts',
          description: 'Add each pool’s serial counts per state.',
          schema: { type: 'boolean', default: false },
        },
      ],
      responses: {
        '200': { description: 'The pools.', content: json({ type: 'array', items: ref('SerialPool') }) },
        '400': bad,
        ...common,
      },
    },
  },
  '/serials/pools/{poolId}': {
    get: {
      tags: [TAG],
      summary: 'One serial pool with its counts per state (role capture)',
      ...secured,
      parameters: [{ in: 'path', name: 'poolId', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The pool.', content: json(ref('SerialPool')) },
        ...common,
        '404': problem('No such serial pool.'),
      },
    },
  },
  '/serials/requests': {
    post: {
      tags: [TAG],
      summary: 'Issue serials to a line (role capture): reserved, durable before the answer',
      description:
        'The GTIN’s pools serve the request oldest first (an exhausted pool passes it on), or the pool named. ' +
        'With a request id (`requestId`, or the `Idempotency-Key` header) a retry gets the same serials in the same order and reserves nothing (`replayed: true`, header `Idempotent-Replayed: true`); ' +
        'the same id with other parameters is refused (409, `differences`).',
      ...secured,
      parameters: [
        {
          in: 'header',
          name: 'Idempotency-Key',
          description: 'The request id, as a header (the same as `requestId` when both are given).',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: body({
        type: 'object',
        required: ['count'],
        additionalProperties: false,
        properties: {
          gtin: { type: 'string', description: 'GTIN-8/12/13/14 (give gtin or poolId).' },
          poolId: { type: 'string' },
          count: { type: 'integer', minimum: 1, maximum: 100000 },
          lot: { type: 'string', maxLength: 20 },
          expiry: { type: 'string', format: 'date' },
          reservedFor: { type: 'string', maxLength: 200, description: 'The line or contract manufacturer.' },
          requestId: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            pattern: '^[!-~]+$',
            description: 'The client’s id for the request: printable ASCII, no spaces.',
          },
        },
      }),
      responses: {
        '201': {
          description: 'The serials (a replay: the stored answer).',
          headers: {
            'Idempotent-Replayed': {
              description: '`true` when the answer is the stored one of an earlier request with the same id.',
              schema: { type: 'string', enum: ['true'] },
            },
          },
          content: json(ref('SerialRequestResult')),
        },
        '400': bad,
        ...common,
        '404': problem('No serial pool for the GTIN, or no such pool.'),
        '409': problem(
          'Every pool is exhausted; or the request id was used with other parameters (`requestId`, `differences`: each field stored and asked). Nothing was reserved.',
        ),
      },
    },
  },
  '/serials/import': {
    post: {
      tags: [TAG],
      summary: 'Import serials into a list pool (role admin), unassigned',
      ...secured,
      requestBody: body({
        type: 'object',
        required: ['poolId', 'serials'],
        additionalProperties: false,
        properties: {
          poolId: { type: 'string' },
          serials: {
            type: 'array',
            minItems: 1,
            maxItems: 1000000,
            items: {
              oneOf: [
                { type: 'string' },
                {
                  type: 'object',
                  required: ['serial'],
                  properties: {
                    serial: { type: 'string' },
                    data: {
                      type: 'object',
                      additionalProperties: { type: 'string', maxLength: 90 },
                      description: 'Per-unit data, e.g. `{"91": …, "92": …}` (crypto codes).',
                    },
                  },
                },
              ],
            },
          },
        },
      }),
      responses: {
        '200': {
          description: 'Imported; serials the GTIN has already are listed, not changed.',
          content: json({
            type: 'object',
            properties: {
              poolId: { type: 'string' },
              added: { type: 'integer' },
              duplicates: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
        '400': problem('Invalid serial or data, or the pool is not a list pool.'),
        ...common,
        '404': problem('No such serial pool.'),
        '413': tooMany,
      },
    },
  },
  '/serials/commission': {
    post: {
      tags: [TAG],
      summary:
        'The line printed these serials (role capture): commissioning event captured, serials commissioned',
      description:
        'Builds an EPCIS 2.0 ObjectEvent (ADD, commissioning, active, ILMD lot and expiry) and captures it, then marks the serials commissioned. ' +
        'A retry with the same `eventTime` finds the event a duplicate.',
      ...secured,
      requestBody: body({
        type: 'object',
        required: ['gtin', 'serials'],
        additionalProperties: false,
        properties: {
          gtin: { type: 'string' },
          serials: serialList,
          lot: { type: 'string', maxLength: 20 },
          expiry: { type: 'string', format: 'date' },
          eventTime: { type: 'string', format: 'date-time' },
          eventTimeZoneOffset: { type: 'string', example: '+01:00' },
          readPoint: { type: 'string', description: 'SGLN URN or Digital Link.' },
          bizLocation: { type: 'string' },
          allowUnissued: {
            type: 'boolean',
            default: false,
            description: 'Commission serials rxtrace never issued (added pool-less).',
          },
        },
      }),
      responses: {
        '200': {
          description: 'Captured and commissioned.',
          content: json({
            type: 'object',
            properties: {
              gtin: { type: 'string' },
              commissioned: { type: 'integer' },
              added: { type: 'integer' },
              captureId: { type: 'string' },
              duplicateEvent: { type: 'boolean' },
            },
          }),
        },
        '400': problem('Bad input, or the commissioning event was refused by validation (`errors`).'),
        ...common,
        '409': wrongState,
        '413': tooMany,
      },
    },
  },
  '/serials/return': change('Return unused serials (never issued again)', 'reserved', 'returned'),
  '/serials/destroy': change('Destroy serials', 'unassigned, reserved or commissioned', 'destroyed'),
  '/serials/decommission': change('Decommission packs', 'commissioned', 'decommissioned'),
  '/serials/reconciliation': {
    get: {
      tags: [TAG],
      summary: 'Issued against used serials per lot (role capture)',
      ...secured,
      parameters: [
        gtinParam('The GTIN.', true),
        { in: 'query', name: 'lot', description: 'One lot only.', schema: { type: 'string' } },
      ],
      responses: {
        '200': {
          description: 'One row per lot (lot null: serials reserved without a lot and never commissioned).',
          content: json({ type: 'array', items: ref('SerialReconciliation') }),
        },
        '400': bad,
        ...common,
      },
    },
  },
  '/serials/{gtin}/{serial}': {
    get: {
      tags: [TAG],
      summary: 'One serial: state, pool, lot, expiry, reserved for, data (role capture)',
      ...secured,
      parameters: [
        {
          in: 'path',
          name: 'gtin',
          required: true,
          description: 'GTIN-8/12/13/14, or `sscc`.',
          schema: { type: 'string' },
        },
        { in: 'path', name: 'serial', required: true, schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: 'The serial.', content: json(ref('Serial')) },
        '400': bad,
        ...common,
        '404': problem('The serial was never issued for the GTIN.'),
      },
    },
  },
};

const STATES = ['unassigned', 'reserved', 'commissioned', 'returned', 'destroyed', 'decommissioned'];
const nullable = (type: string, extra: Obj = {}): Obj => ({ type, nullable: true, ...extra });

export const serialsSchemas: Record<string, Obj> = {
  SerialProblem: {
    allOf: [
      ref('Problem'),
      {
        type: 'object',
        properties: {
          refused: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                serial: { type: 'string' },
                state: nullable('string', { enum: [...STATES, null] }),
              },
            },
          },
          requestId: { type: 'string' },
          differences: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: {
                  type: 'string',
                  enum: ['gtin', 'poolId', 'count', 'lot', 'expiry', 'reservedFor'],
                },
                stored: { nullable: true },
                asked: { nullable: true },
              },
            },
          },
          guessProbability: { type: 'number' },
          spaceSize: { type: 'number' },
          plannedVolume: { type: 'integer' },
        },
      },
    ],
  },
  SerialPoolInput: {
    type: 'object',
    required: ['kind'],
    properties: {
      poolId: { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,100}$', description: 'Default: a UUID.' },
      kind: { type: 'string', enum: ['random', 'sequential', 'list', 'sscc'] },
      gtin: { type: 'string', description: 'All kinds but sscc.' },
      markets: {
        type: 'array',
        items: { type: 'string' },
        description: 'ISO 3166 codes (or EU); required for random and sequential pools.',
      },
      plannedVolume: { type: 'integer', description: 'Random pools: serials the GTIN will carry.' },
      charset: {
        type: 'string',
        description:
          '`numeric`, `alphanumeric` (default), `alphanumericMixed`, `unambiguous`, `cset82`, or the characters.',
      },
      length: { type: 'integer', description: 'Random: characters drawn; sequential: zero-padded width.' },
      prefix: { type: 'string' },
      start: { type: 'integer' },
      end: { type: 'integer' },
      companyPrefix: { type: 'string', description: 'SSCC pools: GS1 Company Prefix, 7–11 digits.' },
      extensionDigit: { type: 'integer', minimum: 0, maximum: 9 },
      rangeStart: { type: 'integer' },
      rangeEnd: { type: 'integer' },
      label: { type: 'string' },
    },
  },
  SerialPool: {
    type: 'object',
    properties: {
      poolId: { type: 'string' },
      key: { type: 'string', description: 'GTIN-14, or `sscc`.' },
      kind: { type: 'string', enum: ['random', 'sequential', 'list', 'sscc'] },
      createdAt: { type: 'string', format: 'date-time' },
      config: {
        type: 'object',
        description:
          'The validated configuration (with `guessProbability` and `spaceSize` for random pools).',
      },
      counts: {
        type: 'object',
        properties: Object.fromEntries(STATES.map((s) => [s, { type: 'integer' }])),
      },
    },
  },
  SerialRequestResult: {
    type: 'object',
    required: ['poolId', 'reservation', 'count', 'serials'],
    properties: {
      poolId: { type: 'string' },
      gtin: { type: 'string' },
      requestId: { type: 'string', description: 'The client’s request id, when given.' },
      reservation: { type: 'integer', description: 'The reservation’s number in the store.' },
      count: { type: 'integer' },
      lot: { type: 'string' },
      expiry: { type: 'string', format: 'date' },
      serials: { type: 'array', items: { type: 'string' } },
      data: {
        type: 'array',
        items: nullable('object', { additionalProperties: { type: 'string' } }),
        description: 'List pools: each serial’s imported data (same order).',
      },
      replayed: { type: 'boolean', enum: [true], description: 'The stored answer to the same request id.' },
    },
  },
  Serial: {
    type: 'object',
    properties: {
      key: { type: 'string' },
      serial: { type: 'string' },
      state: { type: 'string', enum: STATES },
      poolId: nullable('string'),
      lot: nullable('string'),
      expiry: nullable('string'),
      reservedFor: nullable('string'),
      reservedAt: nullable('string', { format: 'date-time' }),
      changedAt: nullable('string', { format: 'date-time' }),
      data: nullable('object', { additionalProperties: { type: 'string' } }),
    },
  },
  SerialReconciliation: {
    type: 'object',
    properties: {
      gtin: { type: 'string' },
      lot: nullable('string'),
      issued: { type: 'integer' },
      commissioned: { type: 'integer' },
      decommissioned: { type: 'integer' },
      destroyed: { type: 'integer' },
      returned: { type: 'integer' },
      unaccounted: { type: 'integer', description: 'Still reserved.' },
      available: { type: 'integer', description: 'Imported, not yet issued.' },
    },
  },
};
