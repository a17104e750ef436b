/**
 * GS1 Company Prefix length. It cannot be derived from a key: GS1 publishes a prefix → length
 * table. rxtrace takes the length as an explicit input, or looks it up in such a table supplied
 * by the caller (this module parses its XML text; reading the file is the caller's business).
 */
import type { Result } from './errors.ts';

export interface GcpLengthTable {
  /** Longest-prefix length for the digits (0 = no GCP in this range), or undefined when unknown. */
  lengthFor(digits: string): number | undefined;
  readonly size: number;
  readonly date?: string;
}

/** Parses GS1's `GCPPrefixFormatList` XML (`<entry prefix="…" gcpLength="…"/>` rows). */
export function parseGcpLengthTable(xml: string): Result<GcpLengthTable> {
  const map = new Map<string, number>();
  let maxLen = 0;
  const re = /<entry\s+prefix="(\d+)"\s+gcpLength="(\d+)"\s*\/>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    map.set(m[1]!, Number(m[2]));
    if (m[1]!.length > maxLen) maxLen = m[1]!.length;
  }
  if (map.size === 0)
    return {
      ok: false,
      errors: [
        {
          code: 'RX_GCP_TABLE_EMPTY',
          message: 'No <entry prefix=… gcpLength=…/> rows were found in the GCP length table.',
        },
      ],
    };
  const date = /<GCPPrefixFormatList[^>]*date="([^"]+)"/.exec(xml)?.[1];
  return {
    ok: true,
    value: {
      size: map.size,
      ...(date ? { date } : {}),
      lengthFor(digits: string) {
        for (let l = Math.min(maxLen, digits.length); l >= 1; l--) {
          const v = map.get(digits.slice(0, l));
          if (v !== undefined) return v;
        }
        return undefined;
      },
    },
  };
}

/** The 13-digit view of a key used for GCP look-ups: drop a GTIN-14 indicator or SSCC extension digit. */
export function gcpLookupDigits(key: string): string {
  if (key.length === 14 || key.length === 18) return key.slice(1);
  if (key.length < 13) return key.padStart(13, '0');
  return key;
}

/** The GS1 Company Prefix of a GTIN/SSCC/GLN, or '' when the table says none or does not know. */
export function companyPrefixOf(key: string, table: GcpLengthTable): string {
  const digits = gcpLookupDigits(key);
  const len = table.lengthFor(digits);
  return len ? digits.slice(0, len) : '';
}
