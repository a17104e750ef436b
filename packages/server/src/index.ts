/** @rxtrace/server — the HTTP server (Fastify, one plugin per API area). */
export * from './app.ts';
export * from './http.ts';
export type { StaticApiKey } from './plugins/auth.ts';
export * from './problem.ts';
