/**
 * The slow path: a strict, iterative JSON checker that finds *where* a piece of JSON text is wrong.
 * It runs only after the fast path (the native `JSON.parse`) has refused a slice, or after the
 * cheap after-parse check has seen a duplicate member name or a number out of range — so its speed
 * does not matter, but its memory and time are linear and it never recurses.
 */
import { READ_CODES } from '../read-items.ts';

export interface JsonFault {
  /** Index (UTF-16 code units) in the checked text. */
  index: number;
  code: string;
  message: string;
}

const S_VALUE = 0; // a value is expected
const S_ARRAY_FIRST = 1; // after '[': a value or ']'
const S_KEY_FIRST = 2; // after '{': a member name or '}'
const S_KEY = 3; // after ',' in an object: a member name
const S_COLON = 4;
const S_AFTER = 5; // after a value
const S_END = 6; // after the top-level value

export function describeChar(c: number): string {
  if (c < 0x20 || c === 0x7f) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === 0xfeff) return 'byte-order mark U+FEFF';
  return `'${String.fromCharCode(c)}'`;
}

/**
 * Checks that `text` is exactly one JSON value and returns the first fault, or null. With
 * `duplicates`, a member name repeated within one object is a fault too. Numbers that do not fit a
 * double (`1e999`) are always faults.
 */
export function diagnoseJson(text: string, duplicates: boolean): JsonFault | null {
  const n = text.length;
  const stack: (Set<string> | null)[] = [];
  let state = S_VALUE;
  let i = 0;
  const fault = (index: number, message: string, code: string = READ_CODES.syntax): JsonFault => ({
    index,
    code,
    message,
  });

  while (true) {
    // whitespace
    while (i < n) {
      const w = text.charCodeAt(i);
      if (w === 0x20 || w === 0x0a || w === 0x0d || w === 0x09) i++;
      else break;
    }
    if (i >= n) {
      if (state === S_END) return null;
      return fault(
        n,
        stack.length
          ? 'the text ends inside an unclosed object or array'
          : 'the text ends where a value is expected',
        READ_CODES.truncated,
      );
    }
    const c = text.charCodeAt(i);
    switch (state) {
      case S_VALUE:
      case S_ARRAY_FIRST: {
        if (c === 0x5d && state === S_ARRAY_FIRST) {
          stack.pop();
          i++;
          state = stack.length ? S_AFTER : S_END;
          break;
        }
        if (c === 0x7b) {
          // objects are non-null entries; the shared empty set marks an object whose names are not checked
          stack.push(duplicates ? new Set() : EMPTY_SET);
          i++;
          state = S_KEY_FIRST;
          break;
        }
        if (c === 0x5b) {
          stack.push(null);
          i++;
          state = S_ARRAY_FIRST;
          break;
        }
        if (c === 0x22) {
          const r = scanString(text, i);
          if (typeof r !== 'number') return r;
          i = r;
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          const r = scanNumber(text, i);
          if (typeof r !== 'number') return r;
          i = r;
        } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
          const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
          if (!text.startsWith(word, i))
            return fault(i, `unexpected ${describeChar(c)}: not a JSON value (did you mean ${word}?)`);
          i += word.length;
        } else {
          return fault(i, `unexpected ${describeChar(c)} where a value is expected`);
        }
        state = stack.length ? S_AFTER : S_END;
        break;
      }
      case S_KEY_FIRST:
      case S_KEY: {
        if (c === 0x7d && state === S_KEY_FIRST) {
          stack.pop();
          i++;
          state = stack.length ? S_AFTER : S_END;
          break;
        }
        if (c !== 0x22) {
          return fault(
            i,
            c === 0x7d
              ? "a ',' is followed by '}': trailing commas are not JSON"
              : `unexpected ${describeChar(c)} where a member name (a string in double quotes) is expected`,
          );
        }
        const r = scanString(text, i);
        if (typeof r !== 'number') return r;
        const set = stack[stack.length - 1];
        if (duplicates && set && set !== EMPTY_SET) {
          const key = JSON.parse(text.slice(i, r)) as string;
          if (set.has(key))
            return fault(
              i,
              `duplicate member name ${JSON.stringify(key)} in one object`,
              READ_CODES.duplicateKey,
            );
          set.add(key);
        }
        i = r;
        state = S_COLON;
        break;
      }
      case S_COLON:
        if (c !== 0x3a) return fault(i, `unexpected ${describeChar(c)} after a member name: ':' expected`);
        i++;
        state = S_VALUE;
        break;
      case S_AFTER: {
        const top = stack[stack.length - 1];
        const inObject = top !== null;
        if (c === 0x2c) {
          i++;
          state = inObject ? S_KEY : S_VALUE;
          if (!inObject) {
            // a ',' directly followed by ']' is reported by S_VALUE as an unexpected ']'
            let j = i;
            while (
              j < n &&
              (text.charCodeAt(j) === 0x20 ||
                text.charCodeAt(j) === 0x0a ||
                text.charCodeAt(j) === 0x0d ||
                text.charCodeAt(j) === 0x09)
            )
              j++;
            if (j < n && text.charCodeAt(j) === 0x5d)
              return fault(j, "a ',' is followed by ']': trailing commas are not JSON");
          }
          break;
        }
        if ((inObject && c === 0x7d) || (!inObject && c === 0x5d)) {
          stack.pop();
          i++;
          state = stack.length ? S_AFTER : S_END;
          break;
        }
        return fault(
          i,
          `unexpected ${describeChar(c)} after ${inObject ? 'a member value' : 'an array element'}: ',' or '${inObject ? '}' : ']'}' expected`,
        );
      }
      case S_END:
        return fault(i, `unexpected ${describeChar(c)} after the end of the value`);
    }
  }
}

