/** The master data registry's part of the OpenAPI document (plugins/registry.ts). */
type Obj = Record<string, unknown>;

const TAG = 'Master data';
const secured = { security: [{ apiKey: [] }] };
const errors = {
  '400': { $ref: '#/components/responses/RegistryInvalid' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const json = (schema: Obj) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const page = {
  perPage: {
    in: 'query',
    name: 'perPage',
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  token: { in: 'query', name: 'nextPageToken', schema: { type: 'string' } },
};
const q = (name: string, description: string, schema: Obj = { type: 'string' }) => ({
  in: 'query',
  name,
  description,
  schema,
});
const csvImport = (what: string, columns: string): Obj => ({
  post: {
    tags: [TAG],
    summary: `Import ${what} from a CSV file (role admin)`,
    description:
      `RFC 4180 CSV, a header row naming the fields (${columns}). Every row is checked; by default one faulty row rejects the file and nothing is stored ` +
      '(400 with every error and its line). With `partial=true` the valid rows are stored and the errors returned. Stored rows are created or replaced in one transaction.',
    ...secured,
    parameters: [q('partial', 'Store the valid rows of a faulty file.', { type: 'boolean', default: false })],
    requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
    responses: {
      '200': { description: 'What was stored.', content: json(ref('RegistryImport')) },
      ...errors,
      '409': { $ref: '#/components/responses/RegistryConflict' },
    },
  },
});

function collection(what: string, schema: string, member: string, filters: Obj[]): Obj {
  return {
    get: {
      tags: [TAG],
      summary: `List ${what} (role query), in key order, page by page`,
      ...secured,
      parameters: [...filters, page.perPage, page.token],
      responses: {
        '200': {
          description: `A page of ${what}; a \`Link: <…>; rel="next"\` header and \`nextPageToken\` when there are more.`,
          content: json({
            type: 'object',
            properties: {
              [member]: { type: 'array', items: ref(schema) },
              nextPageToken: { type: 'string' },
            },
          }),
        },
        ...errors,
      },
    },
    post: {
      tags: [TAG],
      summary: `Register a new one of the ${what} (role admin)`,
      ...secured,
      requestBody: { required: true, content: json(ref(schema)) },
      responses: {
        '201': { description: 'Registered; `Location` names it.', content: json(ref(schema)) },
        ...errors,
        '409': { $ref: '#/components/responses/RegistryConflict' },
      },
    },
  };
}

function item(what: string, schema: string, param: Obj): Obj {
  return {
    parameters: [param],
    get: {
      tags: [TAG],
      summary: `One of the ${what} (role query)`,
      ...secured,
      responses: {
        '200': { description: 'The record.', content: json(ref(schema)) },
        ...errors,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
    put: {
      tags: [TAG],
      summary: `Create or replace (role admin); the key comes from the URL`,
      ...secured,
      requestBody: { required: true, content: json(ref(schema)) },
      responses: {
        '200': { description: 'Replaced.', content: json(ref(schema)) },
        '201': { description: 'Created.', content: json(ref(schema)) },
        ...errors,
        '409': { $ref: '#/components/responses/RegistryConflict' },
      },
    },
    delete: {
      tags: [TAG],
      summary: 'Delete (role admin)',
      ...secured,
      responses: {
        '204': { description: 'Deleted.' },
        ...errors,
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  };
}

const path = (name: string, description: string) => ({
  in: 'path',
  name,
  required: true,
  description,
  schema: { type: 'string' },
});

export const REGISTRY_TAG = {
  name: TAG,
  description: 'Products, locations and trading partners: the registry of master data.',
};

export function registryPaths(): Obj {
  const gln = path('gln', '13-digit GLN (or its Digital Link / EPC URN, URL-encoded).');
  return {
    '/products': collection('products', 'Product', 'products', [
      q('market', 'ISO 3166-1 alpha-2 country code.'),
      q('ndc', 'NDC in any written form (10 digits with hyphens, or 11).'),
      q('name', 'Case-insensitive part of the name.'),
    ]),
    '/products/import': csvImport(
      'products',
      'gtin, name, ndc, strength, dosageForm, packSize, markets, gcpLength, bundleGtin, bundleQty, caseGtin, caseQty, palletGtin, palletQty',
    ),
    '/products/{gtin}': item(
      'products',
      'Product',
      path('gtin', 'GTIN-8/12/13/14 or its Digital Link (URL-encoded).'),
    ),
    '/locations': collection('locations', 'Location', 'locations', [
      q('type', 'Location type.'),
      q('country', 'ISO 3166-1 alpha-2.'),
      q('gln', 'A GLN: the location and its SGLNs.'),
      q('ownerGln', 'GLN of the owning party.'),
      q('name', 'Case-insensitive part of the name.'),
    ]),
    '/locations/import': csvImport(
      'locations',
      'gln, extension, name, type, street, city, postalCode, country, lat, lon, ownerGln',
    ),
    '/locations/{id}': item(
      'locations',
      'Location',
      path('id', 'A GLN, or an SGLN as Digital Link (…/414/<GLN>/254/<ext>) or EPC URN, URL-encoded.'),
    ),
    '/locations/{id}/254/{ext}': item('locations', 'Location', path('id', 'The GLN.')),
    '/partners': collection('trading partners', 'Partner', 'partners', [
      q('status', 'authorised, suspended or revoked.'),
      q('role', 'A role.'),
      q('country', 'ISO 3166-1 alpha-2.'),
      q('licenceExpiringBy', 'Licences that expire on or before this day (YYYY-MM-DD).', {
        type: 'string',
        format: 'date',
      }),
      q('name', 'Case-insensitive part of the name.'),
    ]),
    '/partners/import': csvImport(
      'trading partners',
      'gln, name, roles, status, licenceNumber, licenceAuthority, licenceValidFrom, licenceExpiry, country',
    ),
    '/partners/{gln}': item('trading partners', 'Partner', gln),
    '/partners/{gln}/authorised': {
      parameters: [gln],
      get: {
        tags: [TAG],
        summary: 'The DSCSA authorised-trading-partner check (role query)',
        description:
          'Authorised when the partner is registered, its status is `authorised` and its licence is valid at `at` (valid through its expiry day, UTC).',
        ...secured,
        parameters: [q('at', 'When (ISO 8601); default now.', { type: 'string', format: 'date-time' })],
        responses: {
          '200': {
            description: 'The answer.',
            content: json({
              type: 'object',
              properties: {
                gln: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
                authorised: { type: 'boolean' },
                registered: { type: 'boolean' },
                status: { type: 'string' },
                licence: ref('Licence'),
              },
            }),
          },
          ...errors,
        },
      },
    },
  };
}

const stamps = {
  id: { type: 'string', readOnly: true, description: 'Canonical GS1 Digital Link.' },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
};
const country = { type: 'string', pattern: '^[A-Z]{2}$', example: 'US' };

export function registrySchemas(): Obj {
  return {
    Product: {
      type: 'object',
      required: ['gtin', 'name', 'markets'],
      properties: {
        ...stamps,
        gtin: {
          type: 'string',
          example: '00305910933012',
          description: 'GTIN-8/12/13/14, stored as GTIN-14.',
        },
        ndc: {
          type: 'string',
          example: '0591-0933-01',
          description: 'As labelled; required when markets include US.',
        },
        ndc11: { type: 'string', readOnly: true, example: '00591093301' },
        name: { type: 'string' },
        strength: { type: 'string', example: '500 mg' },
        dosageForm: { type: 'string', example: 'tablet' },
        packSize: { type: 'integer', minimum: 1 },
        markets: { type: 'array', items: country },
        gcpLength: {
          type: 'integer',
          minimum: 4,
          maximum: 12,
          description: 'Derived from the NDC for NDC-based GTINs when absent.',
        },
        packaging: {
          type: 'array',
          items: {
            type: 'object',
            required: ['level', 'gtin', 'quantity'],
            properties: {
              level: { type: 'string', enum: ['bundle', 'case', 'pallet'] },
              gtin: { type: 'string' },
              quantity: { type: 'integer', minimum: 1, description: 'Items of the level below.' },
            },
          },
        },
      },
    },
    Location: {
      type: 'object',
      required: ['gln', 'name', 'type'],
      properties: {
        ...stamps,
        gln: { type: 'string', example: '9520123456788' },
        extension: { type: 'string', description: 'SGLN extension (AI 254); absent or 0 = the GLN itself.' },
        name: { type: 'string' },
        type: {
          type: 'string',
          enum: [
            'site',
            'plant',
            'line',
            'warehouse',
            'distribution-centre',
            'dock',
            'pharmacy',
            'hospital',
            'clinic',
            'office',
            'other',
          ],
        },
        address: {
          type: 'object',
          required: ['country'],
          properties: {
            street: { type: 'string' },
            city: { type: 'string' },
            postalCode: { type: 'string' },
            country,
          },
        },
        geo: {
          type: 'object',
          required: ['lat', 'lon'],
          properties: {
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lon: { type: 'number', minimum: -180, maximum: 180 },
          },
        },
        ownerGln: { type: 'string' },
      },
    },
    Licence: {
      type: 'object',
      required: ['number', 'authority'],
      properties: {
        number: { type: 'string' },
        authority: { type: 'string' },
        validFrom: { type: 'string', format: 'date' },
        expiry: { type: 'string', format: 'date' },
      },
    },
    Partner: {
      type: 'object',
      required: ['gln', 'name', 'roles', 'status'],
      properties: {
        ...stamps,
        gln: { type: 'string' },
        name: { type: 'string' },
        roles: {
          type: 'array',
          items: {
            type: 'string',
            enum: [
              'manufacturer',
              'repackager',
              'wholesaler',
              'dispenser',
              '3pl',
              'mah',
              'parallel-importer',
            ],
          },
        },
        status: { type: 'string', enum: ['authorised', 'suspended', 'revoked'] },
        licence: ref('Licence'),
        country,
      },
    },
    RegistryImport: {
      type: 'object',
      properties: {
        rows: { type: 'integer' },
        stored: { type: 'integer' },
        created: { type: 'integer' },
        replaced: { type: 'integer' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: { line: { type: 'integer' }, field: { type: 'string' }, detail: { type: 'string' } },
          },
        },
      },
    },
  };
}

export function registryResponses(): Obj {
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  return {
    RegistryInvalid: problem(
      'The record, file or parameter is not valid (ValidationException); `errors` lists each fault with its field (and CSV line).',
    ),
    RegistryConflict: problem(
      'The record exists, or a GTIN belongs to another product (ResourceAlreadyExistsException).',
    ),
  };
}
