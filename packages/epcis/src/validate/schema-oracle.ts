/**
 * The reference verdicts rxtrace's validator is proven against: the official EPCIS 2.0 JSON Schema
 * and the query-language schema from `../shared/conformance`, compiled once with ajv (draft-07)
 * plus ajv-formats (full `date-time` and `uri` checks). Test and conformance support only: it
 * imports devDependencies and reads ../shared, and is not exported from the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule.default;

/** `../shared/conformance` seen from the repository root. */
export const SHARED_CONFORMANCE = new URL('../../../../../shared/conformance/', import.meta.url).pathname;
export const EPCIS_SCHEMA_PATH = 'epcis-schema/json-schema/EPCIS-JSON-Schema.json';
export const QUERY_SCHEMA_PATH = 'openapi/query-schema.json';

export interface SchemaOracle {
  /** The official EPCIS JSON Schema (documents, query documents, bare events). */
  epcis: ValidateFunction;
  /** `openapi/query-schema.json` (query-language bodies). */
  query: ValidateFunction;
}

const cache = new Map<string, SchemaOracle>();

/** Compiles both schemas (once per conformance root). */
export function schemaOracle(root = SHARED_CONFORMANCE): SchemaOracle {
  let o = cache.get(root);
  if (!o) {
    const compile = (path: string): ValidateFunction => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      return ajv.compile(JSON.parse(readFileSync(join(root, path), 'utf8')));
    };
    o = { epcis: compile(EPCIS_SCHEMA_PATH), query: compile(QUERY_SCHEMA_PATH) };
    cache.set(root, o);
  }
  return o;
}

export function haveSchemas(root = SHARED_CONFORMANCE): boolean {
  return existsSync(join(root, EPCIS_SCHEMA_PATH)) && existsSync(join(root, QUERY_SCHEMA_PATH));
}
