/**
 * The server foundation over real HTTP: problems for every error (Fastify's own included), API
 * keys and roles, OPTIONS discovery, health, metrics, the OpenAPI document and the self-hosted docs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRxtraceStore } from '@rxtrace/store';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import serialsPlugin from './plugins/serials.ts';
import tracePlugin from './plugins/trace.ts';
import { startTestServer, type TestServer } from './testing.ts';

async function json(r: Response): Promise<Record<string, unknown>> {
  return (await r.json()) as Record<string, unknown>;
}

describe('the server', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  test('an unknown route is a NoSuchResourceException problem (JSON, or XML when asked)', async () => {
    let r = await s.req('/no/such/thing');
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = await json(r);
    assert.deepEqual([p.type, p.status], ['epcisException:NoSuchResourceException', 404]);
    r = await s.req('/no/such/thing', { headers: { accept: 'application/xml' } });
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+xml/);
    assert.match(
      await r.text(),
      /<problem xmlns="urn:ietf:rfc:7807"><type>epcisException:NoSuchResourceException<\/type>/,
    );
  });

  test('a method a resource does not have: 405 with Allow', async () => {
    const r = await s.req('/capture', { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.match(r.headers.get('allow') ?? '', /GET.*POST/);
  });

  test('API keys: 401 without or with a bad key, 403 without the role, admin may do everything', async () => {
    let r = await s.req('/capture', { key: null });
    assert.equal(r.status, 401);
    assert.equal((await json(r)).type, 'epcisException:SecurityException');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    r = await s.req('/capture', { key: 'rxt_0123456789abcdef_nope' });
    assert.equal(r.status, 401);
    // Keys are created by an admin and stored hashed.
    r = await s.req('/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['query'], label: 'reader' }),
    });
    assert.equal(r.status, 201);
    const created = await json(r);
    const key = created.key as string;
    assert.match(key, /^rxt_[0-9a-f]{16}_/);
    const rec = await s.store.findApiKey(created.keyId as string);
    assert.ok(rec && rec.secretHash !== key && !JSON.stringify(rec).includes(key.slice(21)));
    r = await s.req('/capture', { key });
    assert.equal(r.status, 403);
    const p = await json(r);
    assert.equal(p.type, 'epcisException:SecurityException');
    assert.match(p.detail as string, /capture/);
    assert.equal((await s.req('/keys', { key })).status, 403);
    // Listing never shows secrets; revoking takes effect at once.
    const list = (await (await s.req('/keys')).json()) as Record<string, unknown>[];
    assert.ok(list.some((k) => k.keyId === created.keyId) && !JSON.stringify(list).includes(key));
    assert.equal((await s.req(`/keys/${created.keyId}`, { method: 'DELETE' })).status, 204);
    assert.equal((await s.req('/', { key })).status, 401);
    // Bad bodies are validation problems.
    r = await s.req('/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['root'] }),
    });
    assert.equal(r.status, 400);
    assert.equal((await json(r)).type, 'epcisException:ValidationException');
    r = await s.req('/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"roles": [',
    });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
    r = await s.req('/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['query'], label: 'x'.repeat(2_000_000) }),
    });
    assert.equal(r.status, 413);
    assert.equal((await json(r)).type, 'epcisException:CaptureLimitExceededException');
    r = await s.req('/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'roles=query',
    });
    assert.equal(r.status, 415);
    assert.equal((await json(r)).type, 'epcisException:UnsupportedMediaTypeException');
  });

  test('OPTIONS on every resource: 204, Allow and the GS1 headers; /capture also its limits', async () => {
    for (const [path, methods] of [
      ['/capture', ['OPTIONS', 'GET', 'POST']],
      ['/capture/some-id', ['OPTIONS', 'GET']],
      ['/events', ['OPTIONS', 'POST']],
      ['/keys', ['OPTIONS', 'GET', 'POST']],
      ['/', ['OPTIONS', 'GET']],
    ] as const) {
      const r = await s.req(path, { method: 'OPTIONS', key: null });
      assert.equal(r.status, 204, path);
      const allow = (r.headers.get('allow') ?? '').split(', ');
      for (const m of methods) assert.ok(allow.includes(m), `${path}: ${allow}`);
      assert.equal(r.headers.get('gs1-epcis-version'), '2.0.0');
      assert.equal(r.headers.get('gs1-epcis-min'), '1.2.0');
      assert.equal(r.headers.get('gs1-epcis-max'), '2.0.0');
      assert.equal(r.headers.get('gs1-cbv-version'), '2.0.0');
      assert.ok(r.headers.has('gs1-cbv-min') && r.headers.has('gs1-cbv-max'));
      assert.equal(r.headers.get('gs1-epc-format'), 'Always_GS1_Digital_Link');
      assert.ok(r.headers.has('gs1-extensions'));
      assert.match(r.headers.get('gs1-vendor-version') ?? '', /^rxtrace/);
      assert.equal(r.headers.has('gs1-epcis-capture-limit'), path === '/capture', path);
    }
    const c = await s.req('/capture', { method: 'OPTIONS', key: null });
    assert.equal(c.headers.get('gs1-epcis-capture-limit'), '100000');
    assert.equal(c.headers.get('gs1-epcis-capture-file-size-limit'), String(256 * 1024 * 1024));
    assert.equal(c.headers.get('gs1-capture-error-behaviour'), 'all');
    const nf = await s.req('/nothing-here', { method: 'OPTIONS', key: null });
    assert.equal(nf.status, 404);
    assert.equal((await json(nf)).type, 'epcisException:NoSuchResourceException');
  });

  test('GS1-EPCIS-Min above what the server speaks: 406 NotAcceptableException', async () => {
    const r = await s.req('/capture', { headers: { 'GS1-EPCIS-Min': '3.0.0' } });
    assert.equal(r.status, 406);
    assert.equal((await json(r)).type, 'epcisException:NotAcceptableException');
  });

  test('GET / lists the top-level resources', async () => {
    const r = await s.req('/');
    assert.equal(r.status, 200);
    assert.ok(((await json(r)).member as string[]).includes('capture'));
  });

  test('/health, /metrics, /openapi.json and /docs need no key', async () => {
    const h = await s.req('/health', { key: null });
    assert.equal(h.status, 200);
    const health = await json(h);
    assert.deepEqual([health.status, health.store, health.captureJobsRunning], ['ok', 'sqlite', 0]);
    await s.req('/capture', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const m = await (await s.req('/metrics', { key: null })).text();
    assert.match(m, /rxtrace_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    assert.match(
      m,
      /rxtrace_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health"\}/,
    );
    assert.match(m, /rxtrace_capture_jobs_total\{outcome="failure"\} 1/);
    assert.match(m, /rxtrace_captured_events_total 0/);
    assert.match(m, /rxtrace_capture_jobs_running 0/);
    const o = await s.req('/openapi.json', { key: null });
    assert.equal(o.status, 200);
    const doc = await json(o);
    assert.equal(doc.openapi, '3.0.3');
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    for (const [p, m2] of [
      ['/capture', 'post'],
      ['/capture', 'get'],
      ['/capture/{captureID}', 'get'],
      ['/events', 'post'],
      ['/keys', 'post'],
      ['/health', 'get'],
    ] as const) {
      assert.ok(paths[p]?.[m2], `${m2} ${p} is described`);
    }
  });

  test('/openapi.json describes every route of the serials and trace plugins by hand', async () => {
    const doc = await json(await s.req('/openapi.json', { key: null }));
    type Op = { summary?: string; tags?: string[]; parameters?: { in: string; name: string }[] };
    const paths = doc.paths as Record<string, Record<string, Op>>;
    assert.ok(isRxtraceStore(s.store));
    for (const [name, plugin] of [
      ['serials', serialsPlugin],
      ['trace', tracePlugin],
    ] as const) {
      // The plugin's routes, as it registers them (on an app of its own).
      const routes: { method: string; url: string }[] = [];
      const app = Fastify();
      app.addHook('onRoute', (r) => {
        for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url });
      });
      await app.register(
        plugin as FastifyPluginAsync<never>,
        { ctx: s.app.rxtrace, store: s.store } as never,
      );
      await app.ready();
      await app.close();
      assert.ok(routes.length >= 5, `${name}: ${routes.length} routes`);
      for (const r of routes) {
        const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const what = `${name}: ${r.method} ${path}`;
        const op = paths[path]?.[r.method.toLowerCase()];
        assert.ok(op, `${what} is described`);
        // Not the generic entry addUndescribedRoutes makes for routes the document lacks.
        assert.notEqual(op.summary, `${r.method} ${path}`, `${what}: a hand-written entry`);
        assert.ok(!op.tags?.includes('Queries'), `${what}: tagged for its area`);
        assert.ok((op as { responses?: Record<string, unknown> }).responses?.['401'], `${what}: 401`);
        for (const [, p] of path.matchAll(/\{([^}]+)\}/g))
          assert.ok(
            op.parameters?.some((x) => x.in === 'path' && x.name === p),
            `${what}: path parameter ${p}`,
          );
      }
    }
    // Every $ref of the document resolves.
    const refs = JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g);
    for (const [, at] of refs) {
      let node: unknown = doc;
      for (const k of at!.split('/')) node = (node as Record<string, unknown> | undefined)?.[k];
      assert.ok(node, `$ref #/${at} resolves`);
    }
  });

  test('/docs is served from this server: every script, style and image it loads is ours', async () => {
    const r = await s.req('/docs', { key: null });
    assert.equal(r.status, 200);
    const html = await r.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length >= 3);
    for (const ref of refs) {
      assert.ok(!/^(https?:)?\/\//.test(ref), `no external resource: ${ref}`);
      const asset = await s.req(new URL(ref, `${s.url}/docs/`).pathname, { key: null });
      assert.equal(asset.status, 200, ref);
    }
    // The page's script asks only this server (the spec) and no online validator or CDN.
    const init = await (await s.req('/docs/static/swagger-initializer.js', { key: null })).text();
    assert.doesNotMatch(init, /validator\.swagger\.io|unpkg|jsdelivr|cdnjs|petstore/);
    assert.match(init, /"validatorUrl":null/);
  });
});

describe('a failing store', () => {
  test('500s are ImplementationException problems that leak neither message nor stack', async () => {
    const s = await startTestServer({ closeStore: false });
    await s.store.close();
    const r = await s.req('/capture/any');
    assert.equal(r.status, 500);
    const p = await json(r);
    assert.equal(p.type, 'epcisException:ImplementationException');
    const text = JSON.stringify(p);
    assert.doesNotMatch(text, /at |\.ts:|not open|database/i);
    assert.ok(p.requestId);
    await s.close();
  });
});
