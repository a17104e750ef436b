/**
 * The engine of the JSON document reader: a resumable scanner that walks the *skeleton* of an EPCIS
 * JSON-LD document (the document object, `epcisBody`, `queryResults`, `resultsBody`, the event
 * list) character by character, and cuts every other value — each header member, each event — out
 * of the text as one slice for the native `JSON.parse`.
 *
 * Inside a slice it tracks only what it needs to find where the slice ends: strings (found with the
 * native `String.prototype.indexOf`, escapes honoured), nesting (checked against the depth limit
 * before `JSON.parse` ever runs), and, for free, the number of `:` outside strings (= number of
 * object members, used to detect duplicate member names after parsing) and whether digits occur
 * outside strings (= whether a number could be out of range). Everything else — the grammar of the
 * slice — is `JSON.parse`'s job; when it refuses, a strict checker (`diagnose.ts`) finds where.
 *
 * Bytes are decoded with a streaming, fatal `TextDecoder` in slices of at most 1 MiB, so UTF-8
 * sequences split across chunks are joined and invalid UTF-8 is refused. Memory held: the current
 * slice of input, the text of the value being cut (bounded by the event / header / string limits)
 * and the header. The scanner is synchronous and pull-based: `feed` a chunk, then call `next` until
 * it returns null; each call returns at most one item, so a huge chunk never turns into a huge
 * backlog of events.
 */
import { Buffer } from 'node:buffer';
import type { EPCISEvent } from '../model.ts';
import {
  DEFAULT_READ_LIMITS,
  type EpcisDocumentHeader,
  type EpcisReadItem,
  type EpcisReadLimits,
  type EpcisReadProblem,
  READ_CODES,
} from '../read-items.ts';
import { abbreviate, describeChar, diagnoseJson } from './diagnose.ts';

export interface EpcisJsonReadOptions extends EpcisReadLimits {
  /**
   * `reject` (default): a member name repeated within one object is an error (RFC 8259 leaves the
   * meaning open; two `epcList`s in one event are a forgery risk). `allow`: the last one wins, as in
   * `JSON.parse`.
   */
  duplicateKeys?: 'reject' | 'allow';
}

// Skeleton frames
const F_ROOT = 0;
const F_BODY = 1;
const F_QUERY_RESULTS = 2;
const F_RESULTS_BODY = 3;

interface Frame {
  kind: number;
  obj: Record<string, unknown>;
  keys: Set<string>;
  pointer: string;
}

// Modes
const M_START = 0; // before the document: byte-order mark, whitespace, then '{'
const M_OBJ_FIRST = 1; // after '{' of a skeleton object: '"' or '}'
const M_OBJ_KEY = 2; // after ',' in a skeleton object: '"'
const M_COLON = 3;
const M_VALUE = 4; // after ':': the value of member `key`
const M_OBJ_NEXT = 5; // after a member: ',' or '}'
const M_LIST_FIRST = 6; // after '[' of the event list: '{' or ']'
const M_LIST_ELEM = 7; // after ',' in the event list: '{'
const M_LIST_NEXT = 8; // after an event: ',' or ']'
const M_CAPTURE = 9; // cutting out a value
const M_DONE = 10; // after the document: whitespace only
const M_FAILED = 11;

// What a capture is for
const T_KEY = 0;
const T_MEMBER = 1;
const T_EVENT = 2;

/** Bytes decoded at a time (bounds the text held for one chunk). */
const SLICE_BYTES = 1 << 20;
/** Hard ceiling on the depth limit: the after-parse check recurses once per level. */
const MAX_DEPTH_CEILING = 4096;

function isTokenChar(c: number): boolean {
  // characters of numbers and of true / false / null (and of typos of them, so that the slice
  // handed to JSON.parse is the whole bad token)
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === 0x2d ||
    c === 0x2b ||
    c === 0x2e
  );
}

/**
 * Counts the member names of all objects in a parsed value (for-in: no allocation; an enumerable
 * property added to Object.prototype by someone else would only make the count too high, which
 * sends the value to the exact checker, never lets a fault through); -1 if a number is not finite.
 */
function inspect(v: object, numbers: boolean): number {
  let k = 0;
  if (Array.isArray(v)) {
    for (let j = 0; j < v.length; j++) {
      const e: unknown = v[j];
      if (typeof e === 'object') {
        if (e !== null) {
          const r = inspect(e, numbers);
          if (r < 0) return r;
          k += r;
        }
      } else if (numbers && typeof e === 'number' && !Number.isFinite(e)) return -1;
    }
    return k;
  }
  const o = v as Record<string, unknown>;
  for (const key in o) {
    k++;
    const e = o[key];
    if (typeof e === 'object') {
      if (e !== null) {
        const r = inspect(e, numbers);
        if (r < 0) return r;
        k += r;
      }
    } else if (numbers && typeof e === 'number' && !Number.isFinite(e)) return -1;
  }
  return k;
}

function defineMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  // never `obj[key] = value`: a member named "__proto__" would replace the prototype
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.defineProperties({}, Object.getOwnPropertyDescriptors(o)) as Record<string, unknown>;
}

