/**
 * The OpenAPI 3.0 document of rxtrace's HTTP API, written for rxtrace's actual routes in the
 * structure of the EPCIS 2.0 REST binding (tags, GS1 headers, RFC 7807 problems, capture jobs).
 * Routes registered by other plugins (the query interface) that this document does not describe
 * are added from the route table when the server starts (see plugins/docs.ts).
 */
import { CBV_VERSION, EPCIS_VERSION, type HttpLimits } from './http.ts';
import { dscsaPaths, dscsaTags } from './openapi-dscsa.ts';
import { fmdPaths, fmdTags } from './openapi-fmd.ts';
import { labelsPaths, labelsTag } from './openapi-labels.ts';
import { REGISTRY_TAG, registryPaths, registryResponses, registrySchemas } from './openapi-registry.ts';
import { serialsPaths, serialsSchemas, serialsTag } from './openapi-serials.ts';
import { tracePaths, traceSchemas, traceTag } from './openapi-trace.ts';
import { verificationPaths, verificationSchemas, verificationTag } from './openapi-verification.ts';

type Obj = Record<string, unknown>;

const problem = (description: string): Obj => ({
  description,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    'application/problem+xml': { schema: { $ref: '#/components/schemas/Problem' } },
  },
});

const secured = { security: [{ apiKey: [] }] };
const common401 = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
};

const options = (summary: string, extraHeaders: Obj = {}): Obj => ({
  tags: ['Discovery'],
  summary,
  security: [],
  responses: {
    '204': {
      description:
        'The methods allowed on the resource and the EPCIS / CBV versions and formats of this server.',
      headers: {
        Allow: { schema: { type: 'string' } },
        'GS1-EPCIS-Version': { $ref: '#/components/headers/GS1-EPCIS-Version' },
        'GS1-EPCIS-Min': { schema: { type: 'string', example: '1.2.0' } },
        'GS1-EPCIS-Max': { schema: { type: 'string', example: EPCIS_VERSION } },
        'GS1-CBV-Version': { $ref: '#/components/headers/GS1-CBV-Version' },
        'GS1-CBV-Min': { schema: { type: 'string', example: '1.2.0' } },
        'GS1-CBV-Max': { schema: { type: 'string', example: CBV_VERSION } },
        'GS1-EPC-Format': { schema: { type: 'string', example: 'Always_GS1_Digital_Link' } },
        'GS1-CBV-XML-Format': { schema: { type: 'string', example: 'No_Preference' } },
        'GS1-Extensions': { schema: { type: 'string' } },
        'GS1-Vendor-Version': { schema: { type: 'string' } },
        ...extraHeaders,
      },
    },
    '404': { $ref: '#/components/responses/NotFound' },
  },
});

