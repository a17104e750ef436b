/**
 * Label layouts, in millimetres.
 *
 * Pack label: the GS1 DataMatrix at the left, square, as large as the height allows up to the
 * preferred X dimension (0.5 mm; never below 0.25 mm unless `moduleMm` says so), with a 1-module
 * quiet zone beyond the label margin; at its right the optional product name (bold) and strength,
 * then the human readable unique identifier, one element a line ("PC: …", "SN: …", …), in the
 * largest size up to 3 mm (8.5 pt) that fits. The data lines are never cut: a label too small for
 * them is an error naming the size field. Product name and strength are shortened with "..." instead.
 *
 * Logistic label (GS1 logistic label, by default A6 portrait, 105 × 148 mm): top block with the
 * from/to parties, product name, then the text block — SSCC on its own row, CONTENT | COUNT and
 * BATCH/LOT | USE BY in two columns, caption above value — and at the bottom the barcodes: the
 * content GS1-128 ((02) (17) (37) (10); split over two or more symbols when it would not fit the
 * width at X = 0.25 mm) above the SSCC GS1-128 ((00), always the lowest symbol), each with its
 * HRI beneath. X dimension up to 0.495 mm, bars up to 31.75 mm high (the GS1 logistic
 * label figures), both reduced when the label is smaller, down to 0.25 mm and 8 mm.
 */
import type { AiElement } from '@rxtrace/gs1';
import { expectedScanData, symbolModules } from '@rxtrace/gs1/barcode';
import type { LabelProblem, LabelResult, PackContent, SsccContent } from './content.ts';
import { CHAR_ADVANCE, type DrawItem, type Drawing, type DrawSymbol, textWidth } from './drawing.ts';

export interface PackLayoutOptions {
  /** Label width and height, mm. Default 60 × 30. */
  widthMm?: number;
  heightMm?: number;
  /** Blank margin inside the label edge, mm. Default 2. */
  marginMm?: number;
  /** X dimension of the DataMatrix, mm. Default: the largest that fits, at most 0.5. */
  moduleMm?: number;
}

export interface SsccLayoutOptions {
  /** Label width and height, mm. Default 105 × 148 (A6). */
  widthMm?: number;
  heightMm?: number;
  /** Default 4. */
  marginMm?: number;
  /** Preferred X dimension of the GS1-128 symbols, mm. Default 0.495. */
  moduleMm?: number;
}

const PREFERRED_DM_X = 0.5;
const MIN_X = 0.25;
const DM_QUIET = 1;
const LINEAR_QUIET = 10;
const MAX_PACK_TEXT = 3;
const MIN_TEXT = 1.2;
const LINE_GAP = 1.25;

const bad = (field: string, code: string, message: string): LabelResult<never> => ({
  ok: false,
  errors: [{ field, code, message }],
});

function checkDims(
  o: { widthMm?: number; heightMm?: number; marginMm?: number; moduleMm?: number },
  defaults: { w: number; h: number; m: number },
): LabelResult<{ w: number; h: number; m: number; x?: number }> {
  const errors: LabelProblem[] = [];
  const num = (field: string, v: unknown, def: number | undefined, min: number, max: number) => {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      errors.push({
        field,
        code: 'RX_LABEL_BAD_SIZE',
        message: `${field} must be a number from ${min} to ${max} (mm), not ${String(v)}.`,
      });
      return def;
    }
    return v;
  };
  const w = num('widthMm', o.widthMm, defaults.w, 10, 1000)!;
  const h = num('heightMm', o.heightMm, defaults.h, 10, 1000)!;
  const m = num('marginMm', o.marginMm, defaults.m, 0, 50)!;
  const x = num('moduleMm', o.moduleMm, undefined, 0.1, 5);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { w, h, m, ...(x !== undefined ? { x } : {}) } };
}

function encode(elements: AiElement[], symbology: 'gs1-datamatrix' | 'gs1-128', field: string) {
  const content = { symbology, elements } as const;
  const modules = symbolModules(content);
  const scan = expectedScanData(content);
  if (!modules.ok || !scan.ok) {
    const errs = !modules.ok ? modules.errors : !scan.ok ? scan.errors : [];
    return { ok: false as const, errors: errs.map((e) => ({ field, code: e.code, message: e.message })) };
  }
  return { ok: true as const, modules: modules.value, scanData: scan.value };
}

/** Shortens text to `max` characters with a trailing "...". */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 3 ? text.slice(0, Math.max(0, max)) : `${text.slice(0, max - 3)}...`;
}

