/**
 * The GS1 mod-10 check digit (GS1 General Specifications 7.9.1): from the rightmost data digit
 * leftwards, weights 3,1,3,1…; check = (10 − sum mod 10) mod 10. It serves GTIN-8/12/13/14,
 * SSCC, GLN, GSRN, GSIN, and the numeric keys inside GDTI, GCN and GRAI.
 */
export function computeCheckDigit(digits: string): string {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new RangeError(`not a digit: ${JSON.stringify(digits[i])}`);
    sum += d * weight;
    weight = 4 - weight;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when `key` (all digits, last one the check digit) carries a correct mod-10 check digit. */
export function hasValidCheckDigit(key: string): boolean {
  if (key.length < 2 || !/^\d+$/.test(key)) return false;
  return computeCheckDigit(key.slice(0, -1)) === key[key.length - 1];
}

/** Appends the check digit to a key body. */
export function withCheckDigit(body: string): string {
  return body + computeCheckDigit(body);
}
