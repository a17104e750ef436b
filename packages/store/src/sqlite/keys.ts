/**
 * 52-bit integer keys of long strings (Event Hash IDs, eventIDs) for compact indexes. A key
 * selects candidate rows; the full string is always compared too, so a collision costs one extra
 * row read, never a wrong answer.
 *
 * The keys are stored in database files: this function must never change.
 */

/** A 52-bit (safe integer) hash of a string: two 32-bit multiplicative hashes, mixed. 0 for a non-string. */
export function key52(s: string): number {
  if (typeof s !== 'string') return 0;
  let a = 0x811c9dc5 | 0;
  let b = 0x2545f491 | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a ^= a >>> 15;
  a = Math.imul(a, 0x2c1b3c6d);
  a ^= a >>> 12;
  b ^= b >>> 13;
  b = Math.imul(b, 0x297a2d39);
  b ^= b >>> 16;
  return (a & 0xfffff) * 0x100000000 + (b >>> 0);
}