/** Lays out a pack label (checked content from {@link packContent}). */
export function layoutPackLabel(content: PackContent, options: PackLayoutOptions = {}): LabelResult<Drawing> {
  const d = checkDims(options, { w: 60, h: 30, m: 2 });
  if (!d.ok) return d;
  const { w, h, m } = d.value;
  const enc = encode(content.elements, 'gs1-datamatrix', 'label');
  if (!enc.ok) return enc;
  const mods = enc.modules;
  if (mods.kind !== 'matrix')
    return bad('label', 'RX_LABEL_INTERNAL', 'DataMatrix came back as a linear symbol.');
  const availH = h - 2 * m;
  const span = mods.rows + 2 * DM_QUIET;
  const fitX = availH / span;
  const x = d.value.x ?? Math.min(PREFERRED_DM_X, fitX);
  if (x > fitX + 1e-9 || x < (d.value.x !== undefined ? 0 : MIN_X)) {
    return bad(
      d.value.x !== undefined && x > fitX ? 'moduleMm' : 'heightMm',
      'RX_LABEL_TOO_SMALL',
      `The ${mods.cols}×${mods.rows} DataMatrix needs ${(span * (d.value.x ?? MIN_X)).toFixed(1)} mm of height at X = ${(d.value.x ?? MIN_X).toFixed(2)} mm; the label has ${availH.toFixed(1)} mm inside its margins.`,
    );
  }
  const sym: DrawSymbol = {
    kind: 'symbol',
    x: m + DM_QUIET * x,
    y: m + DM_QUIET * x,
    module: x,
    barHeight: 0,
    modules: mods,
    scanData: enc.scanData,
  };
  const textX = m + (mods.cols + 2 * DM_QUIET) * x + 1;
  const availW = w - m - textX;
  const data = content.lines.map((l) => `${l.caption} ${l.value}`);
  const extraLines = (content.productName ? 1 : 0) + (content.strength ? 1 : 0);
  const nLines = data.length + extraLines;
  const longest = Math.max(...data.map((s) => s.length));
  const size = Math.min(MAX_PACK_TEXT, availH / (nLines * LINE_GAP), availW / (longest * CHAR_ADVANCE));
  if (size < MIN_TEXT || availW <= 0) {
    const needW = textX + longest * CHAR_ADVANCE * MIN_TEXT + m;
    return bad(
      needW > w ? 'widthMm' : 'heightMm',
      'RX_LABEL_TOO_SMALL',
      `The human readable lines do not fit: at the smallest text size (${MIN_TEXT} mm) they need ${needW.toFixed(1)} mm of width and ${(nLines * LINE_GAP * MIN_TEXT + 2 * m).toFixed(1)} mm of height; the label is ${w} × ${h} mm.`,
    );
  }
  const items: DrawItem[] = [sym];
  const maxChars = Math.floor(availW / (size * CHAR_ADVANCE) + 1e-9);
  // Text block starts level with the top of the symbol (or the margin when the font is larger).
  let y = Math.max(m, sym.y) + size * 0.8;
  const line = (text: string, bold: boolean) => {
    items.push({ kind: 'text', x: textX, y, size, text, ...(bold ? { bold } : {}) });
    y += size * LINE_GAP;
  };
  if (content.productName) line(fit(content.productName, maxChars), true);
  if (content.strength) line(fit(content.strength, maxChars), false);
  for (const s of data) line(s, false);
  const title = content.lines.map((l) => `${l.caption} ${l.value}`).join(', ');
  return { ok: true, value: { width: w, height: h, title, items } };
}

