/**
 * Character rules of EPC URI components (EPC Tag Data Standard, "EPC URI" grammar and its escape
 * table). Only a few characters of a component are ever %-escaped, and each component kind has
 * its own fixed list; any other escape, or any other character, makes the URI invalid.
 */

/** A decoded component, or where and why it is not valid. */
export type Unescaped =
  | { ok: true; value: string }
  | { ok: false; index: number; length: number; code: string; message: string };

/**
 * GS3A3 components (serials, lots, extensions, asset references): the 82 characters of GS1 set 82.
 * 75 of them appear as they are; `" % & / < > ?` must be written %22 %25 %26 %2F %3C %3E %3F.
 */
const GS3A3_LITERAL = /^[A-Za-z0-9!'()*+,\-.:;=_]$/;
const GS3A3_ESCAPES: Readonly<Record<string, string>> = {
  '22': '"',
  '25': '%',
  '26': '&',
  '2F': '/',
  '3C': '<',
  '3E': '>',
  '3F': '?',
};

/** CPI component/part references: upper case, digits, `-`, and `/` `#` escaped as %2F %23 (GS1 set 39). */
const CPREF_LITERAL = /^[A-Z0-9-]$/;
const CPREF_ESCAPES: Readonly<Record<string, string>> = { '2F': '/', '23': '#' };

/** ADI part numbers and serials: upper case, digits, `-`, and `/` escaped as %2F. */
const ADI_LITERAL = CPREF_LITERAL;
const ADI_ESCAPES: Readonly<Record<string, string>> = { '2F': '/' };

export type ComponentAlphabet = 'gs3a3' | 'cpref' | 'adi';

const ALPHABETS: Record<
  ComponentAlphabet,
  { literal: RegExp; escapes: Readonly<Record<string, string>>; what: string }
> = {
  gs3a3: {
    literal: GS3A3_LITERAL,
    escapes: GS3A3_ESCAPES,
    what: 'GS1 character set 82 (with " % & / < > ? written %22 %25 %26 %2F %3C %3E %3F)',
  },
  cpref: {
    literal: CPREF_LITERAL,
    escapes: CPREF_ESCAPES,
    what: 'upper-case letters, digits, "-", %2F and %23',
  },
  adi: { literal: ADI_LITERAL, escapes: ADI_ESCAPES, what: 'upper-case letters, digits, "-" and %2F' },
};

/** Per alphabet: which ASCII characters stand as they are, and the escape of each escaped one. */
interface CharTable {
  literal: Uint8Array;
  escapeOf: (string | undefined)[];
}
function charTable(literal: RegExp, escapes: Readonly<Record<string, string>>): CharTable {
  const t: CharTable = { literal: new Uint8Array(128), escapeOf: new Array(128) };
  for (let c = 0; c < 128; c++) if (literal.test(String.fromCharCode(c))) t.literal[c] = 1;
  for (const [hex, ch] of Object.entries(escapes)) t.escapeOf[ch.charCodeAt(0)] = `%${hex}`;
  return t;
}
const TABLES: Record<ComponentAlphabet, CharTable> = {
  gs3a3: charTable(GS3A3_LITERAL, GS3A3_ESCAPES),
  cpref: charTable(CPREF_LITERAL, CPREF_ESCAPES),
  adi: charTable(ADI_LITERAL, ADI_ESCAPES),
};

/** Decodes one URI component of the given alphabet. Hex digits of an escape may be in either case. */
export function unescapeComponent(raw: string, alphabet: ComponentAlphabet): Unescaped {
  const a = ALPHABETS[alphabet];
  const t = TABLES[alphabet];
  // Fast path: nothing escaped, every character literal.
  let i = 0;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || t.literal[c] === 0) break;
  }
  if (i === raw.length) return { ok: true, value: raw };
  let out = raw.slice(0, i);
  for (; i < raw.length; i++) {
    const c = raw[i]!;
    const code = raw.charCodeAt(i);
    if (c === '%') {
      const hex = raw.slice(i + 1, i + 3).toUpperCase();
      const decoded = /^[0-9A-F]{2}$/.test(hex) ? a.escapes[hex] : undefined;
      if (decoded === undefined) {
        const shown = raw.slice(i, i + 3);
        return {
          ok: false,
          index: i,
          length: shown.length,
          code: 'RX_EPC_BAD_ESCAPE',
          message: `'${shown}' is not an escape allowed here; this part may only hold ${a.what}.`,
        };
      }
      out += decoded;
      i += 2;
    } else if (code < 128 && t.literal[code] === 1) {
      out += c;
    } else {
      const esc = code < 128 ? t.escapeOf[code] : undefined;
      const message = esc
        ? `'${c}' must be written ${esc} in an EPC URI.`
        : `'${c}' is not allowed here; this part may only hold ${a.what}.`;
      return { ok: false, index: i, length: 1, code: 'RX_EPC_BAD_CHARACTER', message };
    }
  }
  return { ok: true, value: out };
}

/** Encodes a decoded value for a URI component of the given alphabet (the inverse of {@link unescapeComponent}). */
export function escapeComponent(value: string, alphabet: ComponentAlphabet): string {
  const { escapeOf } = TABLES[alphabet];
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const e = code < 128 ? escapeOf[code] : undefined;
    if (e) {
      out += value.slice(from, i) + e;
      from = i + 1;
    }
  }
  return from === 0 ? value : out + value.slice(from);
}

/** Escapes a set-82 value (serial, lot, extension…) for an EPC URI: `A/B` → `A%2FB`. */
export const escapeGs3a3 = (value: string): string => escapeComponent(value, 'gs3a3');
