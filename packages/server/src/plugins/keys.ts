/**
 * API key administration (role `admin`):
 * - `GET /keys`: the keys (id, roles, label, dates; never a secret);
 * - `POST /keys` `{ roles: ['capture', 'query'], label? }` → 201 with the key, shown this once;
 * - `DELETE /keys/{keyId}`: revokes the key (204), at once on this server.
 */
import { API_KEY_ROLES, createApiKey } from '@rxtrace/core';
import type { ApiKeyRecord } from '@rxtrace/store';
import type { FastifyInstance } from 'fastify';
import { type ServerContext, sendProblem } from '../http.ts';
import { problemForStatus } from '../problem.ts';
import { authCache } from './auth.ts';

function view(k: ApiKeyRecord): Record<string, unknown> {
  return {
    keyId: k.keyId,
    roles: k.roles,
    label: k.label,
    createdAt: k.createdAt,
    ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
  };
}

export default async function keysPlugin(app: FastifyInstance, opts: { ctx: ServerContext }): Promise<void> {
  const { ctx } = opts;
  const config = { role: 'admin' as const };

  app.get('/keys', { config }, async () => (await ctx.store.listApiKeys()).map(view));

  app.post<{ Body: { roles: string[]; label?: string } }>(
    '/keys',
    {
      config,
      schema: {
        body: {
          type: 'object',
          required: ['roles'],
          additionalProperties: false,
          properties: {
            roles: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: [...API_KEY_ROLES] },
            },
            label: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const { key, record } = await createApiKey(ctx.store, request.body.roles, request.body.label ?? '');
      request.log.info(
        { keyId: record.keyId, roles: record.roles, by: request.apiKey?.keyId },
        'API key created',
      );
      reply.code(201).header('location', `/keys/${record.keyId}`);
      return { ...view(record), key };
    },
  );

  app.delete<{ Params: { keyId: string } }>('/keys/:keyId', { config }, async (request, reply) => {
    const rec = await ctx.store.findApiKey(request.params.keyId);
    if (!rec)
      return sendProblem(request, reply, problemForStatus(404, `there is no key ${request.params.keyId}`));
    if (!rec.revokedAt) await ctx.store.putApiKey({ ...rec, revokedAt: new Date().toISOString() });
    authCache.get(ctx)?.clear();
    request.log.info({ keyId: rec.keyId, by: request.apiKey?.keyId }, 'API key revoked');
    return reply.code(204).send();
  });
}
