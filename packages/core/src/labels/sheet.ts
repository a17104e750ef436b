/**
 * Label sheets: labels of one size laid out in a grid on A4 or US Letter pages, left to right then
 * top to bottom, as many pages as needed, written as one vector PDF.
 */
import {
  type ContentOptions,
  type HriStyle,
  type LabelProblem,
  type LabelResult,
  type PackLabelInput,
  packContent,
  type SsccLabelInput,
  ssccContent,
} from './content.ts';
import type { Drawing } from './drawing.ts';
import { layoutPackLabel, layoutSsccLabel } from './layout.ts';
import { drawingOps, type PdfPage, PT_PER_MM, writePdf } from './pdf.ts';

export type PageSize = 'A4' | 'letter';
export const PAGE_SIZES: Record<PageSize, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
};

/** One entry of a sheet: a pack or a logistic label, printed `copies` times (default 1). */
export type SheetLabel = (({ type: 'pack' } & PackLabelInput) | ({ type: 'sscc' } & SsccLabelInput)) & {
  copies?: number;
};

export interface SheetOptions {
  page?: PageSize;
  /** Label size, mm. Default 60 × 30 for pack labels only, 100 × 140 when the sheet has a logistic label. */
  labelWidthMm?: number;
  labelHeightMm?: number;
  /** Page margin, mm. Default 10 (4 for sheets of logistic labels). */
  marginMm?: number;
  /** Space between labels, mm. Default 3 (2 for logistic labels). */
  gapMm?: number;
  /** Grid; default: as many as fit. */
  columns?: number;
  rows?: number;
  /** Thin frame around each label, for cutting. Default false. */
  outline?: boolean;
  hriStyle?: HriStyle;
  /** For reading two-digit years (default: the current UTC year). */
  currentYear?: number;
  /** PDF creation date (default now). */
  creationDate?: Date;
  title?: string;
}

export interface SheetGrid {
  page: PageSize;
  pageWidth: number;
  pageHeight: number;
  labelWidth: number;
  labelHeight: number;
  columns: number;
  rows: number;
  /** Top-left corner of each cell on a page, mm, in print order. */
  cells: { x: number; y: number }[];
}

export interface Sheet extends SheetGrid {
  pdf: Uint8Array;
  pages: number;
  labels: number;
  /** The drawings placed, in print order (page by page). */
  drawings: Drawing[];
}

export const MAX_SHEET_LABELS = 10_000;

const err = (field: string, code: string, message: string): LabelProblem => ({ field, code, message });

/** Computes the grid for the options (the label size defaults depend on `hasLogistic`). */
export function sheetGrid(o: SheetOptions, hasLogistic = false): LabelResult<SheetGrid> {
  const errors: LabelProblem[] = [];
  const page = o.page ?? 'A4';
  if (!(page in PAGE_SIZES))
    errors.push(err('page', 'RX_LABEL_BAD_PAGE', `page must be A4 or letter, not '${String(page)}'.`));
  const num = (field: string, v: unknown, def: number, min: number, max: number, integer = false) => {
    if (v === undefined) return def;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < min ||
      v > max ||
      (integer && !Number.isInteger(v))
    ) {
      errors.push(
        err(
          field,
          'RX_LABEL_BAD_SIZE',
          `${field} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${String(v)}.`,
        ),
      );
      return def;
    }
    return v;
  };
  const labelWidth = num('labelWidthMm', o.labelWidthMm, hasLogistic ? 100 : 60, 10, 300);
  const labelHeight = num('labelHeightMm', o.labelHeightMm, hasLogistic ? 140 : 30, 10, 300);
  const margin = num('marginMm', o.marginMm, hasLogistic ? 4 : 10, 0, 50);
  const gap = num('gapMm', o.gapMm, hasLogistic ? 2 : 3, 0, 50);
  if (errors.length) return { ok: false, errors };
  const { width: pageWidth, height: pageHeight } = PAGE_SIZES[page];
  const fitCols = Math.floor((pageWidth - 2 * margin + gap + 1e-9) / (labelWidth + gap));
  const fitRows = Math.floor((pageHeight - 2 * margin + gap + 1e-9) / (labelHeight + gap));
  const columns = num('columns', o.columns, fitCols, 1, 100, true);
  const rows = num('rows', o.rows, fitRows, 1, 100, true);
  if (errors.length) return { ok: false, errors };
  if (fitCols < 1 || fitRows < 1)
    return {
      ok: false,
      errors: [
        err(
          fitCols < 1 ? 'labelWidthMm' : 'labelHeightMm',
          'RX_LABEL_TOO_LARGE',
          `A ${labelWidth} × ${labelHeight} mm label does not fit on a ${page} page with ${margin} mm margins.`,
        ),
      ],
    };
  if (columns > fitCols)
    return {
      ok: false,
      errors: [
        err(
          'columns',
          'RX_LABEL_TOO_LARGE',
          `${columns} columns of ${labelWidth} mm with ${gap} mm gaps do not fit on a ${page} page with ${margin} mm margins (at most ${fitCols}).`,
        ),
      ],
    };
  if (rows > fitRows)
    return {
      ok: false,
      errors: [
        err(
          'rows',
          'RX_LABEL_TOO_LARGE',
          `${rows} rows of ${labelHeight} mm with ${gap} mm gaps do not fit on a ${page} page with ${margin} mm margins (at most ${fitRows}).`,
        ),
      ],
    };
  // Centre the grid horizontally; start it at the top margin.
  const gridW = columns * labelWidth + (columns - 1) * gap;
  const x0 = (pageWidth - gridW) / 2;
  const cells: { x: number; y: number }[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++)
      cells.push({ x: x0 + c * (labelWidth + gap), y: margin + r * (labelHeight + gap) });
  return { ok: true, value: { page, pageWidth, pageHeight, labelWidth, labelHeight, columns, rows, cells } };
}

