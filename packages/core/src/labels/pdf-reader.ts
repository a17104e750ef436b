/**
 * Test support (not exported): a strict reader for the PDFs {@link writePdf} produces — header,
 * cross-reference table (every offset must point at its `N 0 obj`), trailer, stream lengths, the
 * page tree — and an interpreter for the content-stream operators used (q Q g re f BT Tf Td Tj ET)
 * that rasterises the filled rectangles, so the barcodes can be decoded from what a reader draws.
 */
import { inflateSync } from 'node:zlib';
import type { GreyImage } from './png.ts';

export interface PdfText {
  font: string;
  size: number;
  x: number;
  y: number;
  text: string;
}

export interface PdfRect {
  x: number;
  y: number;
  w: number;
  h: number;
  gray: number;
}

export interface ParsedPage {
  width: number;
  height: number;
  rects: PdfRect[];
  texts: PdfText[];
}

export interface ParsedPdf {
  version: string;
  objects: Map<number, string>;
  pages: ParsedPage[];
  fonts: string[];
}

function fail(msg: string): never {
  throw new Error(`PDF: ${msg}`);
}

/** Reads a PDF literal string starting at `s[i] === '('`; returns the text and the index after it. */
function readString(s: string, i: number): [string, number] {
  let out = '';
  let depth = 0;
  for (i++; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const nx = s[i + 1]!;
      if (/[0-7]/.test(nx)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))![0];
        out += String.fromCharCode(Number.parseInt(m, 8));
        i += m.length;
      } else {
        out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[nx] ?? nx;
        i++;
      }
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (depth === 0) return [out, i + 1];
      depth--;
      out += c;
    } else out += c;
  }
  return fail('unterminated string');
}

