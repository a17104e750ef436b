/**
 * A safe, streaming XML 1.0 tokenizer with namespaces, written for EPCIS documents.
 *
 * Safety first:
 * - No DTD processing at all. A `<!DOCTYPE …>` is rejected ({@link XML_CODES.doctype}); the only
 *   exception is the inert name-only form `<!DOCTYPE name>` (no external identifier, no internal
 *   subset), and only when the caller opts in with `allowInertDoctype` — it can declare nothing.
 * - No entities but the five predefined ones (`&lt; &gt; &amp; &apos; &quot;`) and numeric character
 *   references; `&anything;` else is an error. Nothing is ever fetched.
 * - Limits on nesting depth, number of elements, attributes per element, the length of any one text
 *   node / attribute value / comment / processing instruction, and the total input size. Each is
 *   checked while scanning, before anything beyond it is buffered, so hostile input (billion laughs,
 *   external entities, 10,000-deep nesting, endless text) is rejected in time and memory bounded by
 *   the limits.
 *
 * Streaming: {@link XmlTokenizer.write} takes chunks of any size; only an incomplete token is kept
 * between chunks. Each element is reported to the handler when its start tag is complete
 * (`open`), character data as it is read (`text`, entities decoded, CDATA included, line ends
 * normalised), and `close` at its end tag. Comments and processing instructions are skipped.
 *
 * Errors are thrown as {@link XmlError} (with line and column); handlers may throw it too, which
 * stops the tokenizer.
 */

export interface XmlLimits {
  /** Element nesting, the root counting 1. Default 64. */
  maxDepth: number;
  /** Elements in the whole document. Default 50,000,000. */
  maxElements: number;
  /** Attributes (namespace declarations included) on one element. Default 256. */
  maxAttributes: number;
  /** One text node between two tags, one attribute value, comment, CDATA section or PI, in characters. Default 1 Mi. */
  maxTextLength: number;
  /** The whole input, in characters (bytes for byte input). Default 1 GiB. */
  maxTotalLength: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 64,
  maxElements: 50_000_000,
  maxAttributes: 256,
  maxTextLength: 1024 * 1024,
  maxTotalLength: 1024 * 1024 * 1024,
});

/** Stable codes of the XML reader's well-formedness and safety errors. */
export const XML_CODES = Object.freeze({
  /** Not well-formed XML. */
  syntax: 'RX_EPCIS_XML_SYNTAX',
  /** The input ended inside the document. */
  truncated: 'RX_EPCIS_XML_TRUNCATED',
  /** A DOCTYPE declaration (DTDs are not processed). */
  doctype: 'RX_EPCIS_XML_DOCTYPE',
  /** An entity reference other than the five predefined ones. */
  entity: 'RX_EPCIS_XML_ENTITY',
  /** A namespace prefix that is not declared, or a bad namespace declaration. */
  namespace: 'RX_EPCIS_XML_NAMESPACE',
  /** Bytes that are not UTF-8 (or a declared encoding other than UTF-8 / UTF-16). */
  encoding: 'RX_EPCIS_XML_ENCODING',
  limitDepth: 'RX_EPCIS_LIMIT_DEPTH',
  limitElements: 'RX_EPCIS_XML_LIMIT_ELEMENTS',
  limitAttributes: 'RX_EPCIS_XML_LIMIT_ATTRIBUTES',
  limitText: 'RX_EPCIS_LIMIT_STRING_LENGTH',
  limitTotal: 'RX_EPCIS_LIMIT_DOCUMENT_SIZE',
});

export class XmlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlAttr {
  /** Namespace URI, '' for an unprefixed attribute. */
  ns: string;
  local: string;
  prefix: string;
  value: string;
}

