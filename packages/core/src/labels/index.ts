/**
 * Labels: GS1 DataMatrix pack labels and GS1-128 SSCC logistic labels with human readable text, as
 * SVG, PNG and printable PDF sheets. Pure: no storage, no I/O.
 */
import {
  type ContentOptions,
  type LabelResult,
  type PackLabelInput,
  packContent,
  type SsccLabelInput,
  ssccContent,
} from './content.ts';
import type { Drawing } from './drawing.ts';
import {
  layoutPackLabel,
  layoutSsccLabel,
  type PackLayoutOptions,
  type SsccLayoutOptions,
} from './layout.ts';

export * from './content.ts';
export {
  CHAR_ADVANCE,
  type DrawItem,
  type Drawing,
  type DrawRect,
  type DrawSymbol,
  type DrawText,
  moduleRects,
} from './drawing.ts';
export {
  layoutPackLabel,
  layoutSsccLabel,
  type PackLayoutOptions,
  type SsccLayoutOptions,
} from './layout.ts';
export { drawingOps, type PdfInfo, type PdfPage, PT_PER_MM, pdfString, writePdf } from './pdf.ts';
export { drawingToPng, encodeGreyPng, type GreyImage, rasterise } from './png.ts';
export {
  buildSheet,
  layoutLabel,
  MAX_SHEET_LABELS,
  PAGE_SIZES,
  type PageSize,
  type Sheet,
  type SheetGrid,
  type SheetLabel,
  type SheetOptions,
  sheetGrid,
} from './sheet.ts';
export { drawingToSvg } from './svg.ts';

/** Checks a pack label's input and lays it out. */
export function packLabel(
  input: PackLabelInput,
  options: PackLayoutOptions & ContentOptions = {},
): LabelResult<Drawing> {
  const c = packContent(input, options);
  return c.ok ? layoutPackLabel(c.value, options) : c;
}

/** Checks a logistic label's input and lays it out. */
export function ssccLabel(
  input: SsccLabelInput,
  options: SsccLayoutOptions & ContentOptions = {},
): LabelResult<Drawing> {
  const c = ssccContent(input, options);
  return c.ok ? layoutSsccLabel(c.value, options) : c;
}