/** Lays out a GS1 logistic label (checked content from {@link ssccContent}). */
export function layoutSsccLabel(content: SsccContent, options: SsccLayoutOptions = {}): LabelResult<Drawing> {
  const d = checkDims(options, { w: 105, h: 148, m: 4 });
  if (!d.ok) return d;
  const { w, h, m } = d.value;
  const preferredX = d.value.x ?? 0.495;
  const innerW = w - 2 * m;
  const items: DrawItem[] = [];
  const scale = Math.min(1.5, Math.max(0.5, innerW / 97));
  const caption = 2.2 * scale;
  const valueSize = 4.2 * scale;
  const rule = 0.3;

  // Top: parties, product name.
  let y = m;
  const cellW = innerW / 2;
  const captionValue = (cx: number, cw: number, cap: string, value: string, bold = true) => {
    items.push({ kind: 'text', x: cx, y: y + caption * 0.8, size: caption, text: cap });
    const vs = Math.min(valueSize, (cw - 3) / (value.length * CHAR_ADVANCE));
    items.push({
      kind: 'text',
      x: cx,
      y: y + caption * 1.2 + valueSize * 0.85,
      size: vs,
      text: value,
      ...(bold ? { bold } : {}),
    });
  };
  const rowH = caption * 1.2 + valueSize * 1.25;
  if (content.from || content.to) {
    const maxChars = Math.floor((cellW - 1) / (valueSize * 0.75 * CHAR_ADVANCE));
    const party = (cx: number, cap: string, v: string | undefined) => {
      if (!v) return;
      items.push({ kind: 'text', x: cx, y: y + caption * 0.8, size: caption, text: cap });
      items.push({
        kind: 'text',
        x: cx,
        y: y + caption * 1.2 + valueSize * 0.7,
        size: valueSize * 0.75,
        text: fit(v, maxChars),
      });
    };
    party(m, 'FROM', content.from);
    party(m + cellW, 'TO', content.to);
    y += rowH;
    items.push({ kind: 'rect', x: m, y, w: innerW, h: rule });
    y += 1.5;
  }
  if (content.productName) {
    const maxChars = Math.floor(innerW / (valueSize * CHAR_ADVANCE));
    items.push({
      kind: 'text',
      x: m,
      y: y + valueSize * 0.85,
      size: valueSize,
      text: fit(content.productName, maxChars),
      bold: true,
    });
    y += valueSize * 1.4;
  }
  // Text block.
  const byCaption = new Map(content.lines.map((l) => [l.caption, l.value]));
  captionValue(m, innerW, 'SSCC', byCaption.get('SSCC')!);
  y += rowH;
  const pairs: [string, string][] = [
    ['CONTENT', 'COUNT'],
    ['BATCH/LOT', 'USE BY'],
  ];
  for (const [a, b] of pairs) {
    const va = byCaption.get(a);
    const vb = byCaption.get(b);
    if (va === undefined && vb === undefined) continue;
    if (va !== undefined) captionValue(m, cellW, a, va);
    if (vb !== undefined) captionValue(va !== undefined ? m + cellW : m, cellW, b, vb);
    y += rowH;
  }
  items.push({ kind: 'rect', x: m, y, w: innerW, h: rule });
  y += 1.5;

  // Barcodes, from the bottom up: the SSCC lowest, the content symbol above it.
  // The content data goes in one symbol when it fits the width at X >= 0.25 mm, else it is split
  // over several (in element order), as GS1 logistic labels do with long batch numbers.
  const symbols: { elements: AiElement[]; field: string }[] = [];
  const fitsWidth = (els: AiElement[]) => {
    const e = encode(els, 'gs1-128', 'gtin');
    return !e.ok || e.modules.kind !== 'linear' || (e.modules.length + 2 * LINEAR_QUIET) * MIN_X <= innerW;
  };
  let group: AiElement[] = [];
  for (const el of content.contentElements) {
    if (group.length && !fitsWidth([...group, el])) {
      symbols.push({ elements: group, field: 'gtin' });
      group = [];
    }
    group.push(el);
  }
  if (group.length) symbols.push({ elements: group, field: 'gtin' });
  symbols.push({ elements: content.ssccElements, field: 'sscc' });
  const encoded = [];
  for (const s of symbols) {
    const e = encode(s.elements, 'gs1-128', s.field);
    if (!e.ok) return e;
    if (e.modules.kind !== 'linear')
      return bad('label', 'RX_LABEL_INTERNAL', 'GS1-128 came back as a 2D symbol.');
    encoded.push({ ...e, elements: s.elements, length: e.modules.length });
  }
  const hriSize = Math.min(3 * scale, 3.5);
  const gap = 2;
  const available = h - m - y - encoded.length * (hriSize * 1.3 + gap);
  const barHeight = Math.min(31.75, available / encoded.length);
  if (barHeight < 8) {
    return bad(
      'heightMm',
      'RX_LABEL_TOO_SMALL',
      `The label is too short for its text and ${encoded.length} GS1-128 symbol(s): the bars would be ${Math.max(0, barHeight).toFixed(1)} mm high (at least 8 mm).`,
    );
  }
  let bottom = h - m;
  for (let i = encoded.length - 1; i >= 0; i--) {
    const e = encoded[i]!;
    const fitX = innerW / (e.length + 2 * LINEAR_QUIET);
    const x = Math.min(preferredX, fitX);
    if (x < MIN_X) {
      return bad(
        'widthMm',
        'RX_LABEL_TOO_SMALL',
        `The GS1-128 symbol of ${e.elements.map((el) => `(${el.ai})`).join('')} is ${e.length} modules long: at X = ${MIN_X} mm with its quiet zones it needs ${((e.length + 2 * LINEAR_QUIET) * MIN_X + 2 * m).toFixed(1)} mm of label width; the label is ${w} mm.`,
      );
    }
    const hri = e.elements.map((el) => `(${el.ai}) ${el.value}`).join(' ');
    const hs = Math.min(hriSize, innerW / (hri.length * CHAR_ADVANCE));
    items.push({
      kind: 'text',
      x: m + (innerW - textWidth(hri, hs)) / 2,
      y: bottom - hs * 0.25,
      size: hs,
      text: hri,
    });
    bottom -= hriSize * 1.3;
    const symW = e.length * x;
    items.push({
      kind: 'symbol',
      x: m + (innerW - symW) / 2,
      y: bottom - barHeight,
      module: x,
      barHeight,
      modules: e.modules,
      scanData: e.scanData,
    });
    bottom -= barHeight + gap;
  }
  const title = content.lines.map((l) => `${l.caption} ${l.value}`).join(', ');
  return { ok: true, value: { width: w, height: h, title, items } };
}
