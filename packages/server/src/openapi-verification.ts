/** OpenAPI entries of DSCSA verification, the lookup directory and saleable returns (plugins/verification.ts). */
type Obj = Record<string, unknown>;

const TAG = 'Verification';
const secured = { security: [{ apiKey: [] }] };
const json = (schema: Obj) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string): Obj => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const q = (name: string, description: string, schema: Obj = { type: 'string' }, required = false): Obj => ({
  in: 'query',
  name,
  description,
  ...(required ? { required } : {}),
  schema,
});
const p = (name: string, description: string, schema: Obj = { type: 'string' }): Obj => ({
  in: 'path',
  name,
  required: true,
  description,
  schema,
});
const bad = problem('The request is not valid; `detail` names the field and why.');

export const verificationTag: Obj = {
  name: TAG,
  description:
    'DSCSA product identifier verification (GS1 Lightweight Messaging Standard for Verification of Product Identifiers 1.0.2): the responder at the Digital Link path, the requester and its lookup directory, the exchange log, saleable returns.',
};

export const verificationPaths: Obj = {
  '/01/{gtin}/10/{lot}/21/{serial}': {
    get: {
      tags: [TAG],
      summary: 'Verify a product identifier (responder; role verify)',
      description:
        'Answers whether rxtrace commissioned this pack with this lot and expiry and whether its state allows further distribution. `reqGLN` must be an authorised trading partner (master data), else 403. With `checkConnectivity` (or `linkType=checkConnectivity`) only the credentials are checked. Every request and answer is logged.',
      ...secured,
      parameters: [
        p('gtin', 'GTIN-14 (AI 01).', { type: 'string', pattern: '^\\d{14}$' }),
        p('lot', 'Lot (AI 10).'),
        p('serial', 'Serial number (AI 21).'),
        q('exp', 'Expiry date YYMMDD (AI 17); DD 00 = the last day of the month.', {
          type: 'string',
          pattern: '^\\d{6}$',
        }),
        q('linkType', 'verificationService (also gs1:verificationService), or checkConnectivity.'),
        q(
          'context',
          'dscsaSaleableReturn, dscsaSuspect, dscsaSuspectInvestigation, dscsaIllegitimate, dscsaExceptionVerification, dscsaRecall.',
        ),
        q('reqGLN', 'GLN of the requester.', { type: 'string', pattern: '^\\d{13}$' }, true),
        q('corrUUID', 'Correlation UUID, echoed in the answer.', { type: 'string', format: 'uuid' }),
        q('checkConnectivity', 'Present: a connectivity check.'),
      ],
      responses: {
        '200': { description: 'The verification response.', content: json(ref('VerificationResponse')) },
        '400': bad,
        '401': { $ref: '#/components/responses/Unauthorized' },
        '403': problem('The key lacks the verify role, or reqGLN is not an authorised trading partner.'),
        '503': problem('The server has no GLN configured (RXTRACE_GLN).'),
      },
    },
  },
  '/verification/requests': {
    post: {
      tags: [TAG],
      summary: "Verify a pack with its manufacturer's responder (requester; role query)",
      ...secured,
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['gtin', 'serial', 'lot', 'exp'],
          properties: {
            gtin: { type: 'string' },
            serial: { type: 'string' },
            lot: { type: 'string' },
            exp: { type: 'string', description: 'YYMMDD' },
            context: { type: 'string', default: 'dscsaSaleableReturn' },
          },
        }),
      },
      responses: {
        '200': {
          description:
            "`ok: true` with the responder's `response`, or `ok: false` with `error` (no directory entry, timeout after the retries, non-conforming answer); `attempts`, `status`.",
          content: json({ type: 'object' }),
        },
        '400': bad,
        ...common,
      },
    },
  },
  '/verification/log': {
    get: {
      tags: [TAG],
      summary: 'The exchange log, newest first (role admin)',
      ...secured,
      parameters: [
        q('direction', 'in (answered) or out (sent).', { type: 'string', enum: ['in', 'out'] }),
        q('gtin', 'GTIN-14.'),
        q('serial', 'Serial.'),
        q('reqGLN', 'Requester GLN.'),
        q('corrUUID', 'Correlation UUID.'),
        q('from', 'At or after (ISO 8601).', { type: 'string', format: 'date-time' }),
        q('to', 'Before (ISO 8601).', { type: 'string', format: 'date-time' }),
        q('perPage', '1 to 1000 (default 100).', { type: 'integer' }),
        q('nextPageToken', 'From the previous page.'),
      ],
      responses: {
        '200': {
          description: 'Exchanges.',
          content: json({
            type: 'object',
            properties: {
              exchanges: { type: 'array', items: ref('VerificationExchange') },
              nextPageToken: { type: 'string' },
            },
          }),
        },
        '400': bad,
        ...common,
      },
    },
    delete: {
      tags: [TAG],
      summary: 'Purge exchanges logged before a time (role admin)',
      ...secured,
      parameters: [q('before', 'ISO 8601 date-time.', { type: 'string', format: 'date-time' }, true)],
      responses: {
        '200': {
          description: 'How many were deleted.',
          content: json({ type: 'object', properties: { deleted: { type: 'integer' } } }),
        },
        '400': bad,
        ...common,
      },
    },
  },
  '/verification/directory': {
    get: {
      tags: [TAG],
      summary: 'The lookup directory (role admin)',
      ...secured,
      responses: {
        '200': {
          description: 'Entries by key.',
          content: json({
            type: 'object',
            properties: { entries: { type: 'array', items: ref('DirectoryEntry') } },
          }),
        },
        ...common,
      },
    },
  },
  '/verification/directory/{key}': {
    get: {
      tags: [TAG],
      summary: 'One directory entry (role admin)',
      ...secured,
      parameters: [p('key', 'GTIN-14 or GS1 Company Prefix (4 to 12 digits).')],
      responses: {
        '200': { description: 'The entry.', content: json(ref('DirectoryEntry')) },
        '400': bad,
        ...common,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
    put: {
      tags: [TAG],
      summary: 'Create or replace a directory entry (role admin)',
      ...secured,
      parameters: [p('key', 'GTIN-14 or GS1 Company Prefix (4 to 12 digits).')],
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['responderUrl'],
          properties: {
            responderUrl: { type: 'string', format: 'uri' },
            responderGLN: { type: 'string' },
            token: { type: 'string', description: 'Bearer token sent to the responder; never returned.' },
          },
        }),
      },
      responses: {
        '200': { description: 'Replaced.', content: json(ref('DirectoryEntry')) },
        '201': { description: 'Created.', content: json(ref('DirectoryEntry')) },
        '400': bad,
        ...common,
      },
    },
    delete: {
      tags: [TAG],
      summary: 'Delete a directory entry (role admin)',
      ...secured,
      parameters: [p('key', 'GTIN-14 or GS1 Company Prefix.')],
      responses: {
        '204': { description: 'Deleted.' },
        '400': bad,
        ...common,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  },
  '/returns': {
    post: {
      tags: [TAG],
      summary: 'Receive a saleable return: verify each pack, back to stock or quarantine (role capture)',
      description:
        'Each pack is verified locally (GTIN of one of our company prefixes) or with its manufacturer through the directory. Passing packs: one receiving event (OBSERVE, receiving, sellable_accessible). Failing packs: a quarantine event each (OBSERVE, holding, non_sellable_other, rx:reason) and an exception.',
      ...secured,
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['packs'],
          properties: {
            user: { type: 'string', description: 'Who received it (default: the API key label).' },
            fromGLN: { type: 'string' },
            location: { type: 'string', description: 'https://id.gs1.org/414/<GLN>' },
            packs: {
              type: 'array',
              items: {
                type: 'object',
                description: 'The four data elements, or `code`: the pack as scanned (any GS1 form).',
                properties: {
                  gtin: { type: 'string' },
                  serial: { type: 'string' },
                  lot: { type: 'string' },
                  exp: { type: 'string', description: 'YYMMDD or YYYY-MM-DD' },
                  code: { type: 'string', description: 'Scan data, element string or Digital Link.' },
                },
              },
            },
          },
        }),
      },
      responses: {
        '201': { description: "The return and each pack's outcome.", content: json(ref('SaleableReturn')) },
        '400': bad,
        ...common,
        '413': bad,
      },
    },
    get: {
      tags: [TAG],
      summary: 'Returns, newest first (role query)',
      ...secured,
      parameters: [
        q('perPage', '1 to 1000.', { type: 'integer' }),
        q('nextPageToken', 'From the previous page.'),
      ],
      responses: {
        '200': {
          description: 'Returns.',
          content: json({
            type: 'object',
            properties: {
              returns: { type: 'array', items: ref('SaleableReturn') },
              nextPageToken: { type: 'string' },
            },
          }),
        },
        '400': bad,
        ...common,
      },
    },
  },
  '/returns/exceptions': {
    get: {
      tags: [TAG],
      summary: 'Exceptions raised by returns (role query)',
      ...secured,
      parameters: [q('status', 'open or resolved.', { type: 'string', enum: ['open', 'resolved'] })],
      responses: {
        '200': { description: 'Exceptions, newest first.', content: json({ type: 'object' }) },
        '400': bad,
        ...common,
      },
    },
  },
  '/returns/{returnId}': {
    get: {
      tags: [TAG],
      summary: 'One return (role query)',
      ...secured,
      parameters: [p('returnId', 'The return id.')],
      responses: {
        '200': { description: 'The return.', content: json(ref('SaleableReturn')) },
        ...common,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  },
  '/returns/{returnId}/exceptions/resolve': {
    post: {
      tags: [TAG],
      summary: 'Resolve the open exception of a pack (role capture)',
      ...secured,
      parameters: [p('returnId', 'The return id.')],
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['packId', 'resolution'],
          properties: { packId: { type: 'string' }, resolution: { type: 'string' } },
        }),
      },
      responses: {
        '200': { description: 'Resolved.' },
        '400': bad,
        ...common,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  },
};

