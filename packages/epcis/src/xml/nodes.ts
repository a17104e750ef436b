/**
 * A small element tree for one unit of a document (one event, the header), built while the
 * tokenizer reads it and dropped once the unit is mapped to the model — so memory is bounded by
 * the largest unit, never by the document.
 */
import type { XmlAttr, XmlElement } from './tokenizer.ts';

export interface XNode {
  ns: string;
  local: string;
  prefix: string;
  attrs: readonly XmlAttr[];
  children: XNode[] | null;
  /** Character data directly inside the element (all pieces joined). */
  text: string;
  line: number;
  column: number;
  /** `xsi:type`, resolved in the element's scope; `ns` undefined when the prefix is not declared. */
  xsiType?: { ns: string | undefined; local: string; raw: string };
}

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const EPCIS_NS = new Set(['urn:epcglobal:epcis:xsd:2', 'urn:epcglobal:epcis:xsd:1']);

/**
 * The node of an element. Elements in the EPCIS namespace itself (where the XSD wants unqualified
 * ones; some documents qualify them anyway) get `ns: ''`: they are standard fields, never extensions.
 */
export function nodeOf(el: XmlElement, resolve: (prefix: string) => string | undefined): XNode {
  const n: XNode = {
    ns: EPCIS_NS.has(el.ns) ? '' : el.ns,
    local: el.local,
    prefix: el.prefix,
    attrs: el.attrs,
    children: null,
    text: '',
    line: el.line,
    column: el.column,
  };
  if (el.attrs.length > 0)
    for (const a of el.attrs)
      if (a.ns === XSI_NS && a.local === 'type') {
        const raw = a.value.trim();
        const colon = raw.indexOf(':');
        const prefix = colon === -1 ? '' : raw.slice(0, colon);
        n.xsiType = { ns: resolve(prefix), local: colon === -1 ? raw : raw.slice(colon + 1), raw };
      }
  return n;
}

/** Builds a subtree from tokenizer events; `done` fires when the subtree's root closes. */
export class SubtreeBuilder {
  private readonly stack: XNode[] = [];
  constructor(
    readonly root: XNode,
    private readonly resolve: (prefix: string) => string | undefined,
    private readonly maxTextLength: number,
  ) {
    this.stack.push(root);
  }

  open(el: XmlElement): void {
    const n = nodeOf(el, this.resolve);
    const parent = this.stack[this.stack.length - 1]!;
    if (parent.children === null) parent.children = [n];
    else parent.children.push(n);
    this.stack.push(n);
  }

  /** Appends text; returns false if the element's text grew beyond the limit. */
  text(s: string, ws: boolean): boolean {
    const top = this.stack[this.stack.length - 1]!;
    // White space between child elements is never a value: not kept.
    if (ws && top.children !== null) return true;
    top.text = top.text.length === 0 ? s : top.text + s;
    return top.text.length <= this.maxTextLength;
  }

  /** Returns true when the subtree's root was closed. */
  close(): boolean {
    this.stack.pop();
    return this.stack.length === 0;
  }
}
