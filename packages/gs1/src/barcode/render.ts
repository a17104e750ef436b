/**
 * Barcode rendering with bwip-js: GS1 DataMatrix (packs), GS1-128 (SSCC labels), and plain QR /
 * DataMatrix carrying a GS1 Digital Link URI.
 *
 * GS1 QR (`]Q3`) is deliberately not offered: bwip-js 4.11.4 doubles every `%` of GS1 QR data (the
 * escape the QR standard defines for alphanumeric mode only) also inside byte-mode segments, and
 * ZXing-C++ then reads `%%` back, e.g. value `ab%cd` scans as `ab%%cd`.
 *
 * How the data reaches bwip-js. GS1 AI data is never handed over in bracketed form, because a value
 * holding `(` or `)` would be split there (bwip-js#151, #307, #343). Instead the plain encoders
 * (`datamatrix`, `code128`) get the unbracketed element string with `parsefnc`: a leading `^FNC1`
 * puts the symbol in GS1 mode (`]d2`, `]C1`), a `^FNC1` follows every value whose AI
 * has no predefined length (except the last), and a literal `^` in a value is written `^^`. Where
 * separators go is decided by our own AI table (`fixedLength`, from the syntax dictionary), and
 * bwip-js linting is off (`dontlint`): checking the data is the job of the validation layer.
 *
 * Human readable text (HRI). bwip-js 4.11 (BWIPP 2026) draws text for 2D symbols too: `alttext`
 * with `textsplit` gives one line per element under a DataMatrix or QR symbol, in PNG and in SVG
 * alike (in SVG the glyphs are filled paths, so the file needs no font; the same text is also put in
 * the SVG `<title>`). GS1-128 gets one centred line under the bars.
 *
 * Errors are values: the functions return `Result`, never throw for bad input.
 */
import bwipjs from 'bwip-js';
import { lookupAi } from '../ai-table.ts';
import type { AiElement } from '../elements.ts';
import { type Gs1Problem, ok, problem, type Result } from '../errors.ts';

/** Symbols carrying GS1 AI data (FNC1 in first position). */
export type Gs1Symbology = 'gs1-datamatrix' | 'gs1-128';
/** Plain symbols carrying a GS1 Digital Link URI. */
export type DigitalLinkSymbology = 'dl-qr' | 'dl-datamatrix';
export type Symbology = Gs1Symbology | DigitalLinkSymbology;

/** What to put in a barcode: AI data for the GS1 symbologies, a URI for the Digital Link ones. */
export type BarcodeContent =
  | { symbology: Gs1Symbology; elements: readonly AiElement[] }
  | { symbology: DigitalLinkSymbology; uri: string };

export interface RenderOptions {
  /**
   * Size of one module (the narrowest bar, or one DataMatrix/QR cell): pixels in a PNG, user units
   * (CSS pixels) in an SVG. Default 4; at least 2 for the 2D symbols, 1 for GS1-128. PNG needs a whole
   * number, and for the 2D symbols an even one (bwip-js draws a 2D module as 2 of its units and scales
   * PNGs by whole factors only).
   */
  moduleSize?: number;
  /** Blank margin around the symbol, in modules. Defaults: GS1-128 10, DataMatrix 2, QR 4. */
  quietZone?: number;
  /**
   * Human readable text. `true`: the default text — one `(AI) value` line per element for the GS1
   * symbologies (all on one line for GS1-128), the URI for the Digital Link ones. An array: these
   * lines instead (for a Digital Link, typically the HRI of the AI data it carries). Default: none.
   */
  hri?: boolean | readonly string[];
  /** Text height, in modules. Default 5 for the 2D symbols and 10 for GS1-128. */
  textSize?: number;
  /** GS1-128 bar height, in modules. Default 64 (GS1 logistic label proportions: 31.75 mm at X = 0.495 mm). */
  barHeight?: number;
}

