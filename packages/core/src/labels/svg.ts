/**
 * SVG writer: the drawing in millimetres (`width="60mm"`, `viewBox` in mm), barcodes as one filled
 * path of rectangles each, text as `<text>` (vector, selectable) in a monospaced face with
 * `textLength` set, so the line takes the width the layout gave it whatever font the viewer picks.
 */
import { type Drawing, moduleRects, textWidth } from './drawing.ts';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** Up to 4 decimals, no trailing zeros. */
export const num = (v: number): string => {
  const s = v.toFixed(4);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

const FONT = "'OCR-B', 'OCR B', 'Courier New', Courier, monospace";

/** Renders a drawing as a standalone SVG document. */
export function drawingToSvg(d: Drawing): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(d.width)}mm" height="${num(d.height)}mm" viewBox="0 0 ${num(d.width)} ${num(d.height)}" role="img">`,
    `<title>${esc(d.title)}</title>`,
    `<rect x="0" y="0" width="${num(d.width)}" height="${num(d.height)}" fill="#ffffff"/>`,
  ];
  for (const it of d.items) {
    if (it.kind === 'rect') {
      out.push(
        `<rect x="${num(it.x)}" y="${num(it.y)}" width="${num(it.w)}" height="${num(it.h)}" fill="#000000"/>`,
      );
    } else if (it.kind === 'symbol') {
      const mh = it.modules.kind === 'matrix' ? it.module : it.barHeight;
      const path = moduleRects(it.modules)
        .map(
          (r) =>
            `M${num(it.x + r.x * it.module)} ${num(it.y + r.y * mh)}h${num(r.w * it.module)}v${num(r.h * mh)}h${num(-r.w * it.module)}z`,
        )
        .join('');
      out.push(
        `<path fill="#000000" shape-rendering="crispEdges" d="${path}"><desc>${esc(it.scanData.replaceAll('\u001d', '<GS>'))}</desc></path>`,
      );
    } else {
      out.push(
        `<text x="${num(it.x)}" y="${num(it.y)}" font-family="${FONT}" font-size="${num(it.size)}"${it.bold ? ' font-weight="bold"' : ''} textLength="${num(textWidth(it.text, it.size))}" lengthAdjust="spacingAndGlyphs" xml:space="preserve" fill="#000000">${esc(it.text)}</text>`,
      );
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
