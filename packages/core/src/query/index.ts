/** The SimpleEventQuery engine: parameters → store filter + residual predicate → pages → documents. */
import type { Store } from '@rxtrace/store';
import { planQuery } from './compile.ts';
import { type PageOptions, type QueryPage, runQuery } from './engine.ts';
import type { ParsedQuery } from './params.ts';

export {
  type Candidate,
  compileQuery,
  fingerprintOf,
  type Predicate,
  planQuery,
  type QueryOrder,
  type QueryPlan,
  VTYPE,
} from './compile.ts';
export {
  type CbvXmlFormat,
  EPCIS_CONTEXT,
  type EpcFormat,
  type EpcTranslation,
  masterDataOfEvents,
  parseCbvXmlFormat,
  parseEpcFormat,
  presentEvents,
  type QueryDocumentOptions,
  queryDocument,
  queryDocumentXml,
  urnConverter,
  vocabularyList,
} from './document.ts';
export {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type PageOptions,
  type QueryPage,
  resolvePerPage,
  runQuery,
} from './engine.ts';
export { parameterError, QueryError, type QueryExceptionName } from './errors.ts';
export { type IdMatcher, idMatcher, matchesId } from './match.ts';
export { MemoryStore } from './memory-store.ts';
export {
  classifyParam,
  isQueryParameterName,
  namespacesOfContext,
  PAGINATION_PARAMETERS,
  type ParamDef,
  type ParamValue,
  type ParsedParam,
  type ParsedQuery,
  parseExtensionsHeader,
  parseQueryBody,
  parseQueryString,
  STANDARD_EVENT_FIELDS,
} from './params.ts';

/** Plans and runs one page of a parsed query. */
export async function queryEventsPage(
  store: Store,
  query: ParsedQuery,
  page: PageOptions,
): Promise<QueryPage> {
  return runQuery(store, await planQuery(query, store), page);
}