interface SymbologyInfo {
  bcid: string;
  gs1: boolean;
  twoD: boolean;
  quietZone: number;
  /** Symbology identifier a scanner sends for this symbol. */
  symbologyIdentifier: string;
}

const SYMBOLOGIES: Record<Symbology, SymbologyInfo> = {
  'gs1-datamatrix': { bcid: 'datamatrix', gs1: true, twoD: true, quietZone: 2, symbologyIdentifier: ']d2' },
  'gs1-128': { bcid: 'code128', gs1: true, twoD: false, quietZone: 10, symbologyIdentifier: ']C1' },
  'dl-qr': { bcid: 'qrcode', gs1: false, twoD: true, quietZone: 4, symbologyIdentifier: ']Q1' },
  'dl-datamatrix': { bcid: 'datamatrix', gs1: false, twoD: true, quietZone: 2, symbologyIdentifier: ']d1' },
};

/** bwip-js units per module: 2D symbols are drawn at 2 units per module, linear ones at 1. */
const unitsPerModule = (info: SymbologyInfo) => (info.twoD ? 2 : 1);

const AI_RE = /^\d{2,4}$/;
const GS = '\u001d';

/** Index of the first character outside printable ASCII (0x20–0x7E), or -1. */
function firstUnprintable(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return i;
  }
  return -1;
}

const describeChar = (s: string, i: number) => {
  const c = s.codePointAt(i) ?? 0;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** True when an FNC1 separator must follow the value of `ai` (when another element comes after it). */
function needsSeparator(ai: string): boolean {
  const def = lookupAi(ai);
  // An AI the dictionary does not know gets a separator: it is always safe to send one.
  return def ? !def.fixedLength : true;
}

function isGs1Content(c: BarcodeContent): c is { symbology: Gs1Symbology; elements: readonly AiElement[] } {
  return SYMBOLOGIES[c.symbology]?.gs1 === true;
}

/** Checks that the content can be put in a symbol at all: structure and encodable characters only. */
function checkContent(content: BarcodeContent): Gs1Problem[] {
  const problems: Gs1Problem[] = [];
  if (content === null || typeof content !== 'object' || !(content.symbology in SYMBOLOGIES)) {
    const got =
      content && typeof content === 'object'
        ? String((content as { symbology?: unknown }).symbology)
        : String(content);
    return [
      problem(
        'RX_BARCODE_BAD_SYMBOLOGY',
        `Unknown barcode type '${got}': use one of ${Object.keys(SYMBOLOGIES).join(', ')}.`,
      ),
    ];
  }
  if (isGs1Content(content)) {
    const elements = content.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      return [
        problem('RX_BARCODE_EMPTY', 'There is no AI data to put in the barcode: the element list is empty.'),
      ];
    }
    for (const el of elements as readonly AiElement[]) {
      const ai = typeof el?.ai === 'string' ? el.ai : '';
      const value = typeof el?.value === 'string' ? el.value : undefined;
      if (!AI_RE.test(ai)) {
        problems.push(
          problem(
            'RX_BARCODE_BAD_AI',
            `'${String(el?.ai)}' is not an Application Identifier (2 to 4 digits).`,
            {
              ...(ai ? { ai } : {}),
            },
          ),
        );
        continue;
      }
      if (value === undefined || value === '') {
        problems.push(problem('RX_BARCODE_EMPTY_VALUE', `AI (${ai}) has no value to encode.`, { ai }));
        continue;
      }
      const bad = firstUnprintable(value);
      if (bad >= 0) {
        problems.push(
          problem(
            'RX_BARCODE_UNENCODABLE_CHARACTER',
            `The value of AI (${ai}) holds character ${describeChar(value, bad)} at position ${bad + 1}, which cannot be encoded as GS1 AI data.`,
            { ai, position: bad, length: 1 },
          ),
        );
      }
    }
    return problems;
  }
  const uri = (content as { uri?: unknown }).uri;
  if (typeof uri !== 'string' || uri === '') {
    return [problem('RX_BARCODE_EMPTY', 'There is no Digital Link URI to put in the barcode: it is empty.')];
  }
  const bad = firstUnprintable(uri);
  if (bad >= 0) {
    problems.push(
      problem(
        'RX_BARCODE_UNENCODABLE_CHARACTER',
        `The URI holds character ${describeChar(uri, bad)} at position ${bad + 1}; percent-encode it (a URI in a barcode is plain ASCII).`,
        { position: bad, length: 1 },
      ),
    );
  }
  return problems;
}

