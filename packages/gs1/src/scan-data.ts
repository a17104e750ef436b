/**
 * Scan data: what a barcode scanner transmits. It begins with an ISO/IEC 15424 symbology
 * identifier (`]d2` GS1 DataMatrix, `]Q3` GS1 QR, `]C1` GS1-128, `]e0` GS1 DataBar / composite,
 * `]J1` GS1 DotCode, `]E0`/`]E4` EAN-13 / EAN-8, `]d1` `]Q1` `]J0` plain data such as a Digital
 * Link), and carries FNC1 separators as ASCII GS.
 */
import { lookupAi } from './ai-table.ts';
import { GS } from './charsets.ts';
import { computeCheckDigit, hasValidCheckDigit } from './check-digit.ts';
import { parseUnbracketed } from './element-string.ts';
import type { Result } from './errors.ts';

export type Symbology =
  | 'DM'
  | 'QR'
  | 'DotCode'
  | 'GS1_128_CCA'
  | 'DataBarExpanded'
  | 'DataBarOmni'
  | 'DataBarLimited'
  | 'EAN13'
  | 'EAN8'
  | 'UPCA'
  | 'UPCE';

/** What the scan data said: the symbology, whether it is in GS1 mode, and the data in `^` notation. */
export interface ScanData {
  symbology: Symbology;
  symbologyIdentifier: string;
  /** True for GS1 AI data (`]d2`, `]Q3`, `]C1`, `]e0`, `]J1`, `]E0`, `]E4`). */
  gs1: boolean;
  /**
   * The content in GS1 Syntax Engine notation: GS1 data as `^…` with `^` for each FNC1; plain data
   * as is, except that a leading `^` (or `\…\^`) is escaped with one more backslash. EAN/UPC data
   * is the bare 8- or 13-digit number, followed by `|^…` for a composite component.
   */
  data: string;
}

const ID: Record<string, { symbology: Symbology; gs1: boolean } | undefined> = {
  ']d1': { symbology: 'DM', gs1: false },
  ']d2': { symbology: 'DM', gs1: true },
  ']Q1': { symbology: 'QR', gs1: false },
  ']Q3': { symbology: 'QR', gs1: true },
  ']J0': { symbology: 'DotCode', gs1: false },
  ']J1': { symbology: 'DotCode', gs1: true },
  ']C1': { symbology: 'GS1_128_CCA', gs1: true },
  ']e0': { symbology: 'DataBarExpanded', gs1: true },
  ']E0': { symbology: 'EAN13', gs1: true },
  ']E4': { symbology: 'EAN8', gs1: true },
};

const err = (code: string, message: string, position?: number): Result<never> => ({
  ok: false,
  errors: [{ code, message, ...(position === undefined ? {} : { position }) }],
});

const escapePlain = (s: string) => (/^\\*\^/.test(s) ? `\\${s}` : s);
const unescapePlain = (s: string) => (/^\\+\^/.test(s) ? s.slice(1) : s);
const gsToCaret = (s: string) => s.replaceAll(GS, '^');

// A module-level function, not a closure: this runs on every scan (see docs/performance.md).
function scanResult(
  known: { symbology: Symbology; gs1: boolean },
  sid: string,
  data: string,
): Result<ScanData> {
  return { ok: true, value: { symbology: known.symbology, symbologyIdentifier: sid, gs1: known.gs1, data } };
}

/** Splits scan data into its symbology and its content (see {@link ScanData}). */
export function processScanData(scan: string): Result<ScanData> {
  if (scan.length === 0) return err('RX_SCAN_EMPTY', 'The scan is empty.');
  if (scan.length < 3 || scan[0] !== ']') {
    return err(
      'RX_SCAN_NO_SYMBOLOGY_ID',
      'Scan data must start with a symbology identifier such as ]d2 (GS1 DataMatrix) or ]C1 (GS1-128).',
      0,
    );
  }
  const sid = scan.slice(0, 3);
  const known = ID[sid];
  if (!known) {
    const lower = sid.slice(0, 2).toLowerCase() + sid[2];
    const upper = sid.slice(0, 2).toUpperCase() + sid[2];
    const caps = ID[lower] ?? ID[upper];
    const hint = caps
      ? ` It looks like ${ID[lower] ? lower : upper} with the letter case swapped: check the scanner's Caps Lock or keyboard setting.`
      : '';
    return err(
      'RX_SCAN_UNKNOWN_SYMBOLOGY',
      `Unknown or unsupported symbology identifier '${sid}'.${hint}`,
      0,
    );
  }
  const body = scan.slice(3);
  if (!known.gs1) return scanResult(known, sid, escapePlain(body));
  if (known.symbology === 'EAN13' || known.symbology === 'EAN8') {
    const [primary = '', composite] = splitComposite(body);
    const len = known.symbology === 'EAN13' ? 13 : 8;
    if (primary.length !== len)
      return err(
        'RX_SCAN_BAD_EAN',
        `${known.symbology === 'EAN13' ? 'EAN-13/UPC-A' : 'EAN-8'} data must be ${len} digits, found ${primary.length}.`,
        3,
      );
    if (!/^\d+$/.test(primary))
      return err('RX_SCAN_BAD_EAN', `${known.symbology} data must be digits only.`, 3);
    if (!hasValidCheckDigit(primary))
      return err('GS1_LINTER_INCORRECT_CHECK_DIGIT', `The check digit of ${primary} is wrong.`, 3 + len - 1);
    if (composite === undefined) return scanResult(known, sid, primary);
    if (!composite.startsWith(']e0') || composite.length <= 3)
      return err('RX_SCAN_BAD_COMPOSITE', 'The composite component must start with ]e0 and hold AI data.');
    return scanResult(known, sid, `${primary}|^${gsToCaret(composite.slice(3))}`);
  }
  if (body.length === 0) return err('RX_SCAN_EMPTY_GS1', `The scan (${sid}) carries no GS1 data.`, 3);
  return scanResult(known, sid, `^${gsToCaret(body)}`);
}