export interface XmlElement {
  /** Namespace URI, '' for no namespace. */
  ns: string;
  local: string;
  prefix: string;
  /** The name as written (`prefix:local` or `local`). */
  qname: string;
  /** Attributes other than namespace declarations. */
  attrs: XmlAttr[];
  /** Namespace declarations on this element: prefix ('' = default) → URI. Empty array when none. */
  nsDecls: [string, string][];
  /** Position of `<` of the start tag (1-based line and column). */
  line: number;
  column: number;
  /** Line of the `>` that ends the start tag (what libxml2 reports as the element's line). */
  endLine: number;
  /** 1 for the root. */
  depth: number;
}

export interface XmlHandler {
  open(el: XmlElement): void;
  /** Character data; `ws` is true when it is white space only (text between tags, mostly). */
  text(text: string, ws: boolean): void;
  close(el: XmlElement): void;
}

export interface XmlTokenizerOptions {
  limits?: Partial<XmlLimits>;
  /** Accept (and skip) `<!DOCTYPE name>` with neither external identifier nor internal subset. Default false. */
  allowInertDoctype?: boolean;
  /** Input is bytes: an XML declaration naming an encoding other than UTF-8/UTF-16 is an error. */
  fromBytes?: boolean;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * Index of the first character XML 1.0 does not allow (C0 controls other than tab, LF, CR;
 * U+FFFE, U+FFFF), or -1.
 */
export function indexOfNonXmlChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 ? c !== 9 && c !== 10 && c !== 13 : c >= 0xfffe) return i;
  }
  return -1;
}
const hasNonXmlChar = (s: string): boolean => indexOfNonXmlChar(s) !== -1;

function isNameStart(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    c === 95 ||
    c === 58 ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7)
  );
}
function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 58) || // 0-9 and ':'
    c === 95 ||
    c === 45 ||
    c === 46 ||
    c === 0xb7 ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7)
  );
}
function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** True when `s` holds only XML white space (or nothing). */
export function isXmlWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWs(s.charCodeAt(i))) return false;
  return true;
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const INCOMPLETE = -1;

export class XmlTokenizer {
  readonly limits: XmlLimits;
  private readonly allowInertDoctype: boolean;
  private readonly fromBytes: boolean;
  private buf = '';
  private pos = 0;
  /** Where to resume the search for `<` when the previous run stopped inside text. */
  private textScanFrom = 0;
  private final = false;
  private total = 0;
  private elementCount = 0;
  // Line tracking: newlines before `lc` are counted in `line`; `nextNl` is the first `\n` at or after `lc` (-1: none in buf).
  private line = 1;
  private lineStart = 0;
  private lc = 0;
  private nextNl = -1;
  private readonly stack: XmlElement[] = [];
  // In-scope namespace bindings: parallel arrays, trimmed at each end tag.
  private readonly nsPrefixes: string[] = ['xml'];
  private readonly nsUris: string[] = [XML_NS];
  private readonly nsMarks: number[] = [];
  private rootSeen = false;
  private rootDone = false;
  private anySeen = false;

  constructor(
    private readonly handler: XmlHandler,
    opts: XmlTokenizerOptions = {},
  ) {
    this.limits = { ...DEFAULT_XML_LIMITS, ...opts.limits };
    this.allowInertDoctype = opts.allowInertDoctype ?? false;
    this.fromBytes = opts.fromBytes ?? false;
  }

  /** Current element depth (0 outside the root). */
  get depth(): number {
    return this.stack.length;
  }

  /** The namespace URI bound to `prefix` ('' = default namespace) in the current scope. */
  resolve(prefix: string): string | undefined {
    for (let i = this.nsPrefixes.length - 1; i >= 0; i--)
      if (this.nsPrefixes[i] === prefix) return this.nsUris[i];
    if (prefix === '') return '';
    return undefined;
  }

