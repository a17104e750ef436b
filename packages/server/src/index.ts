/** @rxtrace/server — the HTTP server (Fastify, one plugin per API area). */
export * from './problem.ts';