function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

const EMPTY_BYTES = new Uint8Array(0);

/** How many bytes at the end of `b` begin a UTF-8 sequence that `b` does not complete (0–3). */
export function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k] as number;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Byte offset of the first invalid UTF-8 sequence in `b`, or -1 (an incomplete tail counts when `final`). */
export function findInvalidUtf8(b: Uint8Array, final: boolean): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) {
      // the sequence runs past the end
      for (let k = 1; i + k < n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
      return final ? i : -1;
    }
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k] as number;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export class EpcisJsonScanner {
  // limits
  private readonly maxDocumentBytes: number;
  private readonly maxEventLength: number;
  private readonly maxHeaderLength: number;
  private readonly maxStringLength: number;
  private readonly maxDepth: number;
  private readonly maxEvents: number;
  private readonly rejectDuplicates: boolean;
  /** parseEpcisJson mode: keep events in their list, emit only the end (or an error) item. */
  private readonly collect: boolean;

  // input
  // never used in stream mode: Node's streaming decode leaves the fast (SIMD) path for good, so
  // UTF-8 sequences cut by a chunk boundary are carried over by hand
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private bytes: Uint8Array | null = null; // byte chunk being decoded slice by slice
  private bytePos = 0;
  private pendingString: string | null = null;
  private highSurrogateEnd = false; // the last string chunk ended with a high surrogate
  private utf8FaultAt = -1; // byte offset of invalid UTF-8 met while decoding, reported once the text before it is scanned
  private utf8FaultMessage = '';
  private consumed = 0; // bytes handed over so far
  private carry: Uint8Array = new Uint8Array(0); // an incomplete UTF-8 sequence at the end of the bytes so far
  private inputEnded = false;

  // the text being scanned
  private s = '';
  private i = 0;
  private sBase = 0; // absolute character offset of s[0]
  private sByte = 0; // absolute byte offset of s[0]
  private line = 1;
  private lineStart = 0; // absolute character offset of the current line's first character

  // skeleton
  private mode = M_START;
  private readonly frames: Frame[] = [];
  private depth = 0; // open objects / arrays of the skeleton (the event list included)
  private key = '';
  private listSeen = false;
  private listPointer = '';
  private list: unknown[] | null = null; // collect mode
  private eventCount = 0;
  private headerUsed = 0;
  private headerSent = false;
  private root: Record<string, unknown> | null = null;
  private out: EpcisReadItem | null = null;
  private finished = false;

  // the capture (a value being cut out)
  private capTarget = T_KEY;
  private capLimit = 0;
  private capParts: string[] = [];
  private capLen = 0; // characters in capParts
  private pieceStart = 0; // where the capture's text starts in `s`
  private capS = ''; // the text the capture started in, and where (for error offsets)
  private capIdx = 0;
  private capSByte = 0;
  private capAbs = 0;
  private capLine = 1;
  private capLineStart = 0;
  private capDepth = 0;
  private capColons = 0;
  private capDigits = false;
  private capInStr = false;
  private capEsc = false;
  private capStrLen = 0;
  private capStrStart = 0; // absolute character offset of the open string's quote
  private capToken = false;
  /** An array was stepped over on a guess (see `capture`); a failure means: scan again exactly. */
  private capSpec = false;
  /** This capture is the exact re-scan after a wrong guess: no guessing. */
  private capExact = false;
  // where the next '\\' and LF are in `s` (n: none), found once per text and reused
  private bsPos = -1;
  private nlPos = -1;

  constructor(opts: EpcisJsonReadOptions = {}, collect = false) {
    const pick = (v: number | undefined, d: number): number => (typeof v === 'number' && v >= 0 ? v : d);
    this.maxDocumentBytes = pick(opts.maxDocumentBytes, DEFAULT_READ_LIMITS.maxDocumentBytes);
    this.maxEventLength = pick(opts.maxEventLength, DEFAULT_READ_LIMITS.maxEventLength);
    this.maxHeaderLength = pick(opts.maxHeaderLength, DEFAULT_READ_LIMITS.maxHeaderLength);
    this.maxStringLength = pick(opts.maxStringLength, DEFAULT_READ_LIMITS.maxStringLength);
    this.maxDepth = Math.min(pick(opts.maxDepth, DEFAULT_READ_LIMITS.maxDepth), MAX_DEPTH_CEILING);
    this.maxEvents = pick(opts.maxEvents, DEFAULT_READ_LIMITS.maxEvents);
    this.rejectDuplicates = opts.duplicateKeys !== 'allow';
    this.collect = collect;
  }

  /** True once an error or the end item has been produced. */
  get done(): boolean {
    return this.mode === M_FAILED || this.finished;
  }

  /** Hands over the next chunk. Call `next()` until it returns null before feeding again. */
  feed(chunk: unknown): void {
    if (this.done) return;
    if (this.bytes !== null || this.pendingString !== null || this.i < this.s.length) {
      throw new Error(
        'EpcisJsonScanner.feed: the previous chunk has not been consumed (call next() until null)',
      );
    }
    if (typeof chunk === 'string') {
      if (chunk.length === 0) return;
      const room = this.maxDocumentBytes - this.consumed;
      if (chunk.length > room && Buffer.byteLength(chunk, 'utf8') > room) {
        this.failDocumentSize();
        return;
      }
      this.pendingString = chunk;
      return;
    }
    let b: Uint8Array;
    if (chunk instanceof Uint8Array) b = chunk;
    else if (chunk instanceof ArrayBuffer) b = new Uint8Array(chunk);
    else {
      this.fail(
        {
          code: READ_CODES.chunkType,
          message: `a chunk of the document is ${chunk === null ? 'null' : typeof chunk}, not a string or a Uint8Array`,
        },
        this.consumed,
      );
      return;
    }
    if (b.length === 0) return;
    if (b.length > this.maxDocumentBytes - this.consumed) {
      this.failDocumentSize();
      return;
    }
    this.bytes = b;
    this.bytePos = 0;
  }

  /** Signals that the input is complete. Then call `next()` until it returns null. */
  end(): void {
    this.inputEnded = true;
  }

  /** The next item, or null when the input handed over so far is used up (or all is done). */
  next(): EpcisReadItem | null {
    for (;;) {
      if (this.out !== null) {
        const it = this.out;
        this.out = null;
        return it;
      }
      if (this.done) return null;
      if (this.i >= this.s.length) {
        if (!this.load()) {
          if (this.out !== null) continue;
          if (this.done) return null;
          if (!this.inputEnded) return null;
          this.finish();
          continue;
        }
      }
      this.step();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // input

  /** Makes the next piece of text current; false if there is none (or decoding failed). */
  private load(): boolean {
    while (true) {
      if (this.utf8FaultAt >= 0) {
        // the text before the bad bytes has been scanned without finding an earlier fault
        this.fail({ code: READ_CODES.utf8, message: this.utf8FaultMessage }, this.utf8FaultAt);
        return false;
      }
      let text: string;
      let textByte: number;
      if (this.bytes !== null) {
        const b = this.bytes;
        const from = this.bytePos;
        const to = Math.min(b.length, from + SLICE_BYTES);
        const part = from === 0 && to === b.length ? b : b.subarray(from, to);
        this.bytePos = to;
        if (to === b.length) this.bytes = null;
        textByte = this.consumed - this.carry.length;
        let whole: Uint8Array = part;
        if (this.carry.length > 0) {
          whole = new Uint8Array(this.carry.length + part.length);
          whole.set(this.carry);
          whole.set(part, this.carry.length);
        }
        const cut = incompleteTail(whole);
        const complete = cut === 0 ? whole : whole.subarray(0, whole.length - cut);
        try {
          text = this.decoder.decode(complete);
        } catch {
          // report the bad bytes only after the text before them (problems come in document order)
          const k = Math.max(0, findInvalidUtf8(complete, true));
          this.utf8FaultAt = textByte + k;
          this.utf8FaultMessage = 'the bytes are not valid UTF-8';
          this.bytes = null;
          text = k > 0 ? this.decoder.decode(complete.subarray(0, k)) : '';
        }
        this.consumed += part.length;
        this.carry = cut === 0 ? EMPTY_BYTES : whole.slice(whole.length - cut);
      } else if (this.pendingString !== null) {
        if (this.carry.length > 0) {
          this.utf8FaultAt = this.consumed - this.carry.length;
          this.utf8FaultMessage = 'a text chunk follows bytes that end in the middle of a UTF-8 sequence';
          this.pendingString = null;
          continue;
        }
        text = this.pendingString;
        this.pendingString = null;
        textByte = this.consumed;
        // Buffer.byteLength counts each half of a surrogate pair cut between two chunks as 3 bytes
        const first = text.charCodeAt(0);
        const pairCut = this.highSurrogateEnd && first >= 0xdc00 && first <= 0xdfff;
        this.consumed += Buffer.byteLength(text, 'utf8') - (pairCut ? 2 : 0);
        if (pairCut) textByte -= 2; // offsets in this text count the low half as 3 bytes; the pair began 3 bytes back with 4
        const last = text.charCodeAt(text.length - 1);
        this.highSurrogateEnd = last >= 0xd800 && last <= 0xdbff;
      } else return false;
      if (text.length === 0) continue;
      this.switchText(text, textByte);
      return true;
    }
  }

  private switchText(text: string, textByte: number): void {
    if (this.mode === M_CAPTURE) {
      // keep the part of the value that is in the old text
      const piece = this.s.slice(this.pieceStart);
      if (piece.length) {
        this.capParts.push(piece);
        this.capLen += piece.length;
      }
      this.pieceStart = 0;
    }
    this.sBase += this.s.length;
    this.s = text;
    this.i = 0;
    this.sByte = textByte;
    this.bsPos = -1;
    this.nlPos = -1;
  }

  // ---------------------------------------------------------------------------------------------
  // scanning

  private step(): void {
    const s = this.s;
    const n = s.length;
    let i = this.i;
    while (i < n && this.out === null) {
      const mode = this.mode;
      if (mode === M_CAPTURE) {
        i = this.capture(s, i);
        if (i < 0) {
          // the capture was rewound: its text is now `this.s`
          this.i = 0;
          return;
        }
        continue;
      }
      if (mode === M_FAILED) break;
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        i++;
        continue;
      }
      if (c === 0x0a) {
        i++;
        this.line++;
        this.lineStart = this.sBase + i;
        continue;
      }
      switch (mode) {
        case M_START:
          if (c === 0xfeff && this.sBase + i === 0) {
            i++;
            break;
          }
          if (c !== 0x7b) {
            this.failHere(
              i,
              READ_CODES.notDocument,
              c === 0x5b
                ? 'the document is a JSON array; an EPCIS document is a JSON object'
                : `unexpected ${describeChar(c)}: an EPCIS JSON document starts with '{'`,
            );
            break;
          }
          this.root = {};
          this.pushFrame(F_ROOT, this.root, '', i);
          i++;
          break;
        case M_OBJ_FIRST:
        case M_OBJ_KEY:
          if (c === 0x22) {
            this.startCapture(T_KEY, i);
          } else if (c === 0x7d && mode === M_OBJ_FIRST) {
            i++;
            this.closeFrame();
          } else {
            this.failHere(
              i,
              READ_CODES.syntax,
              c === 0x7d
                ? "a ',' is followed by '}': trailing commas are not JSON"
                : `unexpected ${describeChar(c)} where a member name (a string in double quotes) is expected`,
            );
          }
          break;
        case M_COLON:
          if (c === 0x3a) {
            i++;
            this.mode = M_VALUE;
          } else
            this.failHere(
              i,
              READ_CODES.syntax,
              `unexpected ${describeChar(c)} after a member name: ':' expected`,
            );
          break;
        case M_VALUE:
          i = this.value(i, c);
          break;
        case M_OBJ_NEXT:
          if (c === 0x2c) {
            i++;
            this.mode = M_OBJ_KEY;
          } else if (c === 0x7d) {
            i++;
            this.closeFrame();
          } else
            this.failHere(
              i,
              READ_CODES.syntax,
              `unexpected ${describeChar(c)} after a member value: ',' or '}' expected`,
            );
          break;
        case M_LIST_FIRST:
        case M_LIST_ELEM:
          if (c === 0x7b) {
            if (this.eventCount >= this.maxEvents) {
              this.failHere(i, READ_CODES.limitEvents, `the document has more than ${this.maxEvents} events`);
              break;
            }
            this.startCapture(T_EVENT, i);
          } else if (c === 0x5d && mode === M_LIST_FIRST) {
            i++;
            this.closeList();
          } else if (c === 0x5d || c === 0x2c) {
            this.failHere(
              i,
              READ_CODES.syntax,
              c === 0x5d
                ? "a ',' is followed by ']': trailing commas are not JSON"
                : "unexpected ',' where an event is expected",
            );
          } else {
            this.failHere(
              i,
              READ_CODES.structure,
              `event ${this.eventCount} is not a JSON object (it starts with ${describeChar(c)})`,
              `${this.listPointer}/${this.eventCount}`,
            );
          }
          break;
        case M_LIST_NEXT:
          if (c === 0x2c) {
            i++;
            this.mode = M_LIST_ELEM;
          } else if (c === 0x5d) {
            i++;
            this.closeList();
          } else
            this.failHere(
              i,
              READ_CODES.syntax,
              `unexpected ${describeChar(c)} after an event: ',' or ']' expected`,
            );
          break;
        case M_DONE:
          this.failHere(
            i,
            READ_CODES.trailing,
            `unexpected ${describeChar(c)} after the end of the document`,
          );
          break;
      }
    }
    this.i = i;
  }

  /** The value of member `this.key` of the top frame, starting with `c` at `i`. */
  private value(i: number, c: number): number {
    const f = this.frames[this.frames.length - 1] as Frame;
    const key = this.key;
    let child = -1;
    let isList = false;
    if (f.kind === F_ROOT) {
      if (key === 'epcisBody') child = F_BODY;
    } else if (f.kind === F_BODY) {
      if (key === 'queryResults') child = F_QUERY_RESULTS;
      else if (key === 'eventList') isList = true;
    } else if (f.kind === F_QUERY_RESULTS) {
      if (key === 'resultsBody') child = F_RESULTS_BODY;
    } else if (key === 'eventList') isList = true;
    const pointer = `${f.pointer}/${pointerToken(key)}`;
    if (child >= 0) {
      if (c !== 0x7b) {
        this.failHere(
          i,
          READ_CODES.structure,
          `${JSON.stringify(key)} must be a JSON object (it starts with ${describeChar(c)})`,
          pointer,
        );
        return i;
      }
      const obj: Record<string, unknown> = {};
      defineMember(f.obj, key, obj);
      this.pushFrame(child, obj, pointer, i);
      return i + 1;
    }
    if (isList) {
      if (c !== 0x5b) {
        this.failHere(
          i,
          READ_CODES.structure,
          `"eventList" must be a JSON array (it starts with ${describeChar(c)})`,
          pointer,
        );
        return i;
      }
      if (this.listSeen) {
        this.failHere(i, READ_CODES.structure, 'the document has a second event list', pointer);
        return i;
      }
      if (++this.depth > this.maxDepth) {
        this.failHere(i, READ_CODES.limitDepth, `objects and arrays nested more than ${this.maxDepth} deep`);
        return i;
      }
      this.listSeen = true;
      this.listPointer = pointer;
      if (this.collect) {
        this.list = [];
        defineMember(f.obj, key, this.list);
      } else if (!this.headerSent) {
        this.headerSent = true;
        this.out = { kind: 'header', format: 'json', header: this.snapshot() };
      }
      this.mode = M_LIST_FIRST;
      return i + 1;
    }
    this.startCapture(T_MEMBER, i);
    return i;
  }

  private pushFrame(kind: number, obj: Record<string, unknown>, pointer: string, i: number): void {
    if (++this.depth > this.maxDepth) {
      this.failHere(i, READ_CODES.limitDepth, `objects and arrays nested more than ${this.maxDepth} deep`);
      return;
    }
    this.frames.push({ kind, obj, keys: new Set(), pointer });
    this.mode = M_OBJ_FIRST;
  }

  private closeFrame(): void {
    this.frames.pop();
    this.depth--;
    if (this.frames.length > 0) {
      this.mode = M_OBJ_NEXT;
      return;
    }
    this.mode = M_DONE;
    if (!this.collect && !this.headerSent) {
      this.headerSent = true;
      this.out = { kind: 'header', format: 'json', header: this.snapshot() };
    }
  }

  private closeList(): void {
    this.depth--;
    this.mode = M_OBJ_NEXT;
  }

  /** The header as it is now, the skeleton objects copied (members added later do not show). */
  private snapshot(): EpcisDocumentHeader {
    const root = copyObject(this.root as Record<string, unknown>);
    let parent = root;
    for (let k = 1; k < this.frames.length; k++) {
      const f = this.frames[k] as Frame;
      const key =
        f.kind === F_BODY ? 'epcisBody' : f.kind === F_QUERY_RESULTS ? 'queryResults' : 'resultsBody';
      const copy = copyObject(f.obj);
      defineMember(parent, key, copy);
      parent = copy;
    }
    return root as EpcisDocumentHeader;
  }

  // ---------------------------------------------------------------------------------------------
  // capture: cutting a value out of the text

  private startCapture(target: number, i: number): void {
    this.mode = M_CAPTURE;
    this.capTarget = target;
    this.capLimit =
      target === T_EVENT
        ? this.maxEventLength
        : target === T_MEMBER
          ? Math.max(0, this.maxHeaderLength - this.headerUsed)
          : this.maxStringLength + 2;
    this.capParts.length = 0;
    this.capLen = 0;
    this.pieceStart = i;
    this.capS = this.s;
    this.capIdx = i;
    this.capSByte = this.sByte;
    this.capAbs = this.sBase + i;
    this.capLine = this.line;
    this.capLineStart = this.lineStart;
    this.capDepth = 0;
    this.capColons = 0;
    this.capDigits = false;
    this.capInStr = false;
    this.capEsc = false;
    this.capStrLen = 0;
    this.capToken = false;
    this.capSpec = false;
    this.capExact = false;
    const c = this.s.charCodeAt(i);
    if (c !== 0x7b && c !== 0x5b && c !== 0x22) {
      if (!isTokenChar(c)) {
        this.failHere(i, READ_CODES.syntax, `unexpected ${describeChar(c)} where a value is expected`);
        return;
      }
      this.capToken = true;
    }
  }

  /** Scans the capture from `i`; returns where scanning stopped. */
  private capture(s: string, i: number): number {
    const n = s.length;
    if (this.capToken) return this.captureToken(s, i);
    let depth = this.capDepth;
    if (this.capInStr) {
      // resume inside a string that began in an earlier piece of text
      let from = 0;
      if (this.capEsc) {
        this.capEsc = false;
        from = 1;
      }
      const q = this.findQuote(s, from, n);
      if (q < 0) {
        this.capStrLen += n;
        if (this.capStrLen > this.maxStringLength)
          return this.capSpec ? this.rewind() : this.failString(this.capStrStart);
        return this.pauseCapture(s, n, depth);
      }
      this.capStrLen += q;
      if (this.capStrLen > this.maxStringLength)
        return this.capSpec ? this.rewind() : this.failString(this.capStrStart);
      this.capInStr = false;
      i = q + 1;
      if (depth === 0) return this.completeCapture(s, i);
    }
    const depthRoom = this.maxDepth - this.depth;
    const maxStr = this.maxStringLength;
    let colons = this.capColons;
    let digits = this.capDigits;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        let q = s.indexOf('"', i + 1);
        if (q < 0 || s.charCodeAt(q - 1) === 0x5c) q = this.findQuote(s, i + 1, n);
        if (q < 0) {
          this.capInStr = true;
          this.capStrStart = this.sBase + i;
          this.capStrLen = n - i - 1;
          this.capColons = colons;
          this.capDigits = digits;
          if (this.capStrLen > maxStr)
            return this.capSpec ? this.rewind() : this.failString(this.capStrStart);
          return this.pauseCapture(s, n, depth);
        }
        if (q - i - 1 > maxStr) return this.capSpec ? this.rewind() : this.failString(this.sBase + i);
        i = q + 1;
        if (depth === 0) {
          this.capColons = colons;
          this.capDigits = digits;
          return this.completeCapture(s, i);
        }
        continue;
      }
      if (c === 0x2c || c === 0x20) {
        i++;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        if (++depth > depthRoom) {
          if (this.capSpec) return this.rewind();
          this.failHere(
            i,
            READ_CODES.limitDepth,
            `objects and arrays nested more than ${this.maxDepth} deep`,
          );
          return i;
        }
        // An array of strings (childEPCs, epcList…) is stepped over in one go when the first ']'
        // after it follows a '"', is near enough that no string in between can break the length
        // limit, and no backslash or line feed comes before it. The guess is wrong only if a
        // string holds a ']' — then the event's text does not parse (JSON texts are prefix-free:
        // a wrong end never yields a valid object), and the capture is scanned again exactly.
        if (c === 0x5b && !this.capExact && i + 1 < n && s.charCodeAt(i + 1) === 0x22) {
          const close = s.indexOf(']', i + 2);
          if (close > 0 && close - i <= maxStr && s.charCodeAt(close - 1) === 0x22) {
            if (this.bsPos < i) {
              const b = s.indexOf('\\', i);
              this.bsPos = b < 0 ? n : b;
            }
            if (this.nlPos < i) {
              const b = s.indexOf('\n', i);
              this.nlPos = b < 0 ? n : b;
            }
            if (close < this.bsPos && close < this.nlPos) {
              this.capSpec = true;
              digits = true; // the numbers are checked after parsing, as if digits had been seen
              i = close + 1;
              if (--depth === 0) {
                this.capColons = colons;
                this.capDigits = digits;
                return this.completeCapture(s, i);
              }
              continue;
            }
          }
        }
        i++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        i++;
        if (--depth === 0) {
          this.capColons = colons;
          this.capDigits = digits;
          return this.completeCapture(s, i);
        }
        continue;
      }
      if (c === 0x3a) colons++;
      else if (c === 0x0a) {
        this.line++;
        this.lineStart = this.sBase + i + 1;
      } else if (c >= 0x30 && c <= 0x39) digits = true;
      i++;
    }
    this.capColons = colons;
    this.capDigits = digits;
    return this.pauseCapture(s, n, depth);
  }

  /**
   * A guess made while scanning the capture was wrong: make the capture's text (`prefix` + the rest
   * of the current text from `from`; by default what has been kept so far) the current text, and
   * scan it again exactly. Returns -1: the caller's view of the text is stale.
   */
  private rewind(prefix: string = this.capParts.join(''), from: number = this.pieceStart): number {
    const text = prefix + this.s.slice(from);
    const byteStart = this.capSByte + Buffer.byteLength(this.capS.slice(0, this.capIdx), 'utf8');
    this.capParts.length = 0;
    this.capLen = 0;
    this.s = text;
    this.i = 0;
    this.sBase = this.capAbs;
    this.sByte = byteStart;
    this.bsPos = -1;
    this.nlPos = -1;
    this.line = this.capLine;
    this.lineStart = this.capLineStart;
    this.startCapture(this.capTarget, 0);
    this.capExact = true;
    return -1;
  }

  /** The capture continues in the next piece of text. */
  private pauseCapture(s: string, n: number, depth: number): number {
    this.capDepth = depth;
    if (this.capLen + (n - this.pieceStart) > this.capLimit)
      return this.capSpec ? this.rewind() : this.failCaptureSize(s);
    return n;
  }

  /** A bare number or literal (true / false / null) as the whole value. */
  private captureToken(s: string, i: number): number {
    const n = s.length;
    while (i < n && isTokenChar(s.charCodeAt(i))) i++;
    const len = this.capLen + (i - this.pieceStart);
    if (len > this.maxStringLength) return this.failString(this.capAbs);
    if (i === n) return this.pauseCapture(s, n, 0);
    return this.completeCapture(s, i);
  }

  /**
   * Index of the closing quote of a string whose text starts at `from` (with `s[from]` not escaped),
   * or -1; then `capEsc` says whether the text ends inside an escape.
   */
  private findQuote(s: string, from: number, n: number): number {
    let q = s.indexOf('"', from);
    while (q > from && s.charCodeAt(q - 1) === 0x5c) {
      let k = q - 2;
      while (k >= from && s.charCodeAt(k) === 0x5c) k--;
      if (((q - 1 - k) & 1) === 0) break; // an even run of backslashes escapes itself
      from = q + 1;
      q = s.indexOf('"', from);
    }
    if (q < 0) {
      let k = n - 1;
      while (k >= from && s.charCodeAt(k) === 0x5c) k--;
      this.capEsc = ((n - 1 - k) & 1) === 1;
    }
    return q;
  }

  private completeCapture(s: string, end: number): number {
    let text = s.slice(this.pieceStart, end);
    if (this.capParts.length > 0) {
      this.capParts.push(text);
      text = this.capParts.join('');
      this.capParts.length = 0;
    }
    this.capLen = 0;
    if (text.length > this.capLimit) {
      if (this.capSpec) return this.rewind(text, end);
      this.failCaptureSize(s);
      return end;
    }
    const target = this.capTarget;
    const f = this.frames[this.frames.length - 1] as Frame;
    if (target === T_EVENT) {
      const index = this.eventCount;
      let ev: unknown;
      try {
        ev = JSON.parse(text);
      } catch (e) {
        if (this.capSpec) return this.rewind(text, end);
        this.failInCapture(text, `${this.listPointer}/${index}`, e);
        return end;
      }
      if (this.rejectDuplicates || this.capDigits) {
        const k = inspect(ev as object, this.capDigits);
        if ((k < 0 || (this.rejectDuplicates && k !== this.capColons)) && !this.checkAfterParse(text)) {
          if (this.capSpec) return this.rewind(text, end);
          this.failInCapture(text, `${this.listPointer}/${index}`, null);
          return end;
        }
      }
      this.eventCount++;
      this.mode = M_LIST_NEXT;
      if (this.collect) (this.list as unknown[]).push(ev);
      else this.out = { kind: 'event', index, event: ev as EPCISEvent };
      return end;
    }
    if (target === T_KEY) {
      this.headerUsed += text.length;
      let key: string;
      try {
        key = JSON.parse(text) as string;
      } catch (e) {
        this.failInCapture(text, f.pointer, e);
        return end;
      }
      if (this.headerUsed > this.maxHeaderLength) {
        this.failInCaptureAt(
          0,
          READ_CODES.limitHeader,
          `the document header is longer than ${this.maxHeaderLength} characters`,
          f.pointer,
          text,
        );
        return end;
      }
      if (f.keys.has(key) && this.rejectDuplicates) {
        this.failInCaptureAt(
          0,
          READ_CODES.duplicateKey,
          `duplicate member name ${JSON.stringify(abbreviate(key))} in one object`,
          f.pointer,
        );
        return end;
      }
      f.keys.add(key);
      this.key = key;
      this.mode = M_COLON;
      return end;
    }
    // a header member
    const pointer = `${f.pointer}/${pointerToken(this.key)}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      if (this.capSpec) return this.rewind(text, end);
      this.failInCapture(text, pointer, e);
      return end;
    }
    if (typeof value === 'object' && value !== null) {
      if (this.rejectDuplicates || this.capDigits) {
        const k = inspect(value, this.capDigits);
        if ((k < 0 || (this.rejectDuplicates && k !== this.capColons)) && !this.checkAfterParse(text)) {
          if (this.capSpec) return this.rewind(text, end);
          this.failInCapture(text, pointer, null);
          return end;
        }
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      this.failInCaptureAt(
        0,
        READ_CODES.numberRange,
        `number ${abbreviate(text)} is out of the range of a double`,
        pointer,
      );
      return end;
    }
    if (
      f.kind === F_ROOT &&
      this.key === 'type' &&
      value !== 'EPCISDocument' &&
      value !== 'EPCISQueryDocument'
    ) {
      this.failInCaptureAt(
        0,
        READ_CODES.notDocument,
        `the document's type is ${abbreviate(JSON.stringify(value) ?? String(value))}, not "EPCISDocument" or "EPCISQueryDocument"${
          typeof value === 'string' && /Event$/.test(value)
            ? ' (a bare event is captured through POST /events, not as a document)'
            : ''
        }`,
        pointer,
      );
      return end;
    }
    this.headerUsed += text.length;
    defineMember(f.obj, this.key, value);
    this.mode = M_OBJ_NEXT;
    return end;
  }

  /** The cheap after-parse check was not satisfied: true if the exact checker finds no fault after all. */
  private checkAfterParse(text: string): boolean {
    return diagnoseJson(text, this.rejectDuplicates) === null;
  }

  private finish(): void {
    if (this.finished || this.mode === M_FAILED) return;
    if (this.mode === M_CAPTURE && this.capSpec) {
      this.rewind();
      return;
    }
    if (this.carry.length > 0) {
      // bytes of an unfinished UTF-8 sequence at the very end
      this.fail(
        { code: READ_CODES.utf8, message: 'the input ends in the middle of a UTF-8 sequence' },
        this.consumed - this.carry.length,
      );
      return;
    }
    if (this.mode === M_DONE) {
      const root = this.root as Record<string, unknown>;
      if (!Object.hasOwn(root, 'type')) {
        this.fail(
          {
            code: READ_CODES.notDocument,
            message:
              'the object has no "type" member: an EPCIS document has "type": "EPCISDocument" or "EPCISQueryDocument"',
          },
          this.consumed,
        );
        return;
      }
      this.finished = true;
      this.out = {
        kind: 'end',
        format: 'json',
        header: root as EpcisDocumentHeader,
        eventCount: this.eventCount,
        bytes: this.consumed,
      };
      return;
    }
    const where =
      this.mode === M_START
        ? ''
        : this.mode === M_CAPTURE && this.capTarget === T_EVENT
          ? ` (inside event ${this.eventCount})`
          : this.mode === M_LIST_FIRST || this.mode === M_LIST_ELEM || this.mode === M_LIST_NEXT
            ? ' (inside the event list)'
            : '';
    this.fail(
      {
        code: READ_CODES.truncated,
        message:
          this.mode === M_START
            ? 'the input is empty: no JSON document'
            : `the input ends before the document does${where}`,
      },
      this.consumed,
      this.line,
      this.sBase + this.s.length - this.lineStart + 1,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // errors

  private fail(p: Omit<EpcisReadProblem, 'offset'>, offset: number, line?: number, column?: number): void {
    const problem: EpcisReadProblem = { code: p.code, message: p.message, offset };
    if (line !== undefined) problem.line = line;
    if (column !== undefined) problem.column = column;
    if (p.pointer !== undefined) problem.pointer = p.pointer;
    if (p.eventIndex !== undefined) problem.eventIndex = p.eventIndex;
    this.mode = M_FAILED;
    this.bytes = null;
    this.pendingString = null;
    this.capParts.length = 0;
    this.out = { kind: 'error', error: problem };
  }

  /** A problem at index `i` of the current text. */
  private failHere(i: number, code: string, message: string, pointer?: string): void {
    const offset = this.sByte + Buffer.byteLength(this.s.slice(0, i), 'utf8');
    const p: Omit<EpcisReadProblem, 'offset'> = { code, message };
    if (pointer !== undefined) p.pointer = pointer;
    if (this.mode === M_CAPTURE && this.capTarget === T_EVENT) {
      p.eventIndex = this.eventCount;
      p.pointer ??= `${this.listPointer}/${this.eventCount}`;
    }
    this.fail(p, offset, this.line, this.sBase + i - this.lineStart + 1);
  }

  private failDocumentSize(): void {
    this.fail(
      {
        code: READ_CODES.limitDocument,
        message: `the document is larger than ${this.maxDocumentBytes} bytes`,
      },
      this.maxDocumentBytes,
    );
  }

  private failString(absStart: number): number {
    // the string starts at absolute character absStart; locate it in bytes only if it is in the current text
    const i = absStart - this.sBase;
    const message = `a string is longer than ${this.maxStringLength} characters`;
    if (i >= 0 && i < this.s.length) this.failHere(i, READ_CODES.limitString, message);
    else this.failInCaptureAt(absStart - this.capAbs, READ_CODES.limitString, message);
    return this.s.length;
  }

  private failCaptureSize(s: string): number {
    if (this.capTarget === T_EVENT) {
      this.failInCaptureAt(
        0,
        READ_CODES.limitEvent,
        `event ${this.eventCount} is longer than ${this.maxEventLength} characters`,
      );
    } else if (this.capTarget === T_MEMBER) {
      this.failInCaptureAt(
        0,
        READ_CODES.limitHeader,
        `the document header is longer than ${this.maxHeaderLength} characters`,
      );
    } else {
      this.failInCaptureAt(
        0,
        READ_CODES.limitString,
        `a member name is longer than ${this.maxStringLength} characters`,
      );
    }
    return s.length;
  }

  /**
   * A problem at index `k` of the captured value's text (k = 0: where the value starts). `text` is
   * the value's text when complete; otherwise the part kept so far is used.
   */
  private failInCaptureAt(k: number, code: string, message: string, pointer?: string, text?: string): void {
    let line = this.capLine;
    let lineStart = this.capLineStart;
    let offset = this.capSByte + Buffer.byteLength(this.capS.slice(0, this.capIdx), 'utf8');
    if (k > 0) {
      const upto = (text ?? this.capParts.join('') + this.s.slice(this.pieceStart)).slice(0, k);
      offset += Buffer.byteLength(upto, 'utf8');
      let nl = upto.indexOf('\n');
      while (nl >= 0) {
        line++;
        lineStart = this.capAbs + nl + 1;
        nl = upto.indexOf('\n', nl + 1);
      }
    }
    const p: Omit<EpcisReadProblem, 'offset'> = { code, message };
    if (this.capTarget === T_EVENT) {
      p.eventIndex = this.eventCount;
      p.pointer = pointer ?? `${this.listPointer}/${this.eventCount}`;
    } else if (pointer !== undefined) p.pointer = pointer;
    this.fail(p, offset, line, this.capAbs + k - lineStart + 1);
  }

  /** The captured text was refused by JSON.parse (error e) or by the after-parse check (e null). */
  private failInCapture(text: string, pointer: string, e: unknown): void {
    const fault = diagnoseJson(text, this.rejectDuplicates);
    if (fault) {
      this.failInCaptureAt(fault.index, fault.code, fault.message, pointer, text);
    } else {
      // JSON.parse and the checker disagree: report JSON.parse's words at the start of the value
      this.failInCaptureAt(
        0,
        READ_CODES.syntax,
        e instanceof Error ? e.message : 'the value is not valid JSON',
        pointer,
        text,
      );
    }
  }
}