  /** All in-scope bindings, innermost last (prefix, URI). */
  bindings(): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 1; i < this.nsPrefixes.length; i++) out.push([this.nsPrefixes[i]!, this.nsUris[i]!]);
    return out;
  }

  /** Characters written so far. */
  get consumed(): number {
    return this.total;
  }

  /** Absolute character offset of the tag being reported (valid inside `open` / `close`). */
  tagOffset = 0;

  write(chunk: string): void {
    if (this.final) throw new XmlError(XML_CODES.syntax, 'write() after end()');
    this.total += chunk.length;
    if (this.total > this.limits.maxTotalLength)
      this.fail(
        XML_CODES.limitTotal,
        `the document is larger than the limit of ${this.limits.maxTotalLength} characters`,
        this.buf.length,
      );
    if (chunk.length === 0) return;
    const pos = this.pos;
    const oldLen = this.buf.length;
    if (pos >= oldLen) this.buf = chunk;
    else this.buf = this.buf.slice(pos) + chunk;
    this.lineStart -= pos;
    this.lc -= pos;
    this.textScanFrom = Math.max(0, this.textScanFrom - pos);
    this.nextNl =
      this.nextNl >= 0 ? this.nextNl - pos : this.buf.indexOf('\n', Math.max(this.lc, oldLen - pos));
    this.pos = 0;
    this.run();
  }

  end(): void {
    if (this.final) return;
    this.final = true;
    this.run();
    if (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      this.fail(
        XML_CODES.truncated,
        `the input ended inside element <${top.qname}> (opened at line ${top.line})`,
        this.buf.length,
      );
    }
    if (!this.rootSeen)
      this.fail(XML_CODES.truncated, 'no root element: the input holds no XML document', this.buf.length);
  }

  private advanceLines(to: number): void {
    const buf = this.buf;
    let nl = this.nextNl;
    while (nl !== -1 && nl < to) {
      this.line++;
      this.lineStart = nl + 1;
      nl = buf.indexOf('\n', nl + 1);
    }
    this.nextNl = nl;
    if (to > this.lc) this.lc = to;
  }

  private fail(code: string, message: string, at: number): never {
    this.advanceLines(at);
    throw new XmlError(code, message, this.line, at - this.lineStart + 1);
  }

  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    while (pos < len) {
      const lt = buf.indexOf('<', Math.max(pos, this.textScanFrom));
      if (lt === -1) {
        if (!this.final) {
          if (len - pos > this.limits.maxTextLength)
            this.fail(
              XML_CODES.limitText,
              `a text node is longer than the limit of ${this.limits.maxTextLength} characters`,
              pos,
            );
          this.textScanFrom = len;
          break;
        }
        this.charData(pos, len);
        pos = len;
        break;
      }
      this.textScanFrom = 0;
      if (lt > pos) {
        if (lt - pos > this.limits.maxTextLength)
          this.fail(
            XML_CODES.limitText,
            `a text node is longer than the limit of ${this.limits.maxTextLength} characters`,
            pos,
          );
        this.charData(pos, lt);
        pos = lt;
      }
      if (pos + 1 >= len) {
        if (this.final) this.fail(XML_CODES.truncated, 'the input ended inside a tag', pos);
        break;
      }
      const c = buf.charCodeAt(pos + 1);
      let next: number;
      if (c === 47) next = this.endTag(pos);
      else if (c === 33) next = this.markup(pos);
      else if (c === 63) next = this.pi(pos);
      else next = this.startTag(pos);
      if (next === INCOMPLETE) {
        if (this.final)
          this.fail(
            XML_CODES.truncated,
            'the input ended inside a tag, comment or processing instruction',
            pos,
          );
        if (len - pos > this.limits.maxTextLength + 64 * 1024)
          this.fail(
            XML_CODES.limitText,
            `a tag, comment or processing instruction is longer than the limit of ${this.limits.maxTextLength} characters`,
            pos,
          );
        break;
      }
      pos = next;
    }
    this.pos = pos;
  }

  private charData(a: number, b: number): void {
    const buf = this.buf;
    if (this.stack.length === 0) {
      for (let i = a; i < b; i++) {
        const c = buf.charCodeAt(i);
        if (!isWs(c)) {
          if (c === 0xfeff && i === 0 && !this.anySeen) continue;
          this.fail(
            XML_CODES.syntax,
            this.rootDone ? 'content after the root element' : 'text before the root element',
            i,
          );
        }
      }
      return;
    }
    // One pass: white space only? anything needing the slow path (&, CR, ']', characters XML forbids)?
    let ws = true;
    let special = false;
    for (let i = a; i < b; i++) {
      const c = buf.charCodeAt(i);
      if (c <= 32) {
        if (c !== 32 && c !== 10 && c !== 9) special = true;
      } else {
        ws = false;
        if (c === 38 || c === 93 || c >= 0xfffe) special = true;
      }
    }
    let s = buf.slice(a, b);
    if (special) {
      if (s.indexOf('&') !== -1) s = this.decode(s, a);
      else if (hasNonXmlChar(s)) this.badChar(s, a);
      if (s.indexOf('\r') !== -1) s = s.replace(/\r\n?/g, '\n');
      if (s.indexOf(']]>') !== -1)
        this.fail(XML_CODES.syntax, "']]>' is not allowed in text", a + s.indexOf(']]>'));
    }
    this.handler.text(s, ws);
  }

  private badChar(s: string, at: number): never {
    const i = indexOfNonXmlChar(s);
    const code = s.charCodeAt(i);
    this.fail(
      XML_CODES.syntax,
      `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
      at + i,
    );
  }

  /** Decodes entity and character references in `s` (which starts at buffer offset `at`). */
  private decode(s: string, at: number): string {
    let out = '';
    let last = 0;
    let amp = s.indexOf('&');
    while (amp !== -1) {
      const semi = s.indexOf(';', amp + 1);
      if (semi === -1 || semi - amp > 12)
        this.fail(
          XML_CODES.syntax,
          "'&' must start an entity or character reference ending in ';' (write &amp; for a literal '&')",
          at + amp,
        );
      const name = s.slice(amp + 1, semi);
      let rep: string;
      if (name === 'lt') rep = '<';
      else if (name === 'gt') rep = '>';
      else if (name === 'amp') rep = '&';
      else if (name === 'quot') rep = '"';
      else if (name === 'apos') rep = "'";
      else if (name.charCodeAt(0) === 35) {
        const hex = name.charCodeAt(1) === 120;
        const digits = name.slice(hex ? 2 : 1);
        const ok = digits.length > 0 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits);
        const cp = ok ? Number.parseInt(digits, hex ? 16 : 10) : Number.NaN;
        if (!ok || !isXmlChar(cp))
          this.fail(XML_CODES.syntax, `&${name}; is not a valid character reference`, at + amp);
        rep = String.fromCodePoint(cp);
      } else {
        this.fail(
          XML_CODES.entity,
          `unknown entity &${name}; — only &lt; &gt; &amp; &apos; &quot; and character references are allowed (no DTD, no custom or external entities)`,
          at + amp,
        );
      }
      const piece = s.slice(last, amp);
      if (hasNonXmlChar(piece)) this.badChar(piece, at + last);
      out += piece + rep;
      last = semi + 1;
      amp = s.indexOf('&', last);
    }
    const tail = s.slice(last);
    if (hasNonXmlChar(tail)) this.badChar(tail, at + last);
    return out + tail;
  }

  private scanName(i: number): number {
    const buf = this.buf;
    const len = buf.length;
    if (i >= len) return i;
    if (!isNameStart(buf.charCodeAt(i))) return i;
    i++;
    while (i < len && isNameChar(buf.charCodeAt(i))) i++;
    return i;
  }

  private startTag(lt: number): number {
    const buf = this.buf;
    const len = buf.length;
    const nameEnd = this.scanName(lt + 1);
    if (nameEnd === lt + 1)
      this.fail(XML_CODES.syntax, "'<' must start a tag (write &lt; for a literal '<')", lt);
    if (nameEnd >= len) return INCOMPLETE;
    if (this.rootDone) this.fail(XML_CODES.syntax, 'a second root element: a document has exactly one', lt);
    const qname = buf.slice(lt + 1, nameEnd);
    let rawNames: string[] | null = null;
    let rawValues: string[] | null = null;
    let i = nameEnd;
    let selfClosing = false;
    for (;;) {
      const wsStart = i;
      while (i < len && isWs(buf.charCodeAt(i))) i++;
      if (i >= len) return INCOMPLETE;
      const c = buf.charCodeAt(i);
      if (c === 62) {
        i++;
        break;
      }
      if (c === 47) {
        if (i + 1 >= len) return INCOMPLETE;
        if (buf.charCodeAt(i + 1) !== 62)
          this.fail(XML_CODES.syntax, `'/' in start tag <${qname}> must be followed by '>'`, i);
        selfClosing = true;
        i += 2;
        break;
      }
      if (i === wsStart)
        this.fail(XML_CODES.syntax, `white space is needed before an attribute in <${qname}>`, i);
      const an = this.scanName(i);
      if (an === i)
        this.fail(XML_CODES.syntax, `unexpected character '${buf[i]}' in start tag <${qname}>`, i);
      if (an >= len) return INCOMPLETE;
      const aname = buf.slice(i, an);
      i = an;
      while (i < len && isWs(buf.charCodeAt(i))) i++;
      if (i >= len) return INCOMPLETE;
      if (buf.charCodeAt(i) !== 61)
        this.fail(XML_CODES.syntax, `attribute ${aname} in <${qname}> needs '=' and a quoted value`, i);
      i++;
      while (i < len && isWs(buf.charCodeAt(i))) i++;
      if (i >= len) return INCOMPLETE;
      const q = buf.charCodeAt(i);
      if (q !== 34 && q !== 39)
        this.fail(XML_CODES.syntax, `the value of attribute ${aname} in <${qname}> must be quoted`, i);
      const close = buf.indexOf(q === 34 ? '"' : "'", i + 1);
      if (close === -1) {
        if (len - i > this.limits.maxTextLength)
          this.fail(
            XML_CODES.limitText,
            `an attribute value is longer than the limit of ${this.limits.maxTextLength} characters`,
            i,
          );
        return INCOMPLETE;
      }
      if (close - i - 1 > this.limits.maxTextLength)
        this.fail(
          XML_CODES.limitText,
          `an attribute value is longer than the limit of ${this.limits.maxTextLength} characters`,
          i,
        );
      let value = buf.slice(i + 1, close);
      if (value.indexOf('<') !== -1)
        this.fail(
          XML_CODES.syntax,
          `'<' is not allowed in attribute values (attribute ${aname})`,
          i + 1 + value.indexOf('<'),
        );
      if (value.indexOf('&') !== -1) value = this.decodeAttr(value, i + 1);
      else {
        if (hasNonXmlChar(value)) this.badChar(value, i + 1);
        if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
      }
      i = close + 1;
      if (rawNames === null) {
        rawNames = [aname];
        rawValues = [value];
      } else {
        if (rawNames.length >= this.limits.maxAttributes)
          this.fail(
            XML_CODES.limitAttributes,
            `element <${qname}> has more than ${this.limits.maxAttributes} attributes`,
            lt,
          );
        if (rawNames.includes(aname))
          this.fail(XML_CODES.syntax, `attribute ${aname} appears twice in <${qname}>`, lt);
        rawNames.push(aname);
        rawValues!.push(value);
      }
    }
    // A complete start tag: [lt, i).
    this.anySeen = true;
    this.advanceLines(lt);
    const line = this.line;
    const column = lt - this.lineStart + 1;
    this.advanceLines(i);
    const depth = this.stack.length + 1;
    if (depth > this.limits.maxDepth)
      throw new XmlError(
        XML_CODES.limitDepth,
        `elements are nested deeper than the limit of ${this.limits.maxDepth}`,
        line,
        column,
      );
    if (++this.elementCount > this.limits.maxElements)
      throw new XmlError(
        XML_CODES.limitElements,
        `the document has more than ${this.limits.maxElements} elements`,
        line,
        column,
      );

    // Namespace declarations first, then names.
    this.nsMarks.push(this.nsPrefixes.length);
    let nsDecls: [string, string][] = NO_DECLS;
    let attrs: XmlAttr[] = NO_ATTRS;
    if (rawNames !== null) {
      for (let k = 0; k < rawNames.length; k++) {
        const n = rawNames[k]!;
        if (n.charCodeAt(0) !== 120 || !(n === 'xmlns' || n.startsWith('xmlns:'))) continue;
        const v = rawValues![k]!;
        const p = n.length === 5 ? '' : n.slice(6);
        if (p === 'xmlns' || v === XMLNS_NS)
          throw new XmlError(
            XML_CODES.namespace,
            `the xmlns prefix and namespace cannot be declared (${n})`,
            line,
            column,
          );
        if (p === 'xml' ? v !== XML_NS : v === XML_NS)
          throw new XmlError(
            XML_CODES.namespace,
            `the xml prefix is bound to ${XML_NS} only (${n})`,
            line,
            column,
          );
        if (p !== '' && v === '')
          throw new XmlError(
            XML_CODES.namespace,
            `a prefix cannot be undeclared in XML 1.0 (${n}="")`,
            line,
            column,
          );
        if (p.indexOf(':') !== -1)
          throw new XmlError(XML_CODES.namespace, `bad namespace prefix in ${n}`, line, column);
        if (nsDecls === NO_DECLS) nsDecls = [];
        nsDecls.push([p, v]);
        this.nsPrefixes.push(p);
        this.nsUris.push(v);
      }
      for (let k = 0; k < rawNames.length; k++) {
        const n = rawNames[k]!;
        if (n.charCodeAt(0) === 120 && (n === 'xmlns' || n.startsWith('xmlns:'))) continue;
        const colon = n.indexOf(':');
        let a: XmlAttr;
        if (colon === -1) a = { ns: '', local: n, prefix: '', value: rawValues![k]! };
        else {
          const p = n.slice(0, colon);
          const local = n.slice(colon + 1);
          if (local.length === 0 || local.indexOf(':') !== -1 || colon === 0)
            throw new XmlError(
              XML_CODES.namespace,
              `attribute name ${n} is not a valid qualified name`,
              line,
              column,
            );
          const ns = this.resolve(p);
          if (ns === undefined || ns === '')
            throw new XmlError(
              XML_CODES.namespace,
              `namespace prefix '${p}' of attribute ${n} is not declared`,
              line,
              column,
            );
          a = { ns, local, prefix: p, value: rawValues![k]! };
          for (const b of attrs)
            if (b.ns === ns && b.local === local)
              throw new XmlError(
                XML_CODES.namespace,
                `attribute {${ns}}${local} appears twice in <${qname}>`,
                line,
                column,
              );
        }
        if (attrs === NO_ATTRS) attrs = [];
        attrs.push(a);
      }
    }
    const colon = qname.indexOf(':');
    let prefix = '';
    let local = qname;
    if (colon !== -1) {
      prefix = qname.slice(0, colon);
      local = qname.slice(colon + 1);
      if (colon === 0 || local.length === 0 || local.indexOf(':') !== -1)
        throw new XmlError(
          XML_CODES.namespace,
          `element name ${qname} is not a valid qualified name`,
          line,
          column,
        );
    }
    const ns = this.resolve(prefix);
    if (ns === undefined)
      throw new XmlError(
        XML_CODES.namespace,
        `namespace prefix '${prefix}' of element <${qname}> is not declared`,
        line,
        column,
      );
    const el: XmlElement = {
      ns,
      local,
      prefix,
      qname,
      attrs,
      nsDecls,
      line,
      column,
      endLine: this.line,
      depth,
    };
    this.rootSeen = true;
    this.tagOffset = this.total - len + lt;
    this.stack.push(el);
    this.handler.open(el);
    if (selfClosing) this.closeElement();
    return i;
  }

  private closeElement(): void {
    const el = this.stack.pop()!;
    const mark = this.nsMarks.pop()!;
    if (this.nsPrefixes.length !== mark) {
      this.nsPrefixes.length = mark;
      this.nsUris.length = mark;
    }
    if (this.stack.length === 0) this.rootDone = true;
    this.handler.close(el);
  }

  private decodeAttr(value: string, at: number): string {
    // Normalise white space before decoding: references to white space characters are kept as written.
    const raw = /[\t\n\r]/.test(value) ? value.replace(/\r\n|[\t\n\r]/g, ' ') : value;
    return this.decode(raw, at);
  }

  private endTag(lt: number): number {
    const buf = this.buf;
    const gt = buf.indexOf('>', lt + 2);
    if (gt === -1) return INCOMPLETE;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) this.fail(XML_CODES.syntax, 'an end tag without a matching start tag', lt);
    const q = top.qname;
    let j = lt + 2 + q.length;
    if (!buf.startsWith(q, lt + 2) || (j < gt && !isWs(buf.charCodeAt(j)))) {
      const got = buf.slice(lt + 2, gt).trim();
      this.fail(XML_CODES.syntax, `end tag </${got}> does not match start tag <${q}> (line ${top.line})`, lt);
    }
    while (j < gt && isWs(buf.charCodeAt(j))) j++;
    if (j !== gt) this.fail(XML_CODES.syntax, `unexpected content in end tag </${q}>`, j);
    this.tagOffset = this.total - buf.length + lt;
    this.closeElement();
    return gt + 1;
  }

  /** `<!…`: comment, CDATA section or DOCTYPE. */
  private markup(lt: number): number {
    const buf = this.buf;
    const len = buf.length;
    if (len - lt < 9 && !this.final) {
      // Not enough to tell `<!--`, `<![CDATA[` and `<!DOCTYPE` apart yet.
      const head = buf.slice(lt);
      if (
        !head.startsWith('<!--') &&
        ('<!--'.startsWith(head) || '<![CDATA['.startsWith(head) || '<!DOCTYPE'.startsWith(head))
      )
        return INCOMPLETE;
    }
    if (buf.startsWith('<!--', lt)) {
      const end = buf.indexOf('-->', lt + 4);
      if (end === -1) {
        if (len - lt > this.limits.maxTextLength)
          this.fail(
            XML_CODES.limitText,
            `a comment is longer than the limit of ${this.limits.maxTextLength} characters`,
            lt,
          );
        return INCOMPLETE;
      }
      if (end - lt > this.limits.maxTextLength)
        this.fail(
          XML_CODES.limitText,
          `a comment is longer than the limit of ${this.limits.maxTextLength} characters`,
          lt,
        );
      const dd = buf.indexOf('--', lt + 4);
      if (dd < end) this.fail(XML_CODES.syntax, "'--' is not allowed inside a comment", dd);
      this.anySeen = true;
      return end + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      if (this.stack.length === 0)
        this.fail(XML_CODES.syntax, 'a CDATA section outside the root element', lt);
      const end = buf.indexOf(']]>', lt + 9);
      if (end === -1) {
        if (len - lt > this.limits.maxTextLength)
          this.fail(
            XML_CODES.limitText,
            `a CDATA section is longer than the limit of ${this.limits.maxTextLength} characters`,
            lt,
          );
        return INCOMPLETE;
      }
      if (end - lt > this.limits.maxTextLength)
        this.fail(
          XML_CODES.limitText,
          `a CDATA section is longer than the limit of ${this.limits.maxTextLength} characters`,
          lt,
        );
      let s = buf.slice(lt + 9, end);
      if (hasNonXmlChar(s)) this.badChar(s, lt + 9);
      if (s.indexOf('\r') !== -1) s = s.replace(/\r\n?/g, '\n');
      this.handler.text(s, false);
      return end + 3;
    }
    if (buf.startsWith('<!DOCTYPE', lt)) return this.doctype(lt);
    this.fail(XML_CODES.syntax, "'<!' must start a comment or a CDATA section", lt);
  }

  private doctype(lt: number): number {
    const buf = this.buf;
    const message =
      'DOCTYPE declarations are not accepted: EPCIS documents need no DTD, and DTD processing (entity declarations, external entities) is disabled for safety';
    if (!this.allowInertDoctype || this.rootSeen) this.fail(XML_CODES.doctype, message, lt);
    // Inert form only: <!DOCTYPE name> (white space allowed), nothing else.
    let i = lt + 9;
    const len = buf.length;
    const ws0 = i;
    while (i < len && isWs(buf.charCodeAt(i))) i++;
    if (i >= len) return INCOMPLETE;
    if (i === ws0) this.fail(XML_CODES.doctype, message, lt);
    const ne = this.scanName(i);
    if (ne >= len) return INCOMPLETE;
    if (ne === i) this.fail(XML_CODES.doctype, message, lt);
    i = ne;
    while (i < len && isWs(buf.charCodeAt(i))) i++;
    if (i >= len) return INCOMPLETE;
    if (buf.charCodeAt(i) !== 62)
      this.fail(
        XML_CODES.doctype,
        `${message} (only the inert form <!DOCTYPE name>, without identifiers or internal subset, is tolerated)`,
        lt,
      );
    this.anySeen = true;
    return i + 1;
  }

  private pi(lt: number): number {
    const buf = this.buf;
    const end = buf.indexOf('?>', lt + 2);
    if (end === -1) {
      if (buf.length - lt > this.limits.maxTextLength)
        this.fail(
          XML_CODES.limitText,
          `a processing instruction is longer than the limit of ${this.limits.maxTextLength} characters`,
          lt,
        );
      return INCOMPLETE;
    }
    const ne = this.scanName(lt + 2);
    if (ne === lt + 2)
      this.fail(XML_CODES.syntax, "'<?' must start a processing instruction with a target name", lt);
    const target = buf.slice(lt + 2, ne);
    if (target.toLowerCase() === 'xml') {
      const abs = this.total - buf.length + lt;
      if (target !== 'xml' || this.anySeen || abs > 1 || (abs === 1 && buf.charCodeAt(lt - 1) !== 0xfeff))
        this.fail(XML_CODES.syntax, 'the XML declaration must be at the very beginning of the document', lt);
      const decl = buf.slice(ne, end);
      if (!/^\s+version\s*=\s*(["'])1\.\d+\1/.test(decl))
        this.fail(XML_CODES.syntax, 'the XML declaration needs version="1.0"', lt);
      const enc = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(decl)?.[2]?.toLowerCase();
      if (this.fromBytes && enc !== undefined && !/^(utf-?8|us-ascii|ascii|utf-?16(le|be)?)$/.test(enc))
        this.fail(XML_CODES.encoding, `encoding "${enc}" is not supported: send UTF-8`, lt);
    }
    this.anySeen = true;
    return end + 2;
  }
}

const NO_ATTRS: XmlAttr[] = [];
const NO_DECLS: [string, string][] = [];
Object.freeze(NO_ATTRS);
Object.freeze(NO_DECLS);

/**
 * Turns byte chunks into text for the tokenizer: UTF-8 (BOM skipped) or UTF-16 with a BOM. Invalid
 * UTF-8 throws an {@link XmlError} with code {@link XML_CODES.encoding}.
 */
export class XmlByteDecoder {
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private head: Uint8Array | null = null;
  bytes = 0;

  decode(chunk: Uint8Array, final = false): string {
    this.bytes += chunk.length;
    if (this.decoder === null) {
      const data = this.head ? concat(this.head, chunk) : chunk;
      if (data.length < 2 && !final) {
        this.head = data;
        return '';
      }
      this.head = null;
      let label = 'utf-8';
      if (data[0] === 0xff && data[1] === 0xfe) label = 'utf-16le';
      else if (data[0] === 0xfe && data[1] === 0xff) label = 'utf-16be';
      this.decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
      return this.run(data, final);
    }
    return this.run(chunk, final);
  }

  private run(data: Uint8Array, final: boolean): string {
    try {
      return this.decoder!.decode(data, { stream: !final });
    } catch {
      throw new XmlError(
        XML_CODES.encoding,
        'the input is not valid UTF-8 (or UTF-16 after a byte-order mark)',
      );
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
