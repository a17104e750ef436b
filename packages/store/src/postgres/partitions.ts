/**
 * Which monthly partition of `events` a time belongs to. Partitions are per UTC month and named
 * `events_YYYY_MM`; the store creates a month's partition before the first append that needs it
 * (`rxtrace_ensure_event_partition`, see migrations.ts). A row whose month has no partition lands
 * in `events_default` and is moved out when that month's partition is created.
 */

/** First day of the UTC month of an ISO 8601 time, as `YYYY-MM-01`. */
export function monthStart(iso: string): string {
  // The store's convention is UTC with a `Z`; anything else goes through Date.
  if (iso.length >= 20 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45 && iso.endsWith('Z'))
    return `${iso.slice(0, 7)}-01`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${JSON.stringify(iso)}`);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) throw new Error(`time out of range: ${JSON.stringify(iso)}`);
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** The distinct months of these times. */
export function monthsOf(times: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const t of times) out.add(monthStart(t));
  return out;
}

/** Partition name of a month (`YYYY-MM-01` → `events_YYYY_MM`). */
export function partitionName(month: string): string {
  return `events_${month.slice(0, 4)}_${month.slice(5, 7)}`;
}
