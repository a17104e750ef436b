/**
 * The shape of an Application Identifier definition, and a reader for the GS1 Barcode Syntax
 * Dictionary text format, so that the committed AI table can be checked against (or replaced by) a
 * newer dictionary release without code changes.
 */

export type ComponentType = 'N' | 'X' | 'Y' | 'Z';

export interface AiComponent {
  /** N digits, X set 82, Y set 39, Z set 64 (base64url). */
  type: ComponentType;
  min: number;
  max: number;
  /** Optional trailing component (written in `[ ]`). */
  optional: boolean;
  /** Names of the reference linters that must accept this component's slice. */
  linters: string[];
}

export interface AiDefinition {
  ai: string;
  /** Human title from the dictionary (`SERIAL`, `BATCH/LOT`, …). */
  title: string;
  /** Predefined total length: no FNC1 separator is needed after the value. */
  fixedLength: boolean;
  /** May appear as a GS1 Digital Link query-string data attribute. */
  dlDataAttr: boolean;
  components: AiComponent[];
  /**
   * Requisite rules: each inner array is one `req=` key (all keys must hold). A key holds when at
   * least one of its alternatives is present; an alternative is a `+`-joined group (all needed).
   * AI patterns may use `n` as a digit wildcard (`31nn`).
   */
  req: string[][][];
  /** AIs or patterns (`310n`) that must not appear with this AI. */
  ex: string[];
  /** Digital Link primary key: null when not a key; otherwise alternative qualifier sequences. */
  dlPrimaryKey: string[][] | null;
}

const COMPONENT_RE = /^(\[?)([NXYZ])(\.\.)?(\d+)(\]?)((?:,[a-z0-9]+)*)$/;

/** Reads one specification component such as `N14,csum,gcppos2`, `[X..17]` or `[N3],iso3166`. */
function parseComponent(tok: string): AiComponent | null {
  // The linter list follows the closing bracket of an optional component: `[N3],iso3166`.
  const m = COMPONENT_RE.exec(tok);
  if (!m) return null;
  const [, open, type, range, len, close, linters] = m;
  if (Boolean(open) !== Boolean(close)) return null;
  const n = Number(len);
  return {
    type: type as ComponentType,
    min: range ? 1 : n,
    max: n,
    optional: Boolean(open),
    linters: linters ? linters.slice(1).split(',') : [],
  };
}

export interface DictionaryParseError {
  line: number;
  message: string;
}

/** Parses the text of `gs1-syntax-dictionary.txt` into one definition per AI (ranges expanded). */
export function parseSyntaxDictionary(text: string): {
  entries: AiDefinition[];
  errors: DictionaryParseError[];
} {
  const entries: AiDefinition[] = [];
  const errors: DictionaryParseError[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln]!;
    if (/^\s*(#|$)/.test(raw)) continue;
    const hash = raw.indexOf('#');
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    const title = hash >= 0 ? raw.slice(hash + 1).trim() : '';
    const toks = body.trim().split(/\s+/);
    const aiTok = toks.shift()!;
    const range = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(aiTok);
    if (!range) {
      errors.push({ line: ln + 1, message: `bad AI ${aiTok}` });
      continue;
    }
    let fixedLength = false;
    let dlDataAttr = false;
    if (toks[0] && /^[*?]+$/.test(toks[0])) {
      const f = toks.shift()!;
      fixedLength = f.includes('*');
      dlDataAttr = f.includes('?');
    }
    const components: AiComponent[] = [];
    const req: string[][][] = [];
    const ex: string[] = [];
    let dlPrimaryKey: string[][] | null = null;
    let bad = false;
    for (const tok of toks) {
      if (tok.startsWith('req=')) {
        req.push(
          tok
            .slice(4)
            .split(',')
            .map((alt) => alt.split('+')),
        );
      } else if (tok.startsWith('ex=')) {
        ex.push(...tok.slice(3).split(','));
      } else if (tok === 'dlpkey') {
        dlPrimaryKey = [[]];
      } else if (tok.startsWith('dlpkey=')) {
        dlPrimaryKey = tok
          .slice(7)
          .split('|')
          .map((seq) => seq.split(','));
      } else {
        const c = parseComponent(tok);
        if (!c) {
          errors.push({ line: ln + 1, message: `bad component ${tok}` });
          bad = true;
          break;
        }
        components.push(c);
      }
    }
    if (bad) continue;
    const first = range[1]!;
    const last = range[2] ?? first;
    for (let v = Number(first); v <= Number(last); v++) {
      entries.push({
        ai: String(v).padStart(first.length, '0'),
        title,
        fixedLength,
        dlDataAttr,
        components: components.map((c) => ({ ...c, linters: [...c.linters] })),
        req,
        ex,
        dlPrimaryKey,
      });
    }
  }
  return { entries, errors };
}
