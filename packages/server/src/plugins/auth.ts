/**
 * Access by API key: `Authorization: Bearer <key>`. Each route names the role it needs in its
 * config (`capture`, `query`, `admin`, or `public`); routes that name none — those of the query
 * plugin — need `query`. `admin` may do everything. Keys are stored hashed (see @rxtrace/core
 * keys); static keys (e.g. RXTRACE_API_KEY) are held hashed in memory. A verified key is cached
 * for a few seconds so that a busy client does not cost a store read per request.
 * 401 (no key, unknown or revoked key) and 403 (key without the role) are SecurityExceptions.
 * OPTIONS (discovery, CORS preflight) needs no key.
 */
import { hashApiKey, hasRole, keyIdOf, sameHash, verifyApiKey } from '@rxtrace/core';
import type { FastifyInstance } from 'fastify';
import { global, type ServerContext, sendProblem } from '../http.ts';
import { epcisProblem } from '../problem.ts';

export interface StaticApiKey {
  key: string;
  roles: string[];
  label?: string;
}

export interface AuthOptions {
  ctx: ServerContext;
  /** false: every route is open (development only). Default true. */
  enabled?: boolean;
  staticKeys?: StaticApiKey[];
  /** How long a verified key is trusted without reading the store again (ms). Default 10 s. */
  cacheMs?: number;
}

type Principal = { keyId: string; roles: string[]; label: string };

/** Revocation must take effect at once on this server: the keys plugin calls this. */
export const authCache = new WeakMap<ServerContext, Map<string, { p: Principal; until: number }>>();

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  const { ctx } = opts;
  const enabled = opts.enabled ?? true;
  const cacheMs = opts.cacheMs ?? 10_000;
  const statics = (opts.staticKeys ?? []).map((k, i) => ({
    hash: hashApiKey(k.key),
    p: { keyId: `static-${i + 1}`, roles: k.roles, label: k.label ?? 'static key' },
  }));
  const cache = new Map<string, { p: Principal; until: number }>();
  authCache.set(ctx, cache);

  const resolve = async (key: string): Promise<Principal | undefined> => {
    const hash = hashApiKey(key);
    const hit = cache.get(hash);
    const now = Date.now();
    if (hit && hit.until > now) return hit.p;
    let p: Principal | undefined;
    for (const s of statics) if (sameHash(s.hash, hash)) p = s.p;
    if (!p && keyIdOf(key) !== undefined) {
      const rec = await verifyApiKey(ctx.store, key);
      if (rec) p = { keyId: rec.keyId, roles: rec.roles, label: rec.label };
    }
    if (p) {
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { p, until: now + cacheMs });
    }
    return p;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!enabled || request.method === 'OPTIONS') return undefined;
    const role = request.routeOptions.config?.role ?? 'query';
    if (role === 'public' || request.is404) return undefined;
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      reply.header('www-authenticate', 'Bearer realm="rxtrace"');
      return sendProblem(
        request,
        reply,
        epcisProblem('SecurityException', 401, 'an API key is required: Authorization: Bearer <key>').problem,
      );
    }
    const p = await resolve(m[1]!);
    if (!p) {
      reply.header('www-authenticate', 'Bearer realm="rxtrace", error="invalid_token"');
      return sendProblem(
        request,
        reply,
        epcisProblem('SecurityException', 401, 'the API key is not valid (unknown or revoked)').problem,
      );
    }
    if (!hasRole(p.roles, role)) {
      return sendProblem(request, reply, {
        ...epcisProblem(
          'SecurityException',
          403,
          `this key (roles: ${p.roles.join(', ') || 'none'}) may not do this: the '${role}' role is needed`,
        ).problem,
        title: 'Access to the resource is forbidden',
      });
    }
    request.apiKey = p;
    return undefined;
  });
}

export default global(authPlugin);