const EMPTY_SET: Set<string> = new Set();

/** Index after the closing quote, or a fault. */
function scanString(text: string, start: number): number | JsonFault {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) {
          const h = i + k < n ? text.charCodeAt(i + k) : -1;
          const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
          if (!hex)
            return {
              index: i,
              code: READ_CODES.syntax,
              message: 'bad \\u escape: four hexadecimal digits expected',
            };
        }
        i += 6;
        continue;
      }
      if (
        e === 0x22 ||
        e === 0x5c ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        i += 2;
        continue;
      }
      if (e < 0) break;
      return {
        index: i,
        code: READ_CODES.syntax,
        message: `bad escape '\\${String.fromCharCode(e)}' in a string (JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
      };
    }
    if (c < 0x20)
      return {
        index: i,
        code: READ_CODES.syntax,
        message: `${describeChar(c)} inside a string: control characters must be escaped`,
      };
    i++;
  }
  return { index: start, code: READ_CODES.truncated, message: 'unterminated string' };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Index after the number, or a fault (bad grammar, or out of the range of a double). */
function scanNumber(text: string, start: number): number | JsonFault {
  const n = text.length;
  let i = start;
  const bad = (message: string): JsonFault => ({ index: i, code: READ_CODES.syntax, message });
  if (text.charCodeAt(i) === 0x2d) i++;
  if (i >= n || !isDigit(text.charCodeAt(i))) return bad("a digit is expected after '-'");
  if (text.charCodeAt(i) === 0x30) {
    i++;
    if (i < n && isDigit(text.charCodeAt(i))) return bad('numbers must not have leading zeros');
  } else {
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n && text.charCodeAt(i) === 0x2e) {
    i++;
    if (i >= n || !isDigit(text.charCodeAt(i))) return bad("a digit is expected after '.'");
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n && (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45)) {
    i++;
    if (i < n && (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d)) i++;
    if (i >= n || !isDigit(text.charCodeAt(i))) return bad('a digit is expected in the exponent');
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (!Number.isFinite(Number(text.slice(start, i)))) {
    return {
      index: start,
      code: READ_CODES.numberRange,
      message: `number ${abbreviate(text.slice(start, i))} is out of the range of a double`,
    };
  }
  return i;
}

export function abbreviate(s: string, max = 40): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