function interpret(content: string, width: number, height: number): ParsedPage {
  const rects: PdfRect[] = [];
  const texts: PdfText[] = [];
  const stack: (number | string)[] = [];
  const path: Omit<PdfRect, 'gray'>[] = [];
  let gray = 0;
  const saved: number[] = [];
  let font = '';
  let size = 0;
  let tx = 0;
  let ty = 0;
  let inText = false;
  let i = 0;
  const nums = (k: number) => {
    if (stack.length < k) fail(`operator needs ${k} operands`);
    const v = stack.splice(stack.length - k, k);
    return v.map((x) => {
      if (typeof x !== 'number') fail(`expected a number, got ${x}`);
      return x;
    });
  };
  while (i < content.length) {
    const c = content[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      const [str, next] = readString(content, i);
      stack.push(`(${str}`);
      i = next;
      continue;
    }
    const m = /^(\/[^\s/()<>[\]]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z*'"]+)/.exec(content.slice(i, i + 64));
    if (!m) fail(`unexpected '${c}' in content stream at ${i}`);
    const tok = m[0];
    i += tok.length;
    if (tok.startsWith('/')) stack.push(tok);
    else if (/^[-+.\d]/.test(tok)) stack.push(Number(tok));
    else {
      switch (tok) {
        case 'q':
          saved.push(gray);
          break;
        case 'Q':
          gray = saved.pop() ?? fail('Q without q');
          break;
        case 'g':
          [gray] = nums(1) as [number];
          break;
        case 're': {
          const [x, y, w, h] = nums(4) as [number, number, number, number];
          path.push({ x, y, w, h });
          break;
        }
        case 'f':
          for (const r of path) rects.push({ ...r, gray });
          path.length = 0;
          break;
        case 'BT':
          if (inText) fail('nested BT');
          inText = true;
          tx = 0;
          ty = 0;
          break;
        case 'ET':
          if (!inText) fail('ET without BT');
          inText = false;
          break;
        case 'Tf': {
          [size] = nums(1) as [number];
          const f = stack.pop();
          if (typeof f !== 'string' || !f.startsWith('/')) fail('Tf needs a font name');
          font = f.slice(1);
          break;
        }
        case 'Td': {
          const [dx, dy] = nums(2) as [number, number];
          tx += dx;
          ty += dy;
          break;
        }
        case 'Tj': {
          if (!inText) fail('Tj outside BT/ET');
          const s = stack.pop();
          if (typeof s !== 'string' || !s.startsWith('(')) fail('Tj needs a string');
          texts.push({ font, size, x: tx, y: ty, text: s.slice(1) });
          break;
        }
        default:
          fail(`unknown operator ${tok}`);
      }
      if (stack.length) fail(`operands left over after ${tok}`);
    }
  }
  if (inText) fail('BT without ET');
  return { width, height, rects, texts };
}

/** Parses and checks the PDF structure; throws with the reason when something is off. */
export function readPdf(bytes: Uint8Array): ParsedPdf {
  const s = Buffer.from(bytes).toString('latin1');
  const header = /^%PDF-(\d\.\d)\n/.exec(s) ?? fail('no %PDF- header');
  if (!s.endsWith('%%EOF\n')) fail('no %%EOF at the end');
  const sx = /startxref\n(\d+)\n%%EOF\n$/.exec(s) ?? fail('no startxref');
  const xrefAt = Number(sx[1]);
  if (s.slice(xrefAt, xrefAt + 5) !== 'xref\n') fail(`startxref ${xrefAt} does not point at the xref table`);
  const sub = /^xref\n0 (\d+)\n/.exec(s.slice(xrefAt)) ?? fail('bad xref subsection header');
  const size = Number(sub[1]);
  let at = xrefAt + sub[0].length;
  const objects = new Map<number, string>();
  for (let n = 0; n < size; n++) {
    const entry = s.slice(at, at + 20);
    at += 20;
    const e =
      /^(\d{10}) (\d{5}) ([nf])\r\n$/.exec(entry) ??
      fail(`xref entry ${n} is not 20 bytes of 'oooooooooo ggggg n\\r\\n': ${JSON.stringify(entry)}`);
    if (n === 0) {
      if (e[3] !== 'f' || e[2] !== '65535') fail('xref entry 0 must be free with generation 65535');
      continue;
    }
    if (e[3] !== 'n') fail(`object ${n} is not in use`);
    const off = Number(e[1]);
    const head = `${n} 0 obj\n`;
    if (s.slice(off, off + head.length) !== head)
      fail(`xref offset ${off} of object ${n} points at ${JSON.stringify(s.slice(off, off + 12))}`);
    const end = s.indexOf('endobj\n', off);
    if (end < 0) fail(`object ${n} has no endobj`);
    objects.set(n, s.slice(off + head.length, end));
  }
  const trailer =
    /^trailer\n<<(.*)>>\nstartxref\n/.exec(s.slice(at)) ?? fail('no trailer right after the xref table');
  if (Number(/\/Size (\d+)/.exec(trailer[1]!)?.[1]) !== size)
    fail('trailer /Size differs from the xref table');
  const root = Number(/\/Root (\d+) 0 R/.exec(trailer[1]!)?.[1] ?? fail('no /Root'));
  const ref = (body: string, key: string) =>
    Number(new RegExp(`/${key} (\\d+) 0 R`).exec(body)?.[1] ?? fail(`no /${key}`));
  const obj = (n: number) => objects.get(n) ?? fail(`object ${n} missing`);
  const catalog = obj(root);
  if (!catalog.includes('/Type /Catalog')) fail('root is not a catalog');
  const pagesObj = obj(ref(catalog, 'Pages'));
  const kids = [
    ...(/\/Kids \[([^\]]*)\]/.exec(pagesObj)?.[1] ?? fail('no /Kids')).matchAll(/(\d+) 0 R/g),
  ].map((k) => Number(k[1]));
  if (Number(/\/Count (\d+)/.exec(pagesObj)?.[1]) !== kids.length) fail('/Count differs from /Kids');
  const fonts = new Set<string>();
  const pages = kids.map((k) => {
    const page = obj(k);
    if (!page.includes('/Type /Page ')) fail(`object ${k} is not a page`);
    const mb = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(page) ?? fail('no MediaBox');
    for (const f of page.matchAll(/\/F\d+ (\d+) 0 R/g)) {
      const font = obj(Number(f[1]));
      fonts.add(/\/BaseFont \/(\S+)/.exec(font)?.[1] ?? fail('font without /BaseFont'));
    }
    const contentObj = obj(ref(page, 'Contents'));
    const sm =
      /^<< \/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/.exec(contentObj) ??
      fail('bad stream dictionary');
    const len = Number(sm[1]);
    const data = contentObj.slice(sm[0].length, sm[0].length + len);
    if (contentObj.slice(sm[0].length + len) !== '\nendstream\n') fail(`stream /Length ${len} is wrong`);
    const content = inflateSync(Buffer.from(data, 'latin1')).toString('latin1');
    return interpret(content, Number(mb[1]), Number(mb[2]));
  });
  return { version: header[1]!, objects, pages, fonts: [...fonts] };
}

/** Rasterises the dark filled rectangles of a page at `pxPerPt` (y flipped to image rows). */
export function rasterisePage(page: ParsedPage, pxPerPt: number): GreyImage {
  const width = Math.round(page.width * pxPerPt);
  const height = Math.round(page.height * pxPerPt);
  const data = new Uint8Array(width * height).fill(255);
  for (const r of page.rects) {
    if (r.gray > 0.5) continue;
    const x0 = Math.max(0, Math.round(r.x * pxPerPt));
    const x1 = Math.min(width, Math.round((r.x + r.w) * pxPerPt));
    const y0 = Math.max(0, Math.round((page.height - r.y - r.h) * pxPerPt));
    const y1 = Math.min(height, Math.round((page.height - r.y) * pxPerPt));
    for (let y = y0; y < y1; y++) if (x1 > x0) data.fill(0, y * width + x0, y * width + x1);
  }
  return { width, height, data };
}
