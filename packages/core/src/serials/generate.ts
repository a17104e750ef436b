/**
 * Serial generators. Random serials: bytes from node:crypto (the OS CSPRNG), each byte mapped onto
 * the charset by rejection sampling — a byte at or above the largest multiple of the charset size
 * that fits in 256 is thrown away, so every character is exactly equally likely (no modulo bias).
 * The bytes come in bulk and the serials are cut from one ASCII buffer (every CSET 82 character is
 * one byte), so a million serials cost a few hundred milliseconds.
 */
import { randomFillSync } from 'node:crypto';
import { computeCheckDigit } from '@rxtrace/gs1';

export type Generator = (n: number) => string[];

/** `n` random serials: `prefix` + `length` characters of `charset`, without modulo bias. */
export function randomSerialGenerator(charset: string, length: number, prefix = ''): Generator {
  const size = charset.length;
  if (size < 2 || size > 256) throw new RangeError('a charset has 2 to 256 characters');
  const codes = Buffer.from(charset, 'latin1');
  const limit = 256 - (256 % size); // bytes below this map without bias
  // byte → character code (0: rejected byte), so the loop has no division.
  const table = new Uint8Array(256);
  for (let b = 0; b < limit; b++) table[b] = codes[b % size]!;
  return (n: number) => {
    const out: string[] = new Array(n);
    const per = prefix.length + length;
    const buf = Buffer.allocUnsafe(n * per);
    if (prefix) {
      const p = Buffer.from(prefix, 'latin1');
      for (let i = 0; i < n; i++) p.copy(buf, i * per);
    }
    // Expected bytes needed: n*length*256/limit; draw a little more, refill when short.
    const pool = Buffer.allocUnsafe(Math.min(1 << 20, Math.ceil((n * length * 256) / limit) + 64));
    randomFillSync(pool);
    let r = 0;
    for (let i = 0; i < n; i++) {
      let w = i * per + prefix.length;
      const end = w + length;
      while (w < end) {
        if (r === pool.length) {
          randomFillSync(pool);
          r = 0;
        }
        const c = table[pool[r++]!]!;
        if (c !== 0) buf[w++] = c;
      }
      out[i] = buf.toString('latin1', i * per, (i + 1) * per);
    }
    return out;
  };
}

/** Sequential serials: `prefix` + (start + i) zero-padded to `width`. */
export function sequentialFormatter(prefix: string, width: number, start: number): (i: number) => string {
  return (i) => prefix + String(start + i).padStart(width, '0');
}

/** SSCCs: extension digit + company prefix + serial reference (start + i) + check digit. */
export function ssccFormatter(
  extensionDigit: number,
  companyPrefix: string,
  width: number,
  start: number,
): (i: number) => string {
  const head = String(extensionDigit) + companyPrefix;
  return (i) => {
    const body = head + String(start + i).padStart(width, '0');
    return body + computeCheckDigit(body);
  };
}
