/**
 * Labels (role `query`; no store needed):
 * - `GET /labels/pack.svg|png?gtin=&serial=&lot=&expiry=[&nhrn=&nhrnAi=][&ai91=…][&productName=&strength=]`
 *   `[&style=eu|us][&widthMm=&heightMm=&marginMm=&moduleMm=][&dpi=]`: a GS1 DataMatrix pack label;
 * - `GET /labels/sscc.svg|png?sscc=[&gtin=&count=&lot=&expiry=][&from=&to=&productName=][&widthMm=…][&dpi=]`:
 *   a GS1 logistic label;
 * - `POST /labels/sheet.pdf` `{ labels: [{ type: 'pack' | 'sscc', …, copies? }], page?, labelWidthMm?, … }`:
 *   the labels laid out on A4 or Letter pages, as one PDF.
 * Bad input: 400 problem+json whose `detail` and `field` name the first faulty field, and `errors`
 * lists every fault (`field`, `code`, `message`).
 */
import {
  buildSheet,
  drawingToPng,
  drawingToSvg,
  type LabelProblem,
  type LabelResult,
  MAX_SHEET_LABELS,
  type PackLabelInput,
  packLabel,
  type SheetLabel,
  type SheetOptions,
  type SsccLabelInput,
  ssccLabel,
} from '@rxtrace/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ServerContext, sendProblem } from '../http.ts';
import { problemForStatus } from '../problem.ts';

type Query = Record<string, string | string[] | undefined>;

const PACK_TEXT = ['gtin', 'serial', 'lot', 'expiry', 'nhrn', 'nhrnAi', 'productName', 'strength', 'style'];
const SSCC_TEXT = ['sscc', 'gtin', 'count', 'lot', 'expiry', 'from', 'to', 'productName'];
const SIZE = ['widthMm', 'heightMm', 'marginMm', 'moduleMm'];
const MIN_DPI = 72;
const MAX_DPI = 1200;
/** Largest PNG drawn, in pixels (a 300 × 300 mm label at 1200 dpi would be 200 million). */
const MAX_PIXELS = 40_000_000;

function badRequest(request: FastifyRequest, reply: FastifyReply, errors: LabelProblem[]): FastifyReply {
  const first = errors[0]!;
  return sendProblem(
    request,
    reply,
    problemForStatus(
      400,
      first.message.startsWith(first.field) ? first.message : `${first.field}: ${first.message}`,
      {
        field: first.field,
        errors,
      },
    ),
  );
}

/** Reads the query: single values only, known names only, numbers where numbers go. */
function readQuery(query: Query, text: string[], allowAi: boolean) {
  const errors: LabelProblem[] = [];
  const values: Record<string, string> = {};
  const numbers: Record<string, number> = {};
  const extra: { ai: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      errors.push({
        field: name,
        code: 'RX_LABEL_REPEATED_PARAMETER',
        message: `${name} is given ${raw.length} times; give it once.`,
      });
      continue;
    }
    const ai = /^ai(\d{2,4})$/.exec(name);
    if (allowAi && ai) extra.push({ ai: ai[1]!, value: raw });
    else if (text.includes(name)) values[name] = raw;
    else if ([...SIZE, 'dpi'].includes(name)) {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v))
        errors.push({
          field: name,
          code: 'RX_LABEL_BAD_SIZE',
          message: `${name} must be a number, not '${raw}'.`,
        });
      else numbers[name] = v;
    } else
      errors.push({
        field: name,
        code: 'RX_LABEL_UNKNOWN_PARAMETER',
        message: `${name} is not a parameter of this label (known: ${[...text, ...SIZE, 'dpi'].join(', ')}${allowAi ? ', aiNN for further AIs' : ''}).`,
      });
  }
  const dpi = numbers.dpi ?? 300;
  if (!Number.isInteger(dpi) || dpi < MIN_DPI || dpi > MAX_DPI)
    errors.push({
      field: 'dpi',
      code: 'RX_LABEL_BAD_DPI',
      message: `dpi must be a whole number from ${MIN_DPI} to ${MAX_DPI}, not ${dpi}.`,
    });
  const size: Record<string, number> = {};
  for (const k of SIZE) if (numbers[k] !== undefined) size[k] = numbers[k];
  return { errors, values, size, dpi, extra };
}