/** The unbracketed element string with ASCII GS for each FNC1 separator (no leading FNC1). */
function elementString(
  elements: readonly AiElement[],
  sep: string,
  escapeValue: (v: string) => string,
): string {
  let out = '';
  elements.forEach((el, i) => {
    out += el.ai + escapeValue(el.value);
    if (i < elements.length - 1 && needsSeparator(el.ai)) out += sep;
  });
  return out;
}

/**
 * The scan data a scanner should transmit for this content: symbology identifier, then the data
 * with ASCII GS for FNC1 separators. Useful to verify a printed label against what was meant.
 */
export function expectedScanData(content: BarcodeContent): Result<string> {
  const problems = checkContent(content);
  if (problems.length) return { ok: false, errors: problems };
  const info = SYMBOLOGIES[content.symbology];
  const data = isGs1Content(content)
    ? elementString(content.elements, GS, (v) => v)
    : (content as { uri: string }).uri;
  return ok(info.symbologyIdentifier + data);
}

/** The HRI lines for the content (`(01) 09506000134376`, …), or the URI for a Digital Link. */
export function hriLines(content: BarcodeContent): string[] {
  if (isGs1Content(content)) return content.elements.map((el) => `(${el.ai}) ${el.value}`);
  return [(content as { uri: string }).uri];
}

type BwipOptions = bwipjs.RenderOptions & Record<string, unknown>;

function checkNumber(
  name: string,
  v: unknown,
  min: number,
  max: number,
  integer: boolean,
  problems: Gs1Problem[],
): number | undefined {
  if (v === undefined) return undefined;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    problems.push(
      problem(
        'RX_BARCODE_BAD_OPTION',
        `Option ${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${String(v)}.`,
      ),
    );
    return undefined;
  }
  return v;
}

