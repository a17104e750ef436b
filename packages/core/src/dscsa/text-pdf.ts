/**
 * Readable text documents (TI/TS, FDA 3911 data, partner notices) as PDF, through the labels' PDF
 * writer (../labels/pdf.ts): A4 pages, Courier 9 pt (headings Courier-Bold 11 pt), long lines
 * wrapped, a page footer with the page number.
 */
import { type PdfPage, pdfString, writePdf } from '../labels/pdf.ts';

export interface TextLine {
  text: string;
  /** Heading (bold, larger, space before). */
  heading?: boolean;
  bold?: boolean;
}

const W = 595.28;
const H = 841.89;
const MARGIN = 42;
const SIZE = 9;
const LEAD = 11.5;
const COLS = Math.floor((W - 2 * MARGIN) / (SIZE * 0.6));

function wrap(text: string, cols: number): string[] {
  if (text.length <= cols) return [text];
  const out: string[] = [];
  const indent = /^\s*/.exec(text)![0];
  let rest = text;
  while (rest.length > cols) {
    let cut = rest.lastIndexOf(' ', cols);
    if (cut <= indent.length) cut = cols;
    out.push(rest.slice(0, cut).trimEnd());
    rest = indent + rest.slice(cut).trimStart();
  }
  if (rest.trim()) out.push(rest);
  return out;
}

/** A PDF of the lines, titled `title` (first line of page 1 and the document's Title). */
export function textPdf(title: string, lines: readonly TextLine[], at = new Date()): Uint8Array {
  const pages: string[] = [];
  let ops = '';
  let y = H - MARGIN;
  const flush = () => {
    pages.push(ops);
    ops = '';
    y = H - MARGIN;
  };
  const put = (text: string, font: 'F1' | 'F2', size: number) => {
    if (y < MARGIN + 2 * LEAD) flush();
    ops += `BT /${font} ${size} Tf ${MARGIN} ${y.toFixed(2)} Td ${pdfString(text)} Tj ET\n`;
    y -= size > SIZE ? LEAD + 3 : LEAD;
  };
  put(title, 'F2', 13);
  y -= 4;
  for (const l of lines) {
    if (l.heading) {
      y -= 5;
      if (y < MARGIN + 4 * LEAD) flush();
      put(l.text, 'F2', 11);
      continue;
    }
    if (l.text === '') {
      y -= LEAD / 2;
      continue;
    }
    for (const w of wrap(l.text, COLS)) put(w, l.bold ? 'F2' : 'F1', SIZE);
  }
  pages.push(ops);
  const out: PdfPage[] = pages.map((content, i) => ({
    width: W,
    height: H,
    content: `${content}BT /F1 8 Tf ${MARGIN} ${MARGIN / 2} Td ${pdfString(`${title} - page ${i + 1} of ${pages.length}`)} Tj ET\n`,
  }));
  return writePdf(out, { title, creationDate: at });
}
