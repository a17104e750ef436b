/**
 * The GS1 Barcode Syntax Dictionary's component linters. Each takes one component's slice of an AI
 * value and answers `GS1_LINTER_OK` or the reference error code, with the offending characters
 * located inside the slice (`position`, `length`).
 *
 * Every linter named in the dictionary is registered in {@link LINTERS} under its dictionary name.
 * Linters whose verdict depends on the reference year (two-digit years) use the reference linters'
 * year 2021 there; pass another year to {@link runLinter} or build a set with {@link createLinters}.
 */
import { cset39, cset64, cset82, csetnumeric, hasnondigit, hyphen, pcenc } from './character-sets.ts';
import { csum, csumalpha, gcppos1, gcppos2, iban } from './checksums.ts';
import { importeridx, mediatype, packagetype, winding, yesno } from './code-lists.ts';
import { couponcode, couponposoffer } from './coupons.ts';
import { hh, hhmi, mi, ss, yymmd0, yymmdd, yyyymmd0, yyyymmdd } from './dates-times.ts';
import { iso3166, iso3166alpha2, iso4217, iso5218, iso3166999 } from './iso-codes.ts';
import { latitude, longitude, nonzero, nozeroprefix, pieceoftotal, posinseqslash, zero } from './numbers.ts';
import type { Linter, LintResult, YearLinter } from './types.ts';

export * from './character-sets.ts';
export * from './checksums.ts';
export * from './code-lists.ts';
export * from './coupons.ts';
export * from './dates-times.ts';
export * from './iso-codes.ts';
export { LINTER_MESSAGES } from './messages.ts';
export * from './numbers.ts';
export { LINT_OK, type Linter, type LintResult, markHighlight, type YearLinter } from './types.ts';

/** Linters that take the reference year for two-digit years (its default: 2021). */
export const YEAR_LINTERS: Readonly<Record<string, YearLinter>> = Object.freeze({
  yymmd0,
  yymmdd,
  couponcode,
});

/** Every linter, by its dictionary name, with the default reference year. */
export const LINTERS: Record<string, Linter> = {
  // character sets of the component types N, X, Y, Z
  csetnumeric,
  cset82,
  cset39,
  cset64,
  hasnondigit,
  hyphen,
  pcenc,
  // check digits and company prefix
  csum,
  csumalpha,
  gcppos1,
  gcppos2,
  iban,
  // dates and times
  yymmd0: (v) => yymmd0(v),
  yymmdd: (v) => yymmdd(v),
  yyyymmd0,
  yyyymmdd,
  hh,
  mi,
  ss,
  hhmi,
  // code lists
  iso3166,
  iso3166999,
  iso3166alpha2,
  iso4217,
  iso5218,
  packagetype,
  mediatype,
  importeridx,
  winding,
  yesno,
  // numbers
  zero,
  nonzero,
  nozeroprefix,
  pieceoftotal,
  posinseqslash,
  latitude,
  longitude,
  // coupons
  couponcode: (v) => couponcode(v),
  couponposoffer,
};

/** The full linter set with two-digit years read around `referenceYear` (e.g. the current year). */
export function createLinters(referenceYear: number): Record<string, Linter> {
  const set: Record<string, Linter> = { ...LINTERS };
  for (const [name, l] of Object.entries(YEAR_LINTERS)) set[name] = (v) => l(v, referenceYear);
  return set;
}

const UNKNOWN_LINTER: LintResult = Object.freeze({ code: 'RX_UNKNOWN_LINTER' });

/**
 * Runs a named linter; an unknown name is reported (`RX_UNKNOWN_LINTER`), never ignored.
 * `referenceYear` (default 2021, as the reference linters) expands two-digit years.
 */
export function runLinter(name: string, value: string, referenceYear?: number): LintResult {
  if (referenceYear !== undefined && Object.hasOwn(YEAR_LINTERS, name))
    return YEAR_LINTERS[name]!(value, referenceYear);
  return Object.hasOwn(LINTERS, name) ? LINTERS[name]!(value) : UNKNOWN_LINTER;
}
