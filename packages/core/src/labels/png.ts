/**
 * PNG writer: rasterises a drawing at a given resolution into an 8-bit greyscale PNG (with a pHYs
 * chunk giving the resolution, so printing software prints it at the right size).
 *
 * Barcodes are drawn on the pixel grid: the X dimension becomes a whole number of pixels (the
 * nearest, unless that is more than 2 % wider than asked: then rounded down; at least 1), so every module of a symbol has the same width and a bar's edges are sharp, as a
 * thermal printer driver does; the symbol keeps the centre the layout gave it. Text uses the
 * OCR-B glyphs bwip-js prints HRI with, antialiased, each character centred in its 0.6 em cell.
 */

import { deflateSync } from 'node:zlib';
import { hriGlyph } from '@rxtrace/gs1/barcode';
import { CHAR_ADVANCE, type Drawing, moduleRects, symbolSize } from './drawing.ts';

/** A greyscale image, one byte a pixel (0 black, 255 white), row-major. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** Encodes a greyscale image as PNG; `dpi` is written in a pHYs chunk when given. */
export function encodeGreyPng(img: GreyImage, dpi?: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, img.width);
  dv.setUint32(4, img.height);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit, greyscale, deflate, adaptive filtering, no interlace
  const raw = new Uint8Array((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (img.width + 1)] = 0; // filter: none
    raw.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  }
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    const phys = new Uint8Array(9);
    const ppm = Math.round(dpi / 0.0254);
    new DataView(phys.buffer).setUint32(0, ppm);
    new DataView(phys.buffer).setUint32(4, ppm);
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function fillRect(img: GreyImage, x0: number, y0: number, x1: number, y1: number): void {
  const xa = Math.max(0, x0);
  const xb = Math.min(img.width, x1);
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    if (xb > xa) img.data.fill(0, y * img.width + xa, y * img.width + xb);
  }
}

let ocrbAdvance: number | undefined;

/** Rasterises a drawing at `dpi` dots per inch. */
export function rasterise(d: Drawing, dpi: number): GreyImage {
  const k = dpi / 25.4;
  const width = Math.max(1, Math.round(d.width * k));
  const height = Math.max(1, Math.round(d.height * k));
  const img: GreyImage = { width, height, data: new Uint8Array(width * height).fill(255) };
  for (const it of d.items) {
    if (it.kind === 'rect') {
      fillRect(
        img,
        Math.round(it.x * k),
        Math.round(it.y * k),
        Math.round((it.x + it.w) * k),
        Math.max(Math.round((it.y + it.h) * k), Math.round(it.y * k) + 1),
      );
    } else if (it.kind === 'symbol') {
      // Nearest whole pixel count, but never more than 2 % wider than asked: the layout sized the
      // quiet zones and margins for this X.
      const exact = it.module * k;
      const px = Math.max(1, Math.round(exact) <= exact * 1.02 ? Math.round(exact) : Math.floor(exact));
      const size = symbolSize(it);
      const cols = it.modules.kind === 'matrix' ? it.modules.cols : it.modules.length;
      const rowH = it.modules.kind === 'matrix' ? px : Math.round(it.barHeight * k);
      const rows = it.modules.kind === 'matrix' ? it.modules.rows : 1;
      // Keep the symbol's centre where the layout put it.
      const ox = Math.round((it.x + size.w / 2) * k - (cols * px) / 2);
      const oy = Math.round((it.y + size.h / 2) * k - (rows * rowH) / 2);
      for (const r of moduleRects(it.modules)) {
        fillRect(img, ox + r.x * px, oy + r.y * rowH, ox + (r.x + r.w) * px, oy + (r.y + r.h) * rowH);
      }
    } else {
      const em = it.size * k;
      ocrbAdvance ??= hriGlyph('0', 100).advance / 100;
      const glyphSize = (em * CHAR_ADVANCE) / ocrbAdvance;
      const cell = em * CHAR_ADVANCE;
      const baseline = Math.round(it.y * k);
      for (let i = 0; i < it.text.length; i++) {
        const ch = it.text[i]!;
        if (ch === ' ') continue;
        const g = hriGlyph(ch.charCodeAt(0) < 0x7f ? ch : '?', glyphSize);
        const penX = Math.round(it.x * k + i * cell + (cell - g.advance) / 2);
        const passes = it.bold ? [0, Math.max(1, Math.round(em * 0.06))] : [0];
        for (const dx of passes) {
          for (let gy = 0; gy < g.height; gy++) {
            const y = baseline - g.top + gy;
            if (y < 0 || y >= height) continue;
            for (let gx = 0; gx < g.width; gx++) {
              const x = penX + g.left + gx + dx;
              if (x < 0 || x >= width) continue;
              const cov = g.coverage[gy * g.width + gx]!;
              if (cov === 0) continue;
              const idx = y * width + x;
              img.data[idx] = Math.min(img.data[idx]!, 255 - cov);
            }
          }
        }
      }
    }
  }
  return img;
}

/** Renders a drawing as a PNG at `dpi` (default 300). */
export function drawingToPng(d: Drawing, dpi = 300): Uint8Array {
  return encodeGreyPng(rasterise(d, dpi), dpi);
}
