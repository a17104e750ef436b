/**
 * The `GS1-Signature` header of webhook notifications (the binding leaves the scheme to the
 * implementation; rxtrace uses HMAC-SHA256 directly):
 *
 *   GS1-Signature: sha256=<hex>
 *
 * where `<hex>` is the lowercase hexadecimal HMAC-SHA256 of the exact bytes of the HTTP request
 * body (the UTF-8 JSON of the EPCISQueryDocument, as sent), keyed with the UTF-8 bytes of the
 * subscription's `signatureToken`. A receiver recomputes it over the raw body it received (before
 * any JSON parsing or re-serialisation) and compares in constant time (`verifySignature`). The
 * signed body holds the document's `creationDate` and `subscriptionID`, which a receiver may use
 * to refuse stale or misdirected messages. Without a `signatureToken` no header is sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'GS1-Signature';
const PREFIX = 'sha256=';

/** The `GS1-Signature` header value of a body. */
export function signBody(token: string, body: string | Uint8Array): string {
  return PREFIX + createHmac('sha256', Buffer.from(token, 'utf8')).update(body).digest('hex');
}

/** Whether `header` is the signature of `body` with `token` (constant-time comparison). */
export function verifySignature(
  token: string,
  body: string | Uint8Array,
  header: string | undefined | null,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const given = header.slice(PREFIX.length).trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = signBody(token, body).slice(PREFIX.length);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
