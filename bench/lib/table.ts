/** A plain-text table printer and number formats for benchmark reports. */

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

/** Renders rows under headers, padding every column to its widest cell. A `null` row is a rule. */
export function formatTable(
  columns: readonly (Column | string)[],
  rows: readonly (readonly string[] | null)[],
): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const widths = cols.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => (r ? (r[i] ?? '').length : 0))),
  );
  const cell = (s: string, i: number) => {
    const w = widths[i]!;
    return (cols[i]!.align ?? (i === 0 ? 'left' : 'right')) === 'left' ? s.padEnd(w) : s.padStart(w);
  };
  const line = (cells: readonly string[]) =>
    cols
      .map((_, i) => cell(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cols.map((c) => c.header)), rule, ...rows.map((r) => (r ? line(r) : rule))].join('\n');
}

/** 1234567 → "1,234,567"; keeps 3 significant digits below 1000. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

/** A ratio as "3.42x" (two decimals below 10, one below 100, none above). */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return r > 0 ? 'inf' : 'n/a';
  if (r >= 100) return `${Math.round(r)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/** Nanoseconds as "850 ns", "12.3 µs", "4.56 ms". */
export function formatNs(ns: number): string {
  if (ns < 1e3) return `${ns.toPrecision(3)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return 'n/a';
  return `${((100 * part) / whole).toFixed(1)}%`;
}
