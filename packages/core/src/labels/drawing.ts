/**
 * A label as a device-independent drawing in millimetres (origin top left, y down): barcode symbols
 * given by their module geometry, text runs in a monospaced face (every character advances 0.6 em,
 * as Courier in PDF and OCR-B in PNG do), and filled rectangles for rules and frames. The SVG, PNG
 * and PDF writers all draw this one model, so the three outputs agree to the module.
 */
import type { SymbolModules } from '@rxtrace/gs1/barcode';

/** Advance of every character, in em: the monospaced metric all three writers share. */
export const CHAR_ADVANCE = 0.6;

export interface DrawSymbol {
  kind: 'symbol';
  /** Top-left corner of the first module (quiet zone not included), mm. */
  x: number;
  y: number;
  /** Module (X dimension) size, mm. */
  module: number;
  /** Bar height of a linear symbol, mm (ignored for 2D symbols). */
  barHeight: number;
  modules: SymbolModules;
  /** The scan data a scanner should transmit, for checking a print. */
  scanData: string;
}

export interface DrawText {
  kind: 'text';
  /** Start of the baseline, mm. */
  x: number;
  y: number;
  /** Em size, mm (1 pt = 0.3528 mm). */
  size: number;
  text: string;
  bold?: boolean;
}

export interface DrawRect {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
}

export type DrawItem = DrawSymbol | DrawText | DrawRect;

export interface Drawing {
  /** Label size, mm. */
  width: number;
  height: number;
  /** One-line description (SVG `<title>`, PDF annotations in tests). */
  title: string;
  items: DrawItem[];
}

/** Width of a text run, mm. */
export const textWidth = (text: string, size: number): number => text.length * size * CHAR_ADVANCE;

/** Width and height of a symbol without its quiet zone, mm. */
export function symbolSize(s: Pick<DrawSymbol, 'module' | 'barHeight' | 'modules'>): {
  w: number;
  h: number;
} {
  return s.modules.kind === 'matrix'
    ? { w: s.modules.cols * s.module, h: s.modules.rows * s.module }
    : { w: s.modules.length * s.module, h: s.barHeight };
}

/** A rectangle in module units relative to the symbol's origin. */
export interface ModuleRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The dark areas of a symbol as rectangles in module units: one per bar of a linear symbol; one per
 * horizontal run of dark modules in each row of a 2D symbol (far fewer than one per module).
 */
export function moduleRects(modules: SymbolModules): ModuleRect[] {
  const out: ModuleRect[] = [];
  if (modules.kind === 'linear') {
    let x = 0;
    modules.widths.forEach((w, i) => {
      if (i % 2 === 0 && w > 0) out.push({ x, y: 0, w, h: 1 });
      x += w;
    });
    return out;
  }
  for (let r = 0; r < modules.rows; r++) {
    let c = 0;
    while (c < modules.cols) {
      if (!modules.dark[r * modules.cols + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < modules.cols && modules.dark[r * modules.cols + c]) c++;
      out.push({ x: start, y: r, w: c - start, h: 1 });
    }
  }
  return out;
}
