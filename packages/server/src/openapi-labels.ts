/** OpenAPI entries of the labels endpoints (plugins/labels.ts), spread into the document's paths. */
type Obj = Record<string, unknown>;

const problem400: Obj = {
  description:
    'Bad input: `field` names the first faulty parameter (e.g. `gtin` for a wrong check digit, `serial` for a character outside GS1 set 82, `heightMm` for a label too small), `errors` lists every fault.',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};
const q = (name: string, description: string, schema: Obj = { type: 'string' }, required = false): Obj => ({
  in: 'query',
  name,
  required,
  description,
  schema,
});
const size = [
  q('widthMm', 'Label width, mm.', { type: 'number' }),
  q('heightMm', 'Label height, mm.', { type: 'number' }),
  q('marginMm', 'Blank margin inside the label edge, mm.', { type: 'number' }),
  q('moduleMm', 'X dimension, mm (pack: the DataMatrix module; logistic: the preferred GS1-128 X).', {
    type: 'number',
  }),
  q('dpi', 'PNG resolution (72–1200, default 300).', { type: 'integer', minimum: 72, maximum: 1200 }),
];
const image = (what: string): Obj => ({
  description: what,
  content: {
    'image/svg+xml': { schema: { type: 'string' } },
    'image/png': { schema: { type: 'string', format: 'binary' } },
  },
});

const packParams = [
  q('gtin', 'GTIN-8/12/13/14 (check digit verified).', { type: 'string' }, true),
  q('serial', 'Serial number (21): up to 20 characters of GS1 set 82.', { type: 'string' }, true),
  q('lot', 'Batch / lot (10).', { type: 'string' }, true),
  q('expiry', 'Expiry (17): YYMMDD (DD may be 00), YYYY-MM-DD or YYYY-MM.', { type: 'string' }, true),
  q('nhrn', 'National healthcare reimbursement number.'),
  q('nhrnAi', 'AI of the NHRN: 710–717.'),
  q('productName', 'Optional first line (bold).'),
  q('strength', 'Optional second line.'),
  q('style', 'Human readable text: eu (PC:/SN:/NN:/LOT:/EXP:, default) or us (GTIN/SN/LOT/EXP).', {
    type: 'string',
    enum: ['eu', 'us'],
  }),
  q('aiNN', 'Further AIs for the DataMatrix, one parameter each: ai91=…, ai92=… (crypto codes), etc.'),
  ...size,
];
const ssccParams = [
  q('sscc', 'SSCC (00), 18 digits.', { type: 'string' }, true),
  q('gtin', 'Content GTIN (02); needs count.'),
  q('count', 'Count of trade items (37).', { type: 'integer', minimum: 1 }),
  q('lot', 'Batch / lot (10) of the content.'),
  q('expiry', 'Expiry (17) of the content.'),
  q('from', 'Shipper name.'),
  q('to', 'Consignee name.'),
  q('productName', 'Product description line.'),
  ...size,
];

const getLabel = (summary: string, parameters: Obj[]): Obj => ({
  get: {
    tags: ['Labels'],
    summary,
    security: [{ apiKey: [] }],
    parameters,
    responses: { '200': image('The label.'), '400': problem400, ...common },
  },
});

export const labelsTag: Obj = {
  name: 'Labels',
  description:
    'Pack (GS1 DataMatrix) and logistic (GS1-128 SSCC) labels as SVG, PNG and PDF sheets (role query).',
};

export const labelsPaths: Record<string, Obj> = {
  '/labels/pack.svg': getLabel('A pack label as SVG (vector barcode, text as text).', packParams),
  '/labels/pack.png': getLabel('A pack label as PNG at `dpi`.', packParams),
  '/labels/sscc.svg': getLabel('A GS1 logistic label as SVG.', ssccParams),
  '/labels/sscc.png': getLabel('A GS1 logistic label as PNG at `dpi`.', ssccParams),
  '/labels/sheet.pdf': {
    post: {
      tags: ['Labels'],
      summary: 'Labels laid out on A4 or Letter pages, as one PDF (vector barcodes, Courier text).',
      security: [{ apiKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['labels'],
              properties: {
                labels: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 10000,
                  description:
                    'Each `{ type: "pack", gtin, serial, lot, expiry, nhrn?, nhrnAi?, extra?: [{ai, value}], productName?, strength?, copies? }` or `{ type: "sscc", sscc, gtin?, count?, lot?, expiry?, from?, to?, productName?, copies? }`.',
                  items: {
                    type: 'object',
                    required: ['type'],
                    properties: { type: { type: 'string', enum: ['pack', 'sscc'] } },
                  },
                },
                page: { type: 'string', enum: ['A4', 'letter'], default: 'A4' },
                labelWidthMm: {
                  type: 'number',
                  description: 'Default 60 (100 when a logistic label is on the sheet).',
                },
                labelHeightMm: { type: 'number', description: 'Default 30 (140 with logistic labels).' },
                marginMm: { type: 'number', description: 'Page margin, default 10 (4).' },
                gapMm: { type: 'number', description: 'Space between labels, default 3 (2).' },
                columns: { type: 'integer', description: 'Default: as many as fit.' },
                rows: { type: 'integer', description: 'Default: as many as fit.' },
                outline: { type: 'boolean', description: 'Thin grey frame around each label, for cutting.' },
                hriStyle: { type: 'string', enum: ['eu', 'us'] },
                title: { type: 'string' },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'The PDF; `X-Label-Count` and `X-Page-Count` headers.',
          content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
        },
        '400': problem400,
        ...common,
      },
    },
  },
};
