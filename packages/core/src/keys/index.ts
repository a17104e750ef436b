/**
 * API keys: `rxt_<keyId>_<secret>`. The keyId (16 hex digits) finds the record; only the SHA-256 of
 * the whole key is stored, compared in constant time. Roles: `capture`, `query`, `admin` (admin may
 * do everything).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, Store } from '@rxtrace/store';

export const API_KEY_ROLES = ['capture', 'query', 'admin', 'verify'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isApiKeyRole(s: string): s is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(s);
}

/** SHA-256 hex of a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The keyId of an `rxt_<keyId>_<secret>` key, or undefined for any other string. */
export function keyIdOf(key: string): string | undefined {
  if (!key.startsWith('rxt_')) return undefined;
  const end = key.indexOf('_', 4);
  if (end !== 20) return undefined;
  const id = key.slice(4, end);
  return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}

export interface NewApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

/** Creates a key with these roles and stores its record (hash only). */
export async function createApiKey(store: Store, roles: readonly string[], label = ''): Promise<NewApiKey> {
  const bad = roles.filter((r) => !isApiKeyRole(r));
  if (bad.length) throw new Error(`unknown role(s): ${bad.join(', ')} (roles: ${API_KEY_ROLES.join(', ')})`);
  if (roles.length === 0) throw new Error(`a key needs at least one role (${API_KEY_ROLES.join(', ')})`);
  const keyId = randomBytes(8).toString('hex');
  const key = `rxt_${keyId}_${randomBytes(24).toString('base64url')}`;
  const record: ApiKeyRecord = {
    keyId,
    secretHash: hashApiKey(key),
    roles: [...new Set(roles)],
    label,
    createdAt: new Date().toISOString(),
  };
  await store.putApiKey(record);
  return { key, record };
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The record of a valid, unrevoked key, or undefined. */
export async function verifyApiKey(store: Store, key: string): Promise<ApiKeyRecord | undefined> {
  const keyId = keyIdOf(key);
  if (keyId === undefined) return undefined;
  const rec = await store.findApiKey(keyId);
  if (!rec || rec.revokedAt !== undefined) return undefined;
  return sameHash(rec.secretHash, hashApiKey(key)) ? rec : undefined;
}

/** Whether a key with `roles` may act in `role` (admin may do everything). */
export function hasRole(roles: readonly string[], role: string): boolean {
  return roles.includes(role) || roles.includes('admin');
}