async function send(
  request: FastifyRequest,
  reply: FastifyReply,
  format: 'svg' | 'png',
  r: LabelResult<import('@rxtrace/core').Drawing>,
  dpi: number,
  name: string,
): Promise<FastifyReply> {
  if (!r.ok) return badRequest(request, reply, r.errors);
  const d = r.value;
  reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `inline; filename="${name}.${format}"`);
  if (format === 'svg') return reply.type('image/svg+xml; charset=utf-8').send(drawingToSvg(d));
  const px = Math.round((d.width / 25.4) * dpi) * Math.round((d.height / 25.4) * dpi);
  if (px > MAX_PIXELS)
    return badRequest(request, reply, [
      {
        field: 'dpi',
        code: 'RX_LABEL_IMAGE_TOO_LARGE',
        message: `dpi: a ${d.width} × ${d.height} mm label at ${dpi} dpi is ${px} pixels; at most ${MAX_PIXELS} are drawn.`,
      },
    ]);
  return reply.type('image/png').send(Buffer.from(drawingToPng(d, dpi)));
}

export default async function labelsPlugin(
  app: FastifyInstance,
  _opts: { ctx: ServerContext },
): Promise<void> {
  const config = { role: 'query' as const };

  for (const format of ['svg', 'png'] as const) {
    app.get<{ Querystring: Query }>(`/labels/pack.${format}`, { config }, async (request, reply) => {
      const q = readQuery(request.query ?? {}, PACK_TEXT, true);
      if (q.errors.length) return badRequest(request, reply, q.errors);
      const v = q.values;
      const style = v.style ?? 'eu';
      if (style !== 'eu' && style !== 'us')
        return badRequest(request, reply, [
          { field: 'style', code: 'RX_LABEL_BAD_STYLE', message: `style must be eu or us, not '${style}'.` },
        ]);
      const input = { ...v, ...(q.extra.length ? { extra: q.extra } : {}) } as unknown as PackLabelInput;
      return send(
        request,
        reply,
        format,
        packLabel(input, { ...q.size, hriStyle: style }),
        q.dpi,
        `pack-${v.serial ?? 'label'}`.replace(/[^\w.-]/g, '_'),
      );
    });

    app.get<{ Querystring: Query }>(`/labels/sscc.${format}`, { config }, async (request, reply) => {
      const q = readQuery(request.query ?? {}, SSCC_TEXT, false);
      if (q.errors.length) return badRequest(request, reply, q.errors);
      const input = q.values as unknown as SsccLabelInput;
      return send(
        request,
        reply,
        format,
        ssccLabel(input, q.size),
        q.dpi,
        `sscc-${q.values.sscc ?? 'label'}`.replace(/[^\w.-]/g, '_'),
      );
    });
  }

  app.post<{ Body: { labels: SheetLabel[] } & SheetOptions }>(
    '/labels/sheet.pdf',
    {
      config,
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['labels'],
          additionalProperties: false,
          properties: {
            labels: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_SHEET_LABELS,
              items: { type: 'object', required: ['type'] },
            },
            page: { type: 'string', enum: ['A4', 'letter'] },
            labelWidthMm: { type: 'number' },
            labelHeightMm: { type: 'number' },
            marginMm: { type: 'number' },
            gapMm: { type: 'number' },
            columns: { type: 'integer' },
            rows: { type: 'integer' },
            outline: { type: 'boolean' },
            hriStyle: { type: 'string', enum: ['eu', 'us'] },
            title: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const { labels, ...options } = request.body;
      const r = buildSheet(labels, options);
      if (!r.ok) return badRequest(request, reply, r.errors);
      request.log.info({ labels: r.value.labels, pages: r.value.pages }, 'label sheet drawn');
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'inline; filename="labels.pdf"')
        .header('x-label-count', String(r.value.labels))
        .header('x-page-count', String(r.value.pages))
        .send(Buffer.from(r.value.pdf));
    },
  );
}
