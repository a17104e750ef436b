/**
 * A small PDF 1.4 writer, enough for label sheets: pages of vector content drawn with filled
 * rectangles (`re f`) and text in the standard Type 1 fonts Courier and Courier-Bold (every PDF reader
 * has them; WinAnsiEncoding, so Latin-1 text prints), content streams Flate-compressed, a classic
 * cross-reference table with exact byte offsets, and an Info dictionary.
 */
import { deflateSync } from 'node:zlib';
import { type Drawing, moduleRects } from './drawing.ts';

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** Up to 3 decimals (1/1000 pt), no trailing zeros. */
const n = (v: number): string => {
  const s = v.toFixed(3);
  return s.replace(/\.?0+$/, '') || '0';
};

/** A PDF literal string: `\`, `(` and `)` escaped, bytes outside ASCII as octal escapes. */
export function pdfString(s: string): string {
  let out = '(';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\' || ch === '(' || ch === ')') out += `\\${ch}`;
    else if (c < 0x20 || c > 0x7e) out += `\\${(c > 0xff ? 0x3f : c).toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out})`;
}

/**
 * Content-stream operators drawing `d` with its top-left corner at (`xMm`, `yMm`) from the top-left
 * corner of a page `pageHeightMm` high (PDF's origin is bottom left, y up).
 */
export function drawingOps(d: Drawing, xMm: number, yMm: number, pageHeightMm: number): string {
  const X = (mm: number) => n((xMm + mm) * PT_PER_MM);
  const Y = (mm: number) => n((pageHeightMm - yMm - mm) * PT_PER_MM);
  const L = (mm: number) => n(mm * PT_PER_MM);
  const ops: string[] = ['q', '0 g'];
  for (const it of d.items) {
    if (it.kind === 'rect') ops.push(`${X(it.x)} ${Y(it.y + it.h)} ${L(it.w)} ${L(it.h)} re f`);
    else if (it.kind === 'symbol') {
      const mh = it.modules.kind === 'matrix' ? it.module : it.barHeight;
      for (const r of moduleRects(it.modules)) {
        ops.push(
          `${X(it.x + r.x * it.module)} ${Y(it.y + (r.y + r.h) * mh)} ${L(r.w * it.module)} ${L(r.h * mh)} re`,
        );
      }
      ops.push('f');
    } else {
      ops.push(
        `BT /${it.bold ? 'F2' : 'F1'} ${L(it.size)} Tf ${X(it.x)} ${Y(it.y)} Td ${pdfString(it.text)} Tj ET`,
      );
    }
  }
  ops.push('Q');
  return ops.join('\n');
}

export interface PdfPage {
  /** Page size, points. */
  width: number;
  height: number;
  /** Content stream operators (fonts F1 = Courier, F2 = Courier-Bold are available). */
  content: string;
}

export interface PdfInfo {
  title?: string;
  creationDate?: Date;
}

const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** Writes a PDF 1.4 file. */
export function writePdf(pages: readonly PdfPage[], info: PdfInfo = {}): Uint8Array {
  const chunks: Buffer[] = [];
  let length = 0;
  const offsets: number[] = [];
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    chunks.push(buf);
    length += buf.length;
  };
  // Object numbers: 1 catalog, 2 pages, 3 F1, 4 F2, 5 info, then per page: page, content.
  const objStart = (num: number) => {
    offsets[num] = length;
    push(`${num} 0 obj\n`);
  };
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const pageIds = pages.map((_, i) => 6 + 2 * i);
  objStart(1);
  push('<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  objStart(2);
  push(
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>\nendobj\n`,
  );
  objStart(3);
  push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>\nendobj\n');
  objStart(4);
  push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>\nendobj\n');
  objStart(5);
  const date = pdfDate(info.creationDate ?? new Date());
  push(
    `<< /Producer (rxtrace) /CreationDate (${date})${info.title ? ` /Title ${pdfString(info.title)}` : ''} >>\nendobj\n`,
  );
  pages.forEach((p, i) => {
    const id = pageIds[i]!;
    objStart(id);
    push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(p.width)} ${n(p.height)}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${id + 1} 0 R >>\nendobj\n`,
    );
    const stream = deflateSync(Buffer.from(p.content, 'latin1'));
    objStart(id + 1);
    push(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`);
    push(stream);
    push('\nendstream\nendobj\n');
  });
  const size = 6 + 2 * pages.length;
  const xref = length;
  let table = `xref\n0 ${size}\n0000000000 65535 f\r\n`;
  for (let i = 1; i < size; i++) table += `${String(offsets[i]).padStart(10, '0')} 00000 n\r\n`;
  push(table);
  push(`trailer\n<< /Size ${size} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = Buffer.concat(chunks, length);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
