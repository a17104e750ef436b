/**
 * GS1 dates. Six-digit YYMMDD values take their century from a sliding window around the current
 * year (GS1 General Specifications 7.12): YY more than 50 years ahead belongs to the previous
 * century, more than 49 years behind to the next. DD = 00 (for AIs with the `yymmd0` linter)
 * means the last day of the month.
 */

/** Four-digit year of a two-digit year, relative to `currentYear`. */
export function expandYear(yy: number, currentYear: number): number {
  const diff = yy - (currentYear % 100);
  const century = Math.floor(currentYear / 100) * 100;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Proleptic Gregorian leap year rule. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-based), for any year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS[month - 1]!;
}

export interface Gs1Date {
  /** The digits as encoded. */
  raw: string;
  /** ISO calendar date `YYYY-MM-DD` (for DD = 00, the month's last day). */
  date: string;
  /** True when the encoded day was 00. */
  dayUnspecified: boolean;
}

/** Interprets YYMMDD (or YYYYMMDD); undefined when it is no calendar date. */
export function interpretDate(raw: string, currentYear: number): Gs1Date | undefined {
  let year: number;
  let rest: string;
  if (/^\d{6}$/.test(raw)) {
    year = expandYear(Number(raw.slice(0, 2)), currentYear);
    rest = raw.slice(2);
  } else if (/^\d{8}$/.test(raw)) {
    year = Number(raw.slice(0, 4));
    rest = raw.slice(4);
  } else return undefined;
  const month = Number(rest.slice(0, 2));
  let day = Number(rest.slice(2, 4));
  if (month < 1 || month > 12) return undefined;
  const last = daysInMonth(year, month);
  const dayUnspecified = day === 0;
  if (dayUnspecified) day = last;
  if (day > last) return undefined;
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { raw, date, dayUnspecified };
}
