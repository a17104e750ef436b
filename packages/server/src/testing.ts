/**
 * Test support: a real server on loopback over a real SQLite file in a temporary directory.
 * (Not exported by the package index; tests import it by path.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@rxtrace/store';
import type { FastifyInstance } from 'fastify';
// The SQLite store is not (yet) exported by the @rxtrace/store index: taken from its folder.
import { openSqliteStore } from '../../store/src/sqlite/index.ts';
import { type BuildServerOptions, buildServer } from './app.ts';

export { openSqliteStore };

export const ADMIN_KEY = 'test-admin-key';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  dir: string;
  file: string;
  /** fetch against the server with the admin key (unless headers say otherwise). */
  req(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: Partial<BuildServerOptions> & { dir?: string } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rxtrace-server-'));
  const file = join(dir, 'rxtrace.db');
  const store = opts.store ?? (await openSqliteStore({ file }));
  const app = await buildServer({ apiKeys: [{ key: ADMIN_KEY, roles: ['admin'] }], ...opts, store });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed = false;
  return {
    app,
    store,
    url,
    dir,
    file,
    req(path, init = {}) {
      const { key, ...rest } = init;
      const headers = new Headers(rest.headers);
      const k = key === undefined ? ADMIN_KEY : key;
      if (k !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${k}`);
      return fetch(url + path, { ...rest, headers });
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