export const verificationSchemas: Obj = {
  VerificationResponse: {
    type: 'object',
    required: ['verificationTimestamp', 'responderGLN', 'data'],
    properties: {
      verificationTimestamp: { type: 'string', format: 'date-time' },
      responderGLN: { type: 'string' },
      corrUUID: { type: 'string' },
      data: {
        type: 'object',
        required: ['verified'],
        properties: {
          verified: { type: 'boolean' },
          verificationFailureReason: {
            type: 'string',
            enum: [
              'No_match_GTIN_Serial',
              'No_match_GTIN_Serial_Lot',
              'No_match_GTIN_Serial_Expiry',
              'No_match_GTIN_Serial_Lot_Expiry',
              'No_reason_provided',
            ],
          },
          additionalInfo: { type: 'string', enum: ['Recalled', 'Expired', 'Suspect', 'Illegitimate'] },
        },
      },
    },
  },
  VerificationExchange: {
    type: 'object',
    description:
      'One logged exchange: request fields, the status and answer, duration, attempts (requester).',
  },
  DirectoryEntry: {
    type: 'object',
    properties: {
      key: { type: 'string' },
      responderUrl: { type: 'string' },
      responderGLN: { type: 'string' },
      hasToken: { type: 'boolean' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  SaleableReturn: {
    type: 'object',
    properties: {
      returnId: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      user: { type: 'string' },
      fromGLN: { type: 'string' },
      location: { type: 'string' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            packId: { type: 'string' },
            gtin: { type: 'string' },
            serial: { type: 'string' },
            lot: { type: 'string' },
            expiry: { type: 'string' },
            verifiedBy: { type: 'string', description: '`local` or the responder URL asked.' },
            verified: { type: 'boolean' },
            verificationFailureReason: { type: 'string' },
            additionalInfo: { type: 'string' },
            outcome: { type: 'string', enum: ['sellable', 'quarantined'] },
            eventId: { type: 'string' },
            exception: {
              type: 'object',
              properties: {
                reason: { type: 'string' },
                status: { type: 'string', enum: ['open', 'resolved'] },
                resolvedAt: { type: 'string' },
                resolvedBy: { type: 'string' },
                resolution: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
};
