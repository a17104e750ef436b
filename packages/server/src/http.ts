/**
 * What the plugins share: the GS1 headers of the REST binding, the table of registered routes
 * (for `Allow`), route roles, and the server's context (store, capture service, limits).
 */
import type { CaptureService } from '@rxtrace/core';
import type { Store } from '@rxtrace/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Problem, ProblemError, renderProblem } from './problem.ts';

/** Who may call a route: a key role, or `public` (no key). Routes without one need `query`. */
export type RouteRole = 'capture' | 'query' | 'admin' | 'verify' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The key role a route needs (default `query`). */
    role?: RouteRole;
  }
  interface FastifyRequest {
    /** The API key that authenticated the request, if any. */
    apiKey?: { keyId: string; roles: string[]; label: string };
  }
}

export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';
export const VENDOR_VERSION = 'rxtrace-0.1.0';

/** Headers every response carries (the binding lists them on every successful response). */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'GS1-EPCIS-Version': EPCIS_VERSION,
  'GS1-CBV-Version': CBV_VERSION,
});

/** Headers of every `OPTIONS` answer (discovery). */
export const DISCOVERY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'GS1-EPCIS-Version': EPCIS_VERSION,
  'GS1-EPCIS-Min': '1.2.0',
  'GS1-EPCIS-Max': EPCIS_VERSION,
  'GS1-CBV-Version': CBV_VERSION,
  'GS1-CBV-Min': '1.2.0',
  'GS1-CBV-Max': CBV_VERSION,
  'GS1-EPC-Format': 'Always_GS1_Digital_Link',
  'GS1-CBV-XML-Format': 'No_Preference',
  'GS1-Extensions': '',
  'GS1-Vendor-Version': VENDOR_VERSION,
});

export interface HttpLimits {
  /** Events per capture call (`GS1-EPCIS-Capture-Limit`). */
  captureEvents: number;
  /** Capture document size in bytes (`GS1-EPCIS-Capture-File-Size-Limit`). */
  captureBytes: number;
  /** `proceed` mode: events per unit of work. */
  captureBatch: number;
  /** Other request bodies (JSON), in bytes. */
  bodyBytes: number;
}

/** The extra discovery headers of `/capture`. */
export function captureDiscoveryHeaders(limits: HttpLimits): Record<string, string> {
  return {
    'GS1-EPCIS-Capture-Limit': String(limits.captureEvents),
    'GS1-EPCIS-Capture-File-Size-Limit': String(limits.captureBytes),
    // The binding's header description: `all` announces that both `rollback` and `proceed` work.
    'GS1-Capture-Error-Behaviour': 'all',
  };
}

/** Registered routes (collected with an onRoute hook), to answer `OPTIONS` and 405 with `Allow`. */
export class RouteTable {
  private readonly routes: { pattern: string; re: RegExp; methods: Set<string> }[] = [];

  add(url: string, methods: string | string[]): void {
    if (url.includes('*')) return; // catch-alls are not resources
    let r = this.routes.find((x) => x.pattern === url);
    if (!r) {
      const re = new RegExp(
        `^${url
          .split('/')
          .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/')}/?$`,
      );
      r = { pattern: url, re, methods: new Set() };
      this.routes.push(r);
    }
    for (const m of Array.isArray(methods) ? methods : [methods]) r.methods.add(m.toUpperCase());
  }

  /** Methods allowed on a concrete path (OPTIONS included), or empty when no route matches. */
  allowed(path: string): string[] {
    const out = new Set<string>();
    const literal = this.routes.find((r) => r.pattern === path || r.pattern === `${path}/`);
    for (const r of literal ? [literal] : this.routes.filter((x) => x.re.test(path)))
      for (const m of r.methods) out.add(m);
    if (out.size === 0) return [];
    out.add('OPTIONS');
    return [...out].sort((a, b) => rank(a) - rank(b));
  }

  list(): { pattern: string; methods: string[] }[] {
    return this.routes.map((r) => ({ pattern: r.pattern, methods: [...r.methods] }));
  }
}

const METHOD_ORDER = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
function rank(m: string): number {
  const i = METHOD_ORDER.indexOf(m);
  return i === -1 ? 99 : i;
}

/** Marks a plugin as not encapsulated: its hooks and handlers apply to the whole server. */
export function global<T extends (...args: never[]) => unknown>(plugin: T): T {
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}

/** What the plugins get from buildServer. */
export interface ServerContext {
  store: Store;
  capture: CaptureService;
  limits: HttpLimits;
  routes: RouteTable;
  /** Set once migrations have run. */
  state: { ready: boolean; draining: boolean; startedAt: number };
}

/** Sends a problem in the representation the client asks for. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: Problem): FastifyReply {
  const xmlBody = /xml/i.test(String(request.headers['content-type'] ?? ''));
  const [type, body] = renderProblem(p, request.headers.accept, xmlBody ? 'xml' : 'json');
  return reply.code(p.status).header('content-type', type).send(body);
}

export function fail(p: Problem): never {
  throw new ProblemError(p);
}

/** The path of a request without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
