/** EU FMD and recalls in the OpenAPI document (plugins/fmd.ts). */
type Obj = Record<string, unknown>;

const FMD = 'EU FMD';
const RECALLS = 'Recalls';
export const fmdTags: Obj[] = [
  {
    name: FMD,
    description:
      'EU FMD: verify, decommission (supplied, destroyed, stolen, sample, free_sample, exported, locked, checked_out), undo within 10 days by the same user at the same premises, and the pharmacy flow (scan → verify → supply) in one call. Answers carry alert codes (GET /fmd/alerts).',
  },
  {
    name: RECALLS,
    description:
      'Recall or withdrawal of a lot or a whole product: affected packs with their state and holder, holders notified (recorded for an operator to send).',
  },
];

const secured = { security: [{ apiKey: [] }] };
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const common = {
  '400': problem('Invalid input (alert FMD-E1 / FMD-E2 for packs).'),
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const json = (schema: Obj) => ({ 'application/json': { schema } });
const obj = (properties: Obj, required: string[] = []) => ({ type: 'object', properties, required });
const str = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) });

const alert = obj({
  code: str('FMD-A1 … (see GET /fmd/alerts)'),
  name: str(),
  alert: { type: 'boolean', description: 'A potential falsification (escalated by national systems).' },
  message: str(),
  detail: str(),
});
const packFields = {
  gtin: str('GTIN (8, 12, 13 or 14 digits)'),
  serial: str(),
  lot: str(),
  expiry: str('YYYY-MM-DD or YYMMDD'),
  code: str(
    'Instead of the four fields: scan data (with symbology identifier), element string or Digital Link.',
  ),
  user: str('Who acts (default: the API key).'),
  premises: str('Where: a GLN or location id.'),
};
const verification = obj({
  ok: { type: 'boolean' },
  id: str('Canonical Digital Link of the pack.'),
  gtin: str(),
  serial: str(),
  lot: str(),
  expiry: str(),
  state: { type: 'string', enum: ['active', 'inactive', 'blocked', 'unknown'] },
  status: str('Pack state status.'),
  decommission: obj({ reason: str(), user: str(), premises: str(), at: str(), eventId: str() }),
  recall: { type: 'object' },
  alerts: { type: 'array', items: alert },
  verifiedAt: str(),
});
const refused = problem('Refused: `alerts` say why (e.g. FMD-A5 already inactive, FMD-U2 undo too late).');
const decommissioned = obj({
  decommissioned: { type: 'boolean' },
  reason: str(),
  id: str(),
  eventId: str('The EPCIS event captured.'),
  at: str(),
  status: str(),
  verification,
});
const op = (
  tag: string,
  summary: string,
  role: string,
  body: Obj | undefined,
  ok: Obj,
  extra: Obj = {},
): Obj => ({
  tags: [tag],
  summary: `${summary} (role ${role})`,
  ...secured,
  ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
  responses: { '200': { description: 'Done.', content: json(ok) }, ...common, ...extra },
});
const idParam = { in: 'path', name: 'id', required: true, schema: { type: 'string' } };
const report = obj({
  recall: { type: 'object' },
  active: { type: 'boolean' },
  at: str(),
  affected: obj({ total: { type: 'integer' }, inChain: { type: 'integer' }, byStatus: { type: 'object' } }),
  holders: { type: 'array', items: { type: 'object' } },
  notifications: { type: 'array', items: { type: 'object' } },
});