export function openApiDocument(limits: HttpLimits): Obj {
  return {
    openapi: '3.0.3',
    info: {
      title: 'rxtrace — EPCIS 2.0 event repository',
      version: '0.1.0',
      description:
        'The HTTP API of rxtrace: the EPCIS 2.0 REST binding (capture, and the query interface), API keys, health and metrics. ' +
        'Every error is an RFC 7807 problem (application/problem+json, or application/problem+xml when the client accepts XML) whose ' +
        '`type` names the EPCIS exception (`epcisException:ValidationException`, …). Access: `Authorization: Bearer <key>`; keys have ' +
        'the roles `capture`, `query` and `admin`.',
      license: { name: 'Apache-2.0' },
    },
    tags: [
      { name: 'Capture', description: 'Capturing EPCIS events, in documents or one by one.' },
      { name: 'Discovery', description: 'Server settings: versions, formats, limits.' },
      { name: 'Keys', description: 'API key administration (role admin).' },
      labelsTag,
      { name: 'Operations', description: 'Health and metrics.' },
      REGISTRY_TAG,
      serialsTag,
      traceTag,
      verificationTag,
      ...fmdTags,
      ...dscsaTags,
    ],
    paths: {
      ...registryPaths(),
      '/': {
        options: options('Server settings: EPCIS and CBV versions and formats.'),
        get: {
          tags: ['Discovery'],
          summary: 'The top-level resources of this repository.',
          ...secured,
          responses: {
            '200': {
              description: 'A collection of resource names.',
              content: {
                'application/json': {
                  example: {
                    type: 'Collection',
                    member: [
                      'events',
                      'eventTypes',
                      'epcs',
                      'bizSteps',
                      'bizLocations',
                      'readPoints',
                      'dispositions',
                      'capture',
                      'queries',
                    ],
                  },
                },
              },
            },
            ...common401,
          },
        },
      },
      '/capture': {
        options: options('The settings of the capture interface: limits and error behaviours.', {
          'GS1-EPCIS-Capture-Limit': {
            description: 'Most events per capture call.',
            schema: { type: 'integer', example: limits.captureEvents },
          },
          'GS1-EPCIS-Capture-File-Size-Limit': {
            description: 'Largest document, in bytes.',
            schema: { type: 'integer', example: limits.captureBytes },
          },
          'GS1-Capture-Error-Behaviour': {
            description: '`all`: both `rollback` and `proceed` are supported.',
            schema: { type: 'string', example: 'all' },
          },
        }),
        post: {
          tags: ['Capture'],
          summary:
            'Capture an EPCIS document (EPCISDocument or EPCISQueryDocument; JSON-LD, or XML in EPCIS 2.0 or 1.2).',
          description:
            'The body is read as a stream, event by event, and never held whole. Each event is validated (JSON: the official JSON Schema ' +
            'and the rules beyond it; XML: the XSD structure and the same rules), normalised (canonical GS1 Digital Link identifiers, ' +
            'bare CBV words) and given its CBV 2.0 Event Hash ID; an event without eventID gets its hash ID as eventID; recordTime is ' +
            "the repository's. The events, the master data of the header and the job's final state are written in one transaction " +
            '(`rollback`), or in units of several thousand events (`proceed`). An event that is stored already (same Event Hash ID) ' +
            'is not stored twice; the job still succeeds and the answer counts the duplicates. Error declarations are stored and mark the ' +
            'original event as corrected.\n\nThe answer comes when the job has finished: 202 with `Location` and the job, or — when ' +
            "nothing was stored because of an error — the problem with the job's errors.",
          ...secured,
          parameters: [
            { $ref: '#/components/parameters/GS1-Capture-Error-Behaviour' },
            { $ref: '#/components/parameters/GS1-EPCIS-Version' },
            { $ref: '#/components/parameters/GS1-CBV-Version' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', description: 'EPCISDocument or EPCISQueryDocument (JSON-LD)' },
              },
              'application/ld+json': { schema: { type: 'object' } },
              'application/xml': {
                schema: {
                  type: 'string',
                  description: 'EPCISDocument or EPCISQueryDocument, EPCIS 2.0 or 1.2 XML',
                },
              },
            },
          },
          responses: {
            '202': {
              description:
                'Captured: the job has finished. `success` false in `proceed` mode: some events were refused (see `errors`).',
              headers: { Location: { schema: { type: 'string', example: '/capture/0b7f…' } } },
              content: {
                'application/json': {
                  schema: {
                    allOf: [
                      { $ref: '#/components/schemas/CaptureJob' },
                      { type: 'object', properties: { duplicates: { type: 'integer' } } },
                    ],
                  },
                },
              },
            },
            '400': problem(
              'Nothing stored: the document, or (in `rollback` mode) an event, is not valid. `errors` lists the problems, each with its event index and pointer.',
            ),
            ...common401,
            '413': {
              ...problem(
                'Over GS1-EPCIS-Capture-Limit (events) or GS1-EPCIS-Capture-File-Size-Limit (bytes): nothing stored.',
              ),
              headers: {
                'GS1-EPCIS-Capture-Limit': { schema: { type: 'integer' } },
                'GS1-EPCIS-Capture-File-Size-Limit': { schema: { type: 'integer' } },
              },
            },
            '415': problem('Not JSON(-LD) or XML.'),
          },
        },
        get: {
          tags: ['Capture'],
          summary: 'The capture jobs, oldest first (running ones first on the first page).',
          ...secured,
          parameters: [
            { $ref: '#/components/parameters/PerPage' },
            { $ref: '#/components/parameters/NextPageToken' },
          ],
          responses: {
            '200': {
              description: 'A page of jobs; `Link: <…>; rel="next"` when there are more.',
              headers: { Link: { schema: { type: 'string' } } },
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/CaptureJob' } },
                },
              },
            },
            ...common401,
          },
        },
      },
      '/capture/{captureID}': {
        parameters: [{ in: 'path', name: 'captureID', required: true, schema: { type: 'string' } }],
        options: options('Discovery for a capture job.'),
        get: {
          tags: ['Capture'],
          summary: 'A capture job: running, success, errors.',
          ...secured,
          responses: {
            '200': {
              description: 'The job (JSON, or epcis:EPCISCaptureJob XML).',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/CaptureJob' } },
                'application/xml': { schema: { type: 'string' } },
              },
            },
            ...common401,
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/events': {
        options: options('Discovery for the events resource.'),
        post: {
          tags: ['Capture'],
          summary: 'Capture one event (synchronously).',
          description:
            'One bare event: JSON-LD with its own `@context`, or an XML event element. 409 when an event with that eventID is stored ' +
            'already, unless this event is an error declaration for it.',
          ...secured,
          parameters: [
            { $ref: '#/components/parameters/GS1-EPCIS-Version' },
            { $ref: '#/components/parameters/GS1-CBV-Version' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object' } },
              'application/ld+json': { schema: { type: 'object' } },
              'application/xml': { schema: { type: 'string' } },
            },
          },
          responses: {
            '201': {
              description:
                'Stored. The body is the event as stored (normalised, with eventID and recordTime).',
              headers: {
                Location: { schema: { type: 'string', example: '/events/ni%3A%2F%2F%2Fsha-256%3B…' } },
              },
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '400': problem('The event is not valid.'),
            ...common401,
            '409': problem('An event with this eventID (or an identical event) is stored already.'),
            '413': problem('The event is too large.'),
            '415': problem('Not JSON(-LD) or XML.'),
          },
        },
      },
      '/keys': {
        options: options('Discovery for the keys resource.'),
        get: {
          tags: ['Keys'],
          summary: 'The API keys (never their secrets).',
          ...secured,
          responses: {
            '200': {
              description: 'Keys.',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } },
                },
              },
            },
            ...common401,
          },
        },
        post: {
          tags: ['Keys'],
          summary: 'Create an API key; the key is in this answer only.',
          ...secured,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['roles'],
                  properties: {
                    roles: {
                      type: 'array',
                      items: { type: 'string', enum: ['capture', 'query', 'admin', 'verify'] },
                    },
                    label: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'The new key.',
              content: {
                'application/json': {
                  schema: {
                    allOf: [
                      { $ref: '#/components/schemas/ApiKey' },
                      { type: 'object', properties: { key: { type: 'string' } } },
                    ],
                  },
                },
              },
            },
            '400': problem('Unknown role or bad body.'),
            ...common401,
          },
        },
      },
      '/keys/{keyId}': {
        parameters: [{ in: 'path', name: 'keyId', required: true, schema: { type: 'string' } }],
        options: options('Discovery for a key.'),
        delete: {
          tags: ['Keys'],
          summary: 'Revoke a key.',
          ...secured,
          responses: {
            '204': { description: 'Revoked.' },
            ...common401,
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      ...labelsPaths,
      ...serialsPaths,
      ...tracePaths,
      ...verificationPaths,
      ...fmdPaths,
      ...dscsaPaths,
      '/health': {
        get: {
          tags: ['Operations'],
          summary: 'Readiness: 200 once the database is migrated, 503 while starting or stopping.',
          security: [],
          responses: {
            '200': {
              description: 'Ready.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
            '503': {
              description: 'Starting or stopping.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
          },
        },
      },
      '/metrics': {
        get: {
          tags: ['Operations'],
          summary: 'Prometheus metrics: HTTP requests and latency, captured events, capture jobs, process.',
          security: [],
          responses: {
            '200': {
              description: 'Prometheus text format.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          tags: ['Operations'],
          summary: 'This document.',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.0 document.' } },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An rxtrace API key (`rxtrace keys create`).',
        },
      },
      parameters: {
        'GS1-Capture-Error-Behaviour': {
          in: 'header',
          name: 'GS1-Capture-Error-Behaviour',
          description: '`rollback` (default): all or nothing. `proceed`: store every valid event.',
          schema: { type: 'string', enum: ['rollback', 'proceed'], default: 'rollback' },
        },
        'GS1-EPCIS-Version': {
          in: 'header',
          name: 'GS1-EPCIS-Version',
          schema: { type: 'string', example: EPCIS_VERSION },
        },
        'GS1-CBV-Version': {
          in: 'header',
          name: 'GS1-CBV-Version',
          schema: { type: 'string', example: CBV_VERSION },
        },
        PerPage: {
          in: 'query',
          name: 'perPage',
          schema: { type: 'integer', minimum: 1, default: 30, maximum: 1000 },
        },
        NextPageToken: { in: 'query', name: 'nextPageToken', schema: { type: 'string' } },
      },
      headers: {
        'GS1-EPCIS-Version': { schema: { type: 'string', example: EPCIS_VERSION } },
        'GS1-CBV-Version': { schema: { type: 'string', example: CBV_VERSION } },
      },
      responses: {
        ...registryResponses(),
        Unauthorized: problem('No API key, or the key is not valid (epcisException:SecurityException).'),
        Forbidden: problem('The key lacks the role (epcisException:SecurityException).'),
        NotFound: problem('No such resource (epcisException:NoSuchResourceException).'),
      },
      schemas: {
        ...registrySchemas(),
        ...serialsSchemas,
        ...traceSchemas,
        ...verificationSchemas,
        Problem: {
          type: 'object',
          description: 'RFC 7807 problem details; `type` names the EPCIS exception.',
          required: ['type', 'title'],
          properties: {
            type: { type: 'string', example: 'epcisException:ValidationException' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { $ref: '#/components/schemas/CaptureProblem' } },
          },
        },
        CaptureProblem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            eventIndex: { type: 'integer', description: '0-based position of the event in the document.' },
            pointer: { type: 'string', description: 'JSON pointer of the fault.' },
          },
        },
        CaptureJob: {
          type: 'object',
          properties: {
            captureID: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            finishedAt: { type: 'string', format: 'date-time' },
            running: { type: 'boolean' },
            success: { type: 'boolean' },
            captureErrorBehaviour: { type: 'string', enum: ['rollback', 'proceed'] },
            eventCount: { type: 'integer', description: 'Events stored by the job.' },
            errors: { type: 'array', items: { $ref: '#/components/schemas/CaptureProblem' } },
          },
        },
        ApiKey: {
          type: 'object',
          properties: {
            keyId: { type: 'string' },
            roles: { type: 'array', items: { type: 'string' } },
            label: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            revokedAt: { type: 'string', format: 'date-time' },
          },
        },
        Health: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ok', 'starting', 'stopping'] },
            store: { type: 'string' },
            uptimeSeconds: { type: 'integer' },
            captureJobsRunning: { type: 'integer' },
          },
        },
      },
    },
  };
}

/** Adds the routes of the table that the document does not describe (e.g. the query interface). */
export function addUndescribedRoutes(doc: Obj, routes: { pattern: string; methods: string[] }[]): void {
  const paths = doc.paths as Record<string, Record<string, unknown>>;
  for (const r of routes) {
    if (r.pattern.startsWith('/docs')) continue;
    const path = r.pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const entry = (paths[path] ??= {});
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      in: 'path',
      name: m[1],
      required: true,
      schema: { type: 'string' },
    }));
    if (params.length && !entry.parameters) entry.parameters = params;
    for (const m of r.methods) {
      const method = m.toLowerCase();
      if (method === 'head' || entry[method]) continue;
      entry[method] = {
        tags: ['Queries'],
        summary: `${m} ${path}`,
        security: [{ apiKey: [] }],
        responses: {
          '200': { description: 'See the EPCIS 2.0 REST binding.' },
          default: { $ref: '#/components/responses/NotFound' },
        },
      };
    }
    if (!entry.options) entry.options = options(`Discovery for ${path}.`);
  }
}