function splitComposite(s: string): [string, string?] {
  const i = s.indexOf('|');
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

const GS1_ID: Partial<Record<Symbology | 'NONE', string>> = {
  DM: ']d2',
  QR: ']Q3',
  DotCode: ']J1',
  GS1_128_CCA: ']C1',
  DataBarExpanded: ']e0',
  DataBarOmni: ']e0',
  DataBarLimited: ']e0',
};
const PLAIN_ID: Partial<Record<Symbology, string>> = { DM: ']d1', QR: ']Q1', DotCode: ']J0' };

export interface GenerateScanOptions {
  /** For EAN/UPC: the data lacks its check digit, compute and add it. */
  addCheckDigit?: boolean;
}

/**
 * Builds the scan data a scanner would transmit for `data` (in `^` notation) in `symbology`.
 * Plain (non-`^`) data is allowed only for the 2D symbologies that also carry plain data.
 */
export function generateScanData(
  symbology: Symbology | 'NONE',
  data: string,
  opts: GenerateScanOptions = {},
): Result<string> {
  if (symbology === 'NONE') return err('RX_SCAN_NO_SYMBOLOGY', 'A symbology is needed to build scan data.');
  const [primary = '', composite] = splitComposite(data);
  if (composite !== undefined && !composite.startsWith('^'))
    return err('RX_SCAN_BAD_COMPOSITE', 'The composite component must be GS1 AI data starting with ^.');
  const compositeBody = composite === undefined ? undefined : composite.slice(1).replaceAll('^', GS);

  if (symbology === 'EAN13' || symbology === 'EAN8' || symbology === 'UPCA' || symbology === 'UPCE') {
    let digits = primary.startsWith('^01') ? primary.slice(3) : primary;
    const len = symbology === 'EAN8' ? 8 : symbology === 'EAN13' ? 13 : 12;
    if (opts.addCheckDigit) {
      if (!/^\d+$/.test(digits) || digits.length !== len - 1)
        return err('RX_SCAN_BAD_EAN', `With addCheckDigit the data must be ${len - 1} digits.`);
      digits += computeCheckDigit(digits);
    }
    if (!/^\d+$/.test(digits)) return err('RX_SCAN_BAD_EAN', `${symbology} data must be digits.`);
    // A GTIN-14 with leading zeros stands for the shorter GTIN of this symbology.
    if (digits.length === 14 && digits.startsWith('0'.repeat(14 - len))) digits = digits.slice(14 - len);
    if (digits.length !== len)
      return err('RX_SCAN_BAD_EAN', `${symbology} data must be a GTIN of ${len} digits.`);
    if (!hasValidCheckDigit(digits))
      return err(
        'GS1_LINTER_INCORRECT_CHECK_DIGIT',
        `The check digit of ${digits} is wrong (should be ${computeCheckDigit(digits.slice(0, -1))}).`,
      );
    const sid = symbology === 'EAN8' ? ']E4' : ']E0';
    const shown = symbology === 'UPCA' || symbology === 'UPCE' ? `0${digits}` : digits;
    return { ok: true, value: `${sid}${shown}${compositeBody === undefined ? '' : `|]e0${compositeBody}`}` };
  }

  if (primary.startsWith('^')) {
    const sid = composite !== undefined && symbology === 'GS1_128_CCA' ? ']e0' : GS1_ID[symbology];
    if (!sid) return err('RX_SCAN_UNSUPPORTED', `${symbology} cannot carry GS1 AI data here.`);
    let body = primary.slice(1).replaceAll('^', GS);
    if (compositeBody !== undefined) {
      // The composite follows the linear data; a separator is needed only after a variable-length AI.
      body += needsSeparatorAtEnd(primary) ? GS + compositeBody : compositeBody;
    }
    return { ok: true, value: sid + body };
  }
  if ((symbology === 'DataBarOmni' || symbology === 'DataBarLimited') && /^\d{14}$/.test(primary)) {
    return generateScanData(
      symbology,
      `^01${primary}${composite === undefined ? '' : `|${composite}`}`,
      opts,
    );
  }
  const plain = PLAIN_ID[symbology as Symbology];
  if (!plain || composite !== undefined)
    return err('RX_SCAN_NOT_GS1_DATA', `${symbology} carries only GS1 AI data, which must start with ^.`);
  return { ok: true, value: plain + unescapePlain(primary) };
}

function needsSeparatorAtEnd(linear: string): boolean {
  if (linear.endsWith('^')) return false;
  const r = parseUnbracketed(linear, { permitUnknownAIs: true, linters: false });
  if (!r.ok) return true;
  const last = r.value.elements[r.value.elements.length - 1];
  return !last || !lookupAi(last.ai)?.fixedLength;
}
