/** GS1 character sets (GS1 General Specifications, figure 7.11-1 / 7.11-2 / 7.11-3). */

/** Set 82: the characters an alphanumeric AI value may hold. */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
/** Set 39: upper case, digits and `#-/` (only AI 8010 CPID). */
export const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Set 64: the file-safe base64 alphabet plus `=` padding (only AI 8030 DIGSIG). */
export const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=';
/** Set 32: the alphabet of the `csumalpha` check character pairs. */
export const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}
const T82 = table(CSET82);
const T39 = table(CSET39);
const T64 = table(CSET64);

/** Index of the first character of `s` outside the set, or -1. */
function firstOutside(t: Uint8Array, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || t[c] === 0) return i;
  }
  return -1;
}

export const firstNonCset82 = (s: string, from?: number, to?: number) => firstOutside(T82, s, from, to);
export const firstNonCset39 = (s: string, from?: number, to?: number) => firstOutside(T39, s, from, to);
export const firstNonCset64 = (s: string, from?: number, to?: number) => firstOutside(T64, s, from, to);

export function firstNonDigit(s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

export const isDigits = (s: string): boolean => s.length > 0 && firstNonDigit(s) === -1;
export const isCset82 = (s: string): boolean => firstNonCset82(s) === -1;

/** The ASCII group separator a scanner sends for FNC1. */
export const GS = '\u001d';