export const fmdPaths: Obj = {
  '/fmd/verify': {
    post: op(
      FMD,
      'Verify a pack: status and alerts (a pack with alerts is a 200 answer too)',
      'query',
      obj(packFields),
      verification,
    ),
  },
  '/fmd/decommission': {
    post: op(
      FMD,
      'Decommission a pack with a reason (an EPCIS event by the user at the premises)',
      'capture',
      obj(
        {
          ...packFields,
          reason: {
            type: 'string',
            enum: [
              'supplied',
              'destroyed',
              'stolen',
              'sample',
              'free_sample',
              'exported',
              'locked',
              'checked_out',
            ],
          },
        },
        ['reason', 'premises'],
      ),
      decommissioned,
      { '409': refused },
    ),
  },
  '/fmd/undo': {
    post: op(
      FMD,
      'Undo the last decommission (same user, same premises, within 10 days; never expired, recalled, withdrawn, stolen, destroyed)',
      'capture',
      obj(packFields, ['premises']),
      obj({
        reactivated: { type: 'boolean' },
        id: str(),
        correctedEventId: str(),
        reason: str(),
        at: str(),
        status: str(),
      }),
      { '409': refused },
    ),
  },
  '/fmd/dispense': {
    post: op(
      FMD,
      'The pharmacy flow: read the scan, verify, supply (decommission as supplied)',
      'capture',
      obj({ code: packFields.code, user: packFields.user, premises: packFields.premises }, [
        'code',
        'premises',
      ]),
      { ...decommissioned, properties: { ...(decommissioned.properties as Obj), inputForm: str() } },
      { '409': refused },
    ),
  },
  '/fmd/bulk': {
    post: op(
      FMD,
      'Many packs in one call: verify, decommission, undo or dispense each item, one answer per item',
      'capture',
      obj(
        {
          operation: { type: 'string', enum: ['verify', 'decommission', 'undo', 'dispense'] },
          reason: str('For decommission.'),
          user: packFields.user,
          premises: packFields.premises,
          items: { type: 'array', minItems: 1, maxItems: 1000, items: obj(packFields) },
        },
        ['operation', 'items'],
      ),
      obj({
        operation: str(),
        count: { type: 'integer' },
        ok: { type: 'integer' },
        results: {
          type: 'array',
          items: obj({
            index: { type: 'integer' },
            ok: { type: 'boolean' },
            result: { type: 'object' },
            error: { type: 'object' },
          }),
        },
      }),
    ),
  },
  '/fmd/alerts': {
    get: op(
      FMD,
      'The alert code table',
      'query',
      undefined,
      obj({ alerts: { type: 'array', items: alert } }),
    ),
  },
  '/recalls': {
    post: {
      ...op(
        RECALLS,
        'Recall or withdraw a lot (or the whole product without lot): the report, holders notified',
        'admin',
        obj(
          {
            kind: { type: 'string', enum: ['recall', 'withdrawal'], default: 'recall' },
            gtin: str(),
            lot: str('Absent: every lot of the product.'),
            reason: str(),
            classification: str(),
            effectiveFrom: str('ISO date-time; default now.'),
            issuedBy: str(),
          },
          ['gtin', 'reason'],
        ),
        report,
      ),
      responses: {
        '201': { description: 'Issued.', content: json(report) },
        ...common,
      },
    },
    get: {
      ...op(
        RECALLS,
        'Recalls, newest first',
        'query',
        undefined,
        obj({ recalls: { type: 'array', items: { type: 'object' } }, nextPageToken: str() }),
      ),
      parameters: ['gtin', 'lot', 'kind', 'nextPageToken']
        .map((name) => ({ in: 'query', name, schema: { type: 'string' } }))
        .concat([
          { in: 'query', name: 'active', schema: { type: 'boolean' } } as never,
          { in: 'query', name: 'perPage', schema: { type: 'integer', minimum: 1, maximum: 1000 } } as never,
        ]),
    },
  },
  '/recalls/{id}': {
    get: {
      ...op(
        RECALLS,
        'The report: affected packs per holder with state, notifications',
        'query',
        undefined,
        report,
        {
          '404': problem('No such recall.'),
        },
      ),
      parameters: [idParam],
    },
  },
  '/recalls/{id}/close': {
    post: {
      ...op(
        RECALLS,
        'Close a recall (no longer in force from now)',
        'admin',
        obj({ reason: str() }),
        { type: 'object' },
        {
          '404': problem('No such recall.'),
        },
      ),
      parameters: [idParam],
    },
  },
  '/recalls/{id}/notifications/sent': {
    post: {
      ...op(
        RECALLS,
        'Record that the notice to a holder was sent',
        'admin',
        obj({ holder: str() }, ['holder']),
        { type: 'object' },
        {
          '404': problem('No such recall or notification.'),
        },
      ),
      parameters: [idParam],
    },
  },
};
