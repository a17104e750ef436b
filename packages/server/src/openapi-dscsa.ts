/** OpenAPI entries of the DSCSA records endpoints (plugins/dscsa.ts): TI/TS, exceptions, suspect product cases. */
type Obj = Record<string, unknown>;

const TI = 'DSCSA transactions';
const EXC = 'DSCSA exceptions';
const CASES = 'DSCSA suspect product';
const secured = { security: [{ apiKey: [] }] };
const json = (schema: Obj = { type: 'object' }) => ({ 'application/json': { schema } });
const problem = (description: string): Obj => ({
  description,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    'application/problem+xml': { schema: { $ref: '#/components/schemas/Problem' } },
  },
});
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const path = (name: string, description: string): Obj => ({
  in: 'path',
  name,
  required: true,
  description,
  schema: { type: 'string' },
});
const q = (name: string, description: string, schema: Obj = { type: 'string' }): Obj => ({
  in: 'query',
  name,
  description,
  schema,
});
const page = [
  q('perPage', 'Items per page (1-1000, default 100).', { type: 'integer', minimum: 1, maximum: 1000 }),
  q('nextPageToken', 'From the `next` member / Link header of the previous page.'),
];
const caseId = path('id', 'The case id (`urn:uuid:…`), URL-encoded.');
const body = (schema: Obj) => ({ required: true, content: json(schema) });
const who = {
  by: { type: 'string', description: 'Who takes the step (user name).' },
  note: { type: 'string' },
};
const caseAnswer = {
  '200': { description: 'The case with its steps and clocks.', content: json() },
  '400': problem('Invalid request; `detail` says which field.'),
  ...common,
  '404': problem('No such case.'),
  '409': problem('The step is not allowed in the case status (or the case changed meanwhile).'),
};
const step = (summary: string, props: Obj, required: string[] = ['by']): Obj => ({
  post: {
    tags: [CASES],
    summary: `${summary} (role capture)`,
    ...secured,
    parameters: [caseId],
    requestBody: body({ type: 'object', required, properties: { ...who, ...props } }),
    responses: caseAnswer,
  },
});

export const dscsaTags: Obj[] = [
  {
    name: TI,
    description:
      'DSCSA transaction information and statement of a shipment (JSON, EPCIS 1.2 XML per the GS1 US guideline, PDF) and transaction history of a pack. See docs/dscsa-records.md.',
  },
  {
    name: EXC,
    description:
      'Exceptions between trading partners in the industry exception categories, raised automatically when a receipt does not match its shipment, and their resolutions.',
  },
  {
    name: CASES,
    description:
      'Suspect and illegitimate product cases: quarantine → investigation → cleared | illegitimate, who and when, 24-hour clocks, FDA 3911 data, partner notices.',
  },
];