/** Builds the bwip-js options, or the problems with the content or the options. */
export function bwipOptions(
  content: BarcodeContent,
  options: RenderOptions,
  png: boolean,
): Result<BwipOptions> {
  const problems = checkContent(content);
  if (problems.length) return { ok: false, errors: problems };
  const info = SYMBOLOGIES[content.symbology];
  const upm = unitsPerModule(info);
  const opts = options ?? {};

  // bwip-js replaces a scale below 1 by its default 2, so a module is at least 1 bwip-js unit.
  const moduleSize = checkNumber('moduleSize', opts.moduleSize, upm, 100, png, problems) ?? 4;
  if (png && info.twoD && moduleSize % 2 !== 0 && opts.moduleSize !== undefined) {
    problems.push(
      problem(
        'RX_BARCODE_BAD_OPTION',
        `Option moduleSize must be even for a ${content.symbology} PNG (bwip-js draws a 2D module as 2 units and scales PNGs by whole factors), not ${moduleSize}.`,
      ),
    );
  }
  const quietZone = checkNumber('quietZone', opts.quietZone, 0, 100, true, problems) ?? info.quietZone;
  const textSize = checkNumber('textSize', opts.textSize, 1, 12, false, problems) ?? (info.twoD ? 5 : 10);
  const barHeight = checkNumber('barHeight', opts.barHeight, 1, 1000, false, problems) ?? 64;

  let lines: string[] = [];
  if (opts.hri === true) lines = hriLines(content);
  else if (Array.isArray(opts.hri)) {
    lines = [...opts.hri];
    lines.forEach((l, i) => {
      const bad = typeof l === 'string' ? firstUnprintable(l) : 0;
      if (bad >= 0) {
        problems.push(
          problem(
            'RX_BARCODE_BAD_OPTION',
            `HRI line ${i + 1} must be printable ASCII text${typeof l === 'string' ? `; it holds ${describeChar(l, bad)} at position ${bad + 1}` : ''}.`,
          ),
        );
      }
    });
  } else if (opts.hri !== undefined && opts.hri !== false) {
    problems.push(
      problem('RX_BARCODE_BAD_OPTION', 'Option hri must be true, false or an array of text lines.'),
    );
  }
  if (problems.length) return { ok: false, errors: problems };

  const text = isGs1Content(content)
    ? `^FNC1${elementString(content.elements, '^FNC1', (v) => v.replaceAll('^', '^^'))}`
    : (content as { uri: string }).uri;

  const scale = moduleSize / upm;
  const b: BwipOptions = {
    bcid: info.bcid,
    text,
    scale,
    padding: quietZone * upm,
    backgroundcolor: 'FFFFFF',
    barcolor: '000000',
    dontlint: true,
  };
  if (info.gs1) b.parsefnc = true;
  if (!info.twoD) b.height = (barHeight * 25.4) / 72; // bwip-js takes mm; 1 linear module = 1 pt
  if (lines.length) {
    const sizePt = textSize * upm;
    if (info.twoD) {
      b.alttext = lines.join('\n');
      b.textsplit = '\n';
      b.textxalign = 'left';
      b.textyalign = 'below';
      // Keep the quiet zone under the symbol free of text.
      b.textyoffset = -quietZone * upm;
      b.textlinegaps = 1.2;
    } else {
      b.alttext = lines.join('  ');
      b.textxalign = 'center';
      b.textyalign = 'below';
    }
    b.textsize = Math.min(sizePt, 24.9);
    b.includetext = true;
  }
  return ok(b);
}

function renderFailure(e: unknown): Result<never> {
  const msg = e instanceof Error ? e.message : String(e);
  if (/NoValidSymbol|TooLong|too long|exceed|capacity/i.test(msg)) {
    return {
      ok: false,
      errors: [
        problem('RX_BARCODE_DATA_TOO_LONG', `The data does not fit in this barcode type (bwip-js: ${msg}).`),
      ],
    };
  }
  return {
    ok: false,
    errors: [problem('RX_BARCODE_RENDER_FAILED', `The barcode could not be drawn (bwip-js: ${msg}).`)],
  };
}

const xmlEscape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/**
 * Renders the content as an SVG document (a string) on a white background, with explicit width and
 * height, and a `<title>` giving the HRI (or the URI) for screen readers.
 */
export function renderSvg(content: BarcodeContent, options: RenderOptions = {}): Result<string> {
  const o = bwipOptions(content, options, false);
  if (!o.ok) return o;
  let svg: string;
  try {
    svg = bwipjs.toSVG(o.value);
  } catch (e) {
    return renderFailure(e);
  }
  const title = xmlEscape(hriLines(content).join(' '));
  const out = svg.replace(
    /^<svg viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)" xmlns="http:\/\/www.w3.org\/2000\/svg">/,
    (_m, w: string, h: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img"><title>${title}</title>`,
  );
  return ok(out);
}

/** Renders the content as a PNG image (RGBA, opaque white background). Asynchronous because bwip-js compresses with zlib. */
export async function renderPng(
  content: BarcodeContent,
  options: RenderOptions = {},
): Promise<Result<Uint8Array>> {
  const o = bwipOptions(content, options, true);
  if (!o.ok) return o;
  try {
    const buf = await bwipjs.toBuffer(o.value);
    return ok(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    return renderFailure(e);
  }
}
