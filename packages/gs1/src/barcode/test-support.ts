/**
 * Test helpers for the barcode tests (not exported by the package): a seeded random source, random
 * pharma pack identities, and a minimal PNG reader for the 8-bit RGBA images bwip-js writes, so that
 * tests can look at pixels and re-encode images as JPEG.
 */
import { inflateSync } from 'node:zlib';
import { CSET82 } from '../charsets.ts';
import { computeCheckDigit } from '../check-digit.ts';
import type { AiElement } from '../elements.ts';

/** mulberry32: a small deterministic PRNG, so a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: () => number, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const digits = (r: () => number, n: number) =>
  Array.from({ length: n }, () => String(int(r, 0, 9))).join('');
const pick = (r: () => number, s: string) => s[int(r, 0, s.length - 1)]!;

/** 1–20 characters of set 82; with `brackets`, at least one `(` and one `)` are mixed in. */
export function cset82Value(r: () => number, brackets: boolean): string {
  const len = int(r, brackets ? 2 : 1, 20);
  const chars = Array.from({ length: len }, () => pick(r, CSET82));
  if (brackets) {
    chars[int(r, 0, len - 1)] = '(';
    let j = int(r, 0, len - 1);
    while (chars[j] === '(' && len > 1) j = int(r, 0, len - 1);
    chars[j] = ')';
  }
  return chars.join('');
}

export const gtin14 = (r: () => number) => {
  const body = digits(r, 13);
  return body + computeCheckDigit(body);
};

export const sscc = (r: () => number) => {
  const body = digits(r, 17);
  return body + computeCheckDigit(body);
};

/** YYMMDD with DD = 00 allowed (no specific day). */
export const yymmdd = (r: () => number) =>
  digits(r, 2) + String(int(r, 1, 12)).padStart(2, '0') + String(int(r, 0, 28)).padStart(2, '0');

/** A pack identity: (01) first, then (17), (10), (21) in a random order. */
export function packIdentity(r: () => number, brackets: boolean): AiElement[] {
  const rest: AiElement[] = [
    { ai: '17', value: yymmdd(r) },
    { ai: '10', value: cset82Value(r, brackets) },
    { ai: '21', value: cset82Value(r, brackets) },
  ];
  for (let i = rest.length - 1; i > 0; i--) {
    const j = int(r, 0, i);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  return [{ ai: '01', value: gtin14(r) }, ...rest];
}

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reads an 8-bit RGBA, non-interlaced PNG (what bwip-js writes). Throws on anything else. */
export function readPngRgba(png: Uint8Array): Rgba {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (off < png.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0)
        throw new Error('only 8-bit RGBA non-interlaced PNGs');
    } else if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = data.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? row[x - 4]! : 0;
      const b = prev[x]!;
      const c = x >= 4 ? prev[x - 4]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = (src[x]! + pred) & 0xff;
    }
  }
  return { width, height, data };
}

/** Places images side by side on a white canvas, `gap` pixels apart. */
export function sideBySide(images: Rgba[], gap: number): Rgba {
  const width = images.reduce((w, im) => w + im.width, 0) + gap * (images.length + 1);
  const height = Math.max(...images.map((im) => im.height)) + 2 * gap;
  const data = new Uint8Array(width * height * 4).fill(255);
  let x0 = gap;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) {
      data.set(im.data.subarray(y * im.width * 4, (y + 1) * im.width * 4), ((y + gap) * width + x0) * 4);
    }
    x0 += im.width + gap;
  }
  return { width, height, data };
}

/**
 * A strict-enough XML well-formedness check for the SVG we produce: every tag is closed in order,
 * attributes are quoted and unique, and text holds no bare `<` or unknown `&` entity. Returns the
 * root element's name and attributes, or throws with the reason.
 */
export function checkXml(xml: string): { root: string; attrs: Record<string, string>; elements: string[] } {
  const stack: string[] = [];
  const elements: string[] = [];
  let root = '';
  let rootAttrs: Record<string, string> = {};
  const re = /<[^<>]*>|[^<]+/g;
  const text = xml.trim();
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) throw new Error(`stray '<' at ${consumed}`);
    consumed = m.index + m[0].length;
    const tok = m[0];
    if (!tok.startsWith('<')) {
      if (stack.length === 0 && tok.trim()) throw new Error('text outside the root element');
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(tok))
        throw new Error(`bare '&' in text: ${tok}`);
      continue;
    }
    if (tok.startsWith('<?') || tok.startsWith('<!--')) continue;
    const close = /^<\/([A-Za-z][\w:.-]*)\s*>$/.exec(tok);
    if (close) {
      if (stack.pop() !== close[1]) throw new Error(`unbalanced </${close[1]}>`);
      continue;
    }
    const open = /^<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>$/.exec(
      tok,
    );
    if (!open) throw new Error(`malformed tag ${tok.slice(0, 80)}`);
    const [, name, attrText, selfClose] = open;
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([A-Za-z][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attrs[a[1]!] = a[2] ?? a[3] ?? '';
    }
    if (stack.length === 0) {
      if (root) throw new Error('more than one root element');
      root = name!;
      rootAttrs = attrs;
    }
    elements.push(name!);
    if (!selfClose) stack.push(name!);
  }
  if (consumed !== text.length) throw new Error('trailing garbage');
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return { root, attrs: rootAttrs, elements };
}
