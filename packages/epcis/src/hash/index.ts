/**
 * CBV 2.0 Event Hash ID: `ni:///sha-256;<hex>?ver=CBV2.0`, the SHA-256 of the event's canonical
 * pre-hash string (epcis.md §10). Matches the reference implementation's vectors for JSON-LD and
 * XML documents.
 *
 * ```ts
 * const ctx = hashContext(doc);                    // once per document
 * for (const e of eventsOf(doc)) e.eventID ??= eventHashId(e, ctx);
 * ```
 */
import * as nodeCrypto from 'node:crypto';
import { type EPCISAnyDocument, type EPCISEvent, eventsOf } from '../model.ts';
import { type HashContext, type HashContextInit, hashContext } from './context.ts';
import { eventPreHash } from './prehash.ts';

// The identifier normalisation the hash applies to every GS1 identifier, exported with it.
export * from '../identifiers.ts';
export {
  documentIgnoreFields,
  type HashContext,
  type HashContextInit,
  hashContext,
  hashContextForXml,
  IGNORE_FIELDS_NAMESPACE,
  jsonLdPrefixes,
  resolveHashContext,
  XML_VALUE_PREFIXES,
} from './context.ts';
export { eventPreHash } from './prehash.ts';

/** Hash algorithms of the `ni` URI (RFC 6920 names) and their node:crypto names. */
const ALGORITHMS = {
  'sha-256': 'sha256',
  'sha3-256': 'sha3-256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
} as const;

export type EventHashAlgorithm = keyof typeof ALGORITHMS;

/**
 * One-shot hashing (`crypto.hash`, Node ≥ 20.12: a string is hashed as UTF-8), about 1 µs an
 * event cheaper than a Hash object; `createHash` where the runtime lacks it.
 */
const oneShot: typeof nodeCrypto.hash | undefined = (nodeCrypto as Partial<typeof nodeCrypto>).hash;
const createHash = nodeCrypto.createHash;

/** The `ni:` hash ID of a pre-hash string. */
export function hashIdOfPreHash(preHash: string, algorithm: EventHashAlgorithm = 'sha-256'): string {
  const hex =
    oneShot !== undefined
      ? oneShot(ALGORITHMS[algorithm], preHash, 'hex')
      : createHash(ALGORITHMS[algorithm]).update(preHash, 'utf8').digest('hex');
  return `ni:///${algorithm};${hex}?ver=CBV2.0`;
}

/** The Event Hash ID of an event; `ctx` describes its document (see {@link hashContext}). */
export function eventHashId(
  event: EPCISEvent | Record<string, unknown>,
  ctx?: HashContext | HashContextInit,
  algorithm: EventHashAlgorithm = 'sha-256',
): string {
  return hashIdOfPreHash(eventPreHash(event as Record<string, unknown>, ctx), algorithm);
}

/** The Event Hash IDs of every event of a JSON / JSON-LD document, in document order. */
export function documentEventHashIds(doc: EPCISAnyDocument, ctx: HashContext = hashContext(doc)): string[] {
  return eventsOf(doc).map((e) => eventHashId(e, ctx));
}