/** Checks and lays out one label of a sheet at the sheet's label size. */
export function layoutLabel(
  label: SheetLabel,
  size: { widthMm: number; heightMm: number },
  opts: ContentOptions,
): LabelResult<Drawing> {
  if (label === null || typeof label !== 'object')
    return {
      ok: false,
      errors: [err('type', 'RX_LABEL_BAD_VALUE', 'A label must be an object with type pack or sscc.')],
    };
  if (label.type === 'pack') {
    const c = packContent(label, opts);
    return c.ok ? layoutPackLabel(c.value, size) : c;
  }
  if (label.type === 'sscc') {
    const c = ssccContent(label, opts);
    return c.ok ? layoutSsccLabel(c.value, size) : c;
  }
  return {
    ok: false,
    errors: [
      err(
        'type',
        'RX_LABEL_BAD_TYPE',
        `type must be pack or sscc, not '${String((label as { type?: unknown }).type)}'.`,
      ),
    ],
  };
}

/** Lays out the labels on pages and writes the PDF. Faults name `labels[i].<field>` or the option. */
export function buildSheet(labels: readonly SheetLabel[], options: SheetOptions = {}): LabelResult<Sheet> {
  if (!Array.isArray(labels) || labels.length === 0)
    return { ok: false, errors: [err('labels', 'RX_LABEL_MISSING', 'labels must be a non-empty list.')] };
  const hasLogistic = labels.some((l) => l?.type === 'sscc');
  const g = sheetGrid(options, hasLogistic);
  if (!g.ok) return g;
  const grid = g.value;
  const errors: LabelProblem[] = [];
  const drawings: Drawing[] = [];
  let total = 0;
  labels.forEach((label, i) => {
    const copies = label?.copies ?? 1;
    if (typeof copies !== 'number' || !Number.isInteger(copies) || copies < 1 || copies > MAX_SHEET_LABELS) {
      errors.push(
        err(
          `labels[${i}].copies`,
          'RX_LABEL_BAD_VALUE',
          `copies must be a whole number from 1 to ${MAX_SHEET_LABELS}.`,
        ),
      );
      return;
    }
    total += copies;
    const r = layoutLabel(label, { widthMm: grid.labelWidth, heightMm: grid.labelHeight }, options);
    if (!r.ok) {
      for (const e of r.errors) {
        const sizeField = ['widthMm', 'heightMm'].includes(e.field)
          ? e.field === 'widthMm'
            ? 'labelWidthMm'
            : 'labelHeightMm'
          : undefined;
        errors.push({
          ...e,
          field: sizeField ?? `labels[${i}].${e.field}`,
          message: `labels[${i}]: ${e.message}`,
        });
      }
      return;
    }
    for (let k = 0; k < copies; k++) drawings.push(r.value);
  });
  if (total > MAX_SHEET_LABELS)
    errors.push(
      err(
        'labels',
        'RX_LABEL_TOO_MANY',
        `A sheet holds at most ${MAX_SHEET_LABELS} labels (copies included); this one has ${total}.`,
      ),
    );
  if (errors.length) return { ok: false, errors };

  const perPage = grid.cells.length;
  const pages: PdfPage[] = [];
  for (let start = 0; start < drawings.length; start += perPage) {
    const ops: string[] = [];
    drawings.slice(start, start + perPage).forEach((d, j) => {
      const cell = grid.cells[j]!;
      if (options.outline) {
        const t = 0.1;
        const { labelWidth: w, labelHeight: h } = grid;
        const rect = (x: number, y: number, rw: number, rh: number) =>
          `${((cell.x + x) * PT_PER_MM).toFixed(3)} ${((grid.pageHeight - cell.y - y - rh) * PT_PER_MM).toFixed(3)} ${(rw * PT_PER_MM).toFixed(3)} ${(rh * PT_PER_MM).toFixed(3)} re`;
        ops.push(
          `q 0.6 g ${rect(0, 0, w, t)} ${rect(0, h - t, w, t)} ${rect(0, 0, t, h)} ${rect(w - t, 0, t, h)} f Q`,
        );
      }
      ops.push(drawingOps(d, cell.x, cell.y, grid.pageHeight));
    });
    pages.push({
      width: grid.pageWidth * PT_PER_MM,
      height: grid.pageHeight * PT_PER_MM,
      content: ops.join('\n'),
    });
  }
  const pdf = writePdf(pages, {
    ...(options.title ? { title: options.title } : { title: `rxtrace labels (${drawings.length})` }),
    ...(options.creationDate ? { creationDate: options.creationDate } : {}),
  });
  return { ok: true, value: { ...grid, pdf, pages: pages.length, labels: drawings.length, drawings } };
}