export const dscsaPaths: Record<string, Obj> = {
  '/shipments/{id}/ti': {
    get: {
      tags: [TI],
      summary: 'Transaction information and statement of a shipment (role query)',
      description:
        'The shipping event by eventID, or by a bizTransaction id it carries (PO, despatch advice …). Format by `format` or Accept: JSON, EPCIS 1.2 XML (SBDH, master data, commissioning/aggregation/shipping events), PDF.',
      ...secured,
      parameters: [
        path('id', 'eventID or bizTransaction id, URL-encoded.'),
        q('format', 'json (default), xml or pdf.', { type: 'string', enum: ['json', 'xml', 'pdf'] }),
      ],
      responses: {
        '200': {
          description: 'The TI/TS.',
          content: {
            ...json(),
            'application/xml': { schema: { type: 'string' } },
            'application/pdf': { schema: { type: 'string', format: 'binary' } },
          },
        },
        '400': problem('Unknown format.'),
        ...common,
        '404': problem('No shipping event has that eventID or business transaction.'),
        '409': problem(
          'The business transaction names several shipping events: ask by eventID (`shipments` lists them).',
        ),
      },
    },
  },
  '/packs/{id}/transaction-history': {
    get: {
      tags: [TI],
      summary: 'Transaction history of a pack: every shipment that carried it, oldest first (role query)',
      ...secured,
      parameters: [path('id', 'The pack: EPC URN, Digital Link or element string, URL-encoded.')],
      responses: {
        '200': { description: 'The history.', content: json() },
        '400': problem('The id cannot be read.'),
        ...common,
        '404': problem('No event names the pack.'),
      },
    },
  },
  '/exceptions': {
    get: {
      tags: [EXC],
      summary: 'Exceptions, newest first (role query)',
      ...secured,
      parameters: [
        q('status', 'open or resolved.'),
        q(
          'category',
          'missing_data, missing_product, overages, underages, invalid_gtin, invalid_gln, data_mismatch, wrong_party.',
        ),
        q('shipment', 'Shipping eventID.'),
        q('receipt', 'Receiving eventID.'),
        q('partner', 'Partner GLN the exception is raised against.'),
        ...page,
      ],
      responses: {
        '200': { description: '`items` and `next`.', content: json() },
        '400': problem('Invalid filter.'),
        ...common,
      },
    },
    post: {
      tags: [EXC],
      summary: 'Raise an exception by hand (role capture)',
      ...secured,
      requestBody: body({
        type: 'object',
        required: ['category', 'detail', 'by'],
        properties: {
          category: { type: 'string' },
          detail: { type: 'string' },
          by: { type: 'string' },
          reference: { type: 'string' },
          partnerGln: { type: 'string', pattern: '^\\d{13}$' },
          gtin: { type: 'string' },
          lot: { type: 'string' },
          items: { type: 'array', items: { type: 'string' } },
        },
      }),
      responses: {
        '201': { description: 'The exception.', content: json() },
        '400': problem('Invalid exception.'),
        ...common,
      },
    },
  },
  '/exceptions/check': {
    post: {
      tags: [EXC],
      summary: 'Run the receipt check now (role admin); it also runs after every capture',
      ...secured,
      responses: {
        '200': { description: 'Receipts checked, exceptions raised, cursor.', content: json() },
        ...common,
      },
    },
  },
  '/exceptions/{id}': {
    get: {
      tags: [EXC],
      summary: 'One exception (role query)',
      ...secured,
      parameters: [path('id', 'Exception id (urn:uuid:…), URL-encoded.')],
      responses: {
        '200': { description: 'The exception.', content: json() },
        ...common,
        '404': problem('No such exception.'),
      },
    },
  },
  '/exceptions/{id}/resolution': {
    post: {
      tags: [EXC],
      summary: 'Resolve an open exception (role capture)',
      ...secured,
      parameters: [path('id', 'Exception id, URL-encoded.')],
      requestBody: body({
        type: 'object',
        required: ['code', 'by'],
        properties: {
          code: {
            type: 'string',
            enum: [
              'send_new_data',
              'send_product',
              'return_product',
              'send_back_product',
              'credit',
              'debit',
              'no_action',
            ],
          },
          text: { type: 'string', description: "Required for 'no_action'." },
          by: { type: 'string' },
        },
      }),
      responses: {
        '200': { description: 'The resolved exception.', content: json() },
        '400': problem('Unknown code, no user, or no text for no_action.'),
        ...common,
        '404': problem('No such exception.'),
        '409': problem('Already resolved.'),
      },
    },
  },
  '/cases': {
    post: {
      tags: [CASES],
      summary: 'Open a suspect product case: the packs are quarantined by an EPCIS event (role capture)',
      ...secured,
      requestBody: body({
        type: 'object',
        required: ['packs', 'reason', 'by'],
        properties: {
          packs: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10000 },
          reason: {
            type: 'string',
            enum: [
              'counterfeit',
              'diverted',
              'stolen',
              'intentionally_adulterated',
              'unfit_for_distribution',
              'fraudulent_transaction',
              'verification_failure',
              'other',
            ],
          },
          description: { type: 'string' },
          by: { type: 'string' },
          source: {
            type: 'string',
            enum: ['internal', 'trading_partner', 'fda', 'manufacturer', 'verification', 'exception'],
          },
          reportedBy: { type: 'string', pattern: '^\\d{13}$' },
          highRisk: { type: 'boolean' },
          location: { type: 'string' },
        },
      }),
      responses: {
        '201': { description: 'The case (status quarantined).', content: json() },
        '400': problem('Invalid case (unknown pack, reason …).'),
        ...common,
      },
    },
    get: {
      tags: [CASES],
      summary: 'Cases, newest first, with their clocks (role query)',
      ...secured,
      parameters: [q('status', 'quarantined, investigating, cleared, illegitimate, closed.'), ...page],
      responses: {
        '200': { description: '`items` and `next`.', content: json() },
        '400': problem('Invalid filter.'),
        ...common,
      },
    },
  },
  '/cases/overdue': {
    get: {
      tags: [CASES],
      summary: 'Open cases with a clock past due, and the alert counters (role query)',
      ...secured,
      responses: { '200': { description: '`items`, `alerts`.', content: json() }, ...common },
    },
  },
  '/cases/{id}': {
    get: {
      tags: [CASES],
      summary: 'A case with its steps and clocks (role query)',
      ...secured,
      parameters: [caseId],
      responses: {
        '200': { description: 'The case.', content: json() },
        ...common,
        '404': problem('No such case.'),
      },
    },
  },
  '/cases/{id}/investigation': step('Start the investigation (from quarantined)', {}),
  '/cases/{id}/clearance': step(
    'Clear the product (from investigating): the packs are released by an EPCIS event',
    {
      verification: { type: 'object', description: 'The verification result that cleared it.' },
    },
  ),
  '/cases/{id}/illegitimate': step(
    'Determine the product illegitimate (from investigating): the 24-hour FDA and partner clocks start',
    {
      reason: {
        type: 'string',
        enum: [
          'counterfeit',
          'diverted',
          'stolen',
          'intentionally_adulterated',
          'unfit_for_distribution',
          'fraudulent_transaction',
        ],
      },
    },
    ['by', 'reason'],
  ),
  '/cases/{id}/fda-notification': step('Record the FDA notification (Form 3911 submitted)', {
    incidentNumber: { type: 'string' },
  }),
  '/cases/{id}/partner-notification': step(
    'Record the notification of the trading partners',
    { partners: { type: 'array', items: { type: 'string', pattern: '^\\d{13}$' }, minItems: 1 } },
    ['by', 'partners'],
  ),
  '/cases/{id}/closure': step(
    'Close a cleared case, or an illegitimate one after both notifications and FDA consultation',
    {
      disposition: {
        type: 'string',
        enum: [
          'released',
          'destroyed',
          'returned_to_manufacturer',
          'retained_as_sample',
          'transferred_to_fda',
        ],
      },
      fdaConsulted: { type: 'boolean' },
    },
  ),
  '/cases/{id}/fda-3911': {
    get: {
      tags: [CASES],
      summary: 'The data of an FDA Form 3911 notification, filled from the case (role query); JSON or PDF',
      ...secured,
      parameters: [
        caseId,
        q('format', 'json or pdf.'),
        q('contactName', 'Contact person.'),
        q('phone', 'Contact phone.'),
        q('email', 'Contact e-mail.'),
      ],
      responses: {
        '200': {
          description: 'The form data.',
          content: { ...json(), 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
        },
        ...common,
        '404': problem('No such case.'),
        '409': problem('Neither illegitimate nor high risk.'),
      },
    },
  },
  '/cases/{id}/notices': {
    get: {
      tags: [CASES],
      summary: 'The notices to the trading partners of the packs (role query); JSON or PDF',
      ...secured,
      parameters: [caseId, q('format', 'json or pdf.')],
      responses: {
        '200': {
          description: '`items`: one notice per partner.',
          content: { ...json(), 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
        },
        ...common,
        '404': problem('No such case.'),
        '409': problem('Not determined yet.'),
      },
    },
  },
};
