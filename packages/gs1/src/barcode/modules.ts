/**
 * Barcode geometry for callers that draw symbols themselves (label layouts, PDF pages): the module
 * matrix of a 2D symbol or the bar/space widths of a linear one, encoded by bwip-js from exactly the
 * same data {@link renderSvg} and {@link renderPng} draw (same FNC1 placement and `^` escaping), and
 * the glyph bitmaps of the font bwip-js prints human readable text with (OCR-B).
 */
import bwipjs from 'bwip-js';
import { problem, type Result } from '../errors.ts';
import { type BarcodeContent, bwipOptions } from './render.ts';

/** A 2D symbol: `rows` × `cols` modules, row 0 at the top, `true` = dark. No quiet zone included. */
export interface MatrixModules {
  kind: 'matrix';
  rows: number;
  cols: number;
  dark: boolean[];
}

/**
 * A linear symbol: element widths in modules from the first bar, alternating bar, space, bar, …
 * (it begins and ends with a bar). No quiet zone included.
 */
export interface LinearModules {
  kind: 'linear';
  widths: number[];
  /** Total width in modules. */
  length: number;
}

export type SymbolModules = MatrixModules | LinearModules;

/** The module geometry of the content's symbol, or the problems that prevent encoding it. */
export function symbolModules(content: BarcodeContent): Result<SymbolModules> {
  const o = bwipOptions(content, {}, false);
  if (!o.ok) return o;
  const { bcid, text, parsefnc, dontlint } = o.value as {
    bcid: string;
    text: string;
    parsefnc?: boolean;
    dontlint?: boolean;
  };
  let raw: unknown;
  try {
    raw = bwipjs.raw({
      bcid,
      text,
      ...(parsefnc ? { parsefnc } : {}),
      ...(dontlint ? { dontlint } : {}),
    } as bwipjs.RawOptions);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const tooLong = /NoValidSymbol|TooLong|too long|exceed|capacity/i.test(msg);
    return {
      ok: false,
      errors: [
        tooLong
          ? problem(
              'RX_BARCODE_DATA_TOO_LONG',
              `The data does not fit in this barcode type (bwip-js: ${msg}).`,
            )
          : problem('RX_BARCODE_RENDER_FAILED', `The barcode could not be encoded (bwip-js: ${msg}).`),
      ],
    };
  }
  const first = (raw as Array<Record<string, unknown>>)[0];
  if (first && Array.isArray(first.pixs)) {
    const cols = first.pixx as number;
    const rows = first.pixy as number;
    return {
      ok: true,
      value: { kind: 'matrix', rows, cols, dark: (first.pixs as number[]).map((v) => v === 1) },
    };
  }
  if (first && Array.isArray(first.sbs)) {
    const widths = (first.sbs as number[]).slice();
    // bwip-js may end the list with a trailing zero-width space; keep the list ending on a bar.
    while (widths.length % 2 === 0 && widths.length > 0 && widths[widths.length - 1] === 0) widths.pop();
    return { ok: true, value: { kind: 'linear', widths, length: widths.reduce((a, b) => a + b, 0) } };
  }
  return {
    ok: false,
    errors: [
      problem('RX_BARCODE_RENDER_FAILED', 'The barcode could not be encoded (bwip-js gave no symbol).'),
    ],
  };
}

/** An 8-bit coverage bitmap of one character (255 = fully inked), placed relative to the baseline. */
export interface GlyphBitmap {
  width: number;
  height: number;
  /** Pixels from the pen position to the bitmap's left column. */
  left: number;
  /** Pixels from the baseline up to the bitmap's top row. */
  top: number;
  /** Pen advance in pixels. */
  advance: number;
  /** `width × height` coverage values, row-major from the top row. */
  coverage: Uint8Array;
}

let ocrb: number | undefined;

/** The OCR-B glyph for a printable ASCII character at `sizePx` pixels per em (antialiased). */
export function hriGlyph(char: string, sizePx: number): GlyphBitmap {
  ocrb ??= bwipjs.FontLib.lookup('OCR-B');
  const size = Math.max(1, Math.round(sizePx));
  const g = bwipjs.FontLib.getglyph(ocrb, char.charCodeAt(0), size, size);
  const n = g.width * g.height;
  return {
    width: g.width,
    height: g.height,
    left: g.left,
    top: g.top,
    advance: g.advance,
    coverage: n > 0 ? g.bytes.slice(g.offset, g.offset + n) : new Uint8Array(0),
  };
}
