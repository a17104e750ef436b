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

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (months are 1-based here, 0-based in Date).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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
