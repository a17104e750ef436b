/**
 * A parsed SimpleEventQuery → a plan: the store `EventFilter` (what the store selects with its
 * indexes: a superset of the answer) and the residual predicate, evaluated in JavaScript on every
 * candidate the store returns. The residual checks EVERY parameter, the indexed ones included, on
 * the event itself, so the answer never depends on how exactly a store evaluates its filter as
 * long as it returns a superset (e.g. whether it labels identifiers of input quantity lists
 * `inputClass` or `class`).
 *
 * Values are normalised as stored events are (`normaliseEvent`): identifiers to the canonical
 * Digital Link, CBV values to bare words — so `shipping`, `https://ref.gs1.org/cbv/BizStep-shipping`,
 * `urn:epcglobal:cbv:bizstep:shipping` and `cbv:BizStep-shipping` all match a stored `shipping`.
 */
import { createHash } from 'node:crypto';
import {
  type CbvKind,
  type EPCISEvent,
  normaliseCbv,
  normaliseIdentifier,
  type QuantityElement,
  type SensorElement,
  type SensorReport,
} from '@rxtrace/epcis';
import type { EventFilter, EventOrder, IdentifierRole, MasterDataElement, Store } from '@rxtrace/store';
import { parameterError } from './errors.ts';
import {
  compare,
  DEFAULT_NAMESPACES,
  type FieldName,
  innerValuesOf,
  isPresent,
  looseCompare,
  looseEquals,
  namespacesOfEvent,
  resolveFieldName,
  valuesOf,
} from './fields.ts';
import { idMatcher, matchesId } from './match.ts';
import type {
  CompareOp,
  ExtScope,
  MatchField,
  Op,
  ParamValue,
  ParsedParam,
  ParsedQuery,
  SensorField,
} from './params.ts';

/** What a predicate sees: the stored event and its record time. */
export interface Candidate {
  event: EPCISEvent;
  recordTime?: string;
  seq?: number;
}
export type Predicate = (c: Candidate) => boolean;

export type QueryOrder = { by: EventOrder } | { by: 'extension'; field: FieldName };

export interface QueryPlan {
  /** Selected by the store (a superset of the answer). */
  filter: EventFilter;
  /** The whole query, evaluated on each candidate. */
  residual: Predicate;
  /** The residual's parts, by parameter name (for tests and explanations). */
  predicates: { name: string; test: Predicate }[];
  order: QueryOrder;
  direction: 'ASC' | 'DESC';
  eventCountLimit?: number;
  maxEventCount?: number;
  /** Stable digest of the query (binds page tokens to it). */
  fingerprint: string;
  namespaces: Record<string, string>;
}

/** A step that needs the store (WD_ hierarchy, master-data attributes). */
type Deferred = (store: Store, plan: QueryPlan) => Promise<void>;

export const VTYPE = {
  ReadPoint: 'urn:epcglobal:epcis:vtype:ReadPoint',
  BusinessLocation: 'urn:epcglobal:epcis:vtype:BusinessLocation',
  BusinessStep: 'urn:epcglobal:epcis:vtype:BusinessStep',
  Disposition: 'urn:epcglobal:epcis:vtype:Disposition',
  EPCClass: 'urn:epcglobal:epcis:vtype:EPCClass',
} as const;

const strings = (v: ParamValue): string[] => (v.kind === 'strings' || v.kind === 'loose' ? v.values : []);
const iso = (ms: number): string => new Date(ms).toISOString();
const timeOf = (text: string | undefined): number => (text === undefined ? Number.NaN : Date.parse(text));
const uniq = (a: string[]): string[] => [...new Set(a)];

function intersect(a: string[] | undefined, b: string[]): string[] {
  if (!a) return uniq(b);
  const s = new Set(b);
  return a.filter((x) => s.has(x));
}

function timeRange(
  r: { ge?: string; lt?: string } | undefined,
  op: 'GE' | 'LT',
  ms: number,
): { ge?: string; lt?: string } {
  const out = { ...(r ?? {}) };
  // The store compares milliseconds; one more millisecond on LT keeps its answer a superset when
  // the parameter has sub-millisecond digits (the residual compares exactly).
  if (op === 'GE') out.ge = iso(ms);
  else out.lt = iso(ms + 1);
  return out;
}

/** Identifier lists an EPC / class parameter looks at, and the store roles that cover them. */
const MATCH_LISTS: Record<
  MatchField,
  { lists: (keyof EPCISEvent)[]; roles: IdentifierRole[]; classRole: boolean }
> = {
  epc: { lists: ['epcList', 'childEPCs'], roles: ['epc', 'child'], classRole: false },
  parentID: { lists: ['parentID'], roles: ['parent'], classRole: false },
  inputEPC: { lists: ['inputEPCList'], roles: ['input'], classRole: false },
  outputEPC: { lists: ['outputEPCList'], roles: ['output'], classRole: false },
  anyEPC: {
    lists: ['epcList', 'childEPCs', 'parentID', 'inputEPCList', 'outputEPCList'],
    roles: ['epc', 'parent', 'child', 'input', 'output'],
    classRole: false,
  },
  epcClass: {
    lists: ['quantityList', 'childQuantityList'],
    roles: ['class', 'childClass', 'inputClass', 'outputClass'],
    classRole: true,
  },
  inputEPCClass: {
    lists: ['inputQuantityList'],
    roles: ['class', 'childClass', 'inputClass', 'outputClass'],
    classRole: true,
  },
  outputEPCClass: {
    lists: ['outputQuantityList'],
    roles: ['class', 'childClass', 'inputClass', 'outputClass'],
    classRole: true,
  },
  anyEPCClass: {
    lists: ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'],
    roles: ['class', 'childClass', 'inputClass', 'outputClass'],
    classRole: true,
  },
};

const QUANTITY_LISTS = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
] as const;

function idsOf(e: EPCISEvent, lists: readonly (keyof EPCISEvent)[]): string[] {
  const out: string[] = [];
  for (const k of lists) {
    const v = e[k];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v))
      for (const x of v) out.push(typeof x === 'string' ? x : (x as QuantityElement).epcClass);
  }
  return out;
}

const cbv = (kind: CbvKind, ns: Record<string, string>) => (v: string) => normaliseCbv(kind, v, ns);

/** The same parameter's values with every spelling a stored value may have. */
function idForms(values: string[]): string[] {
  return uniq(values.flatMap((v) => [normaliseIdentifier(v), v]));
}

function isGs1Identifier(v: string): boolean {
  return normaliseIdentifier(v) !== v || v.startsWith('https://id.gs1.org/');
}

// ---------------------------------------------------------------------------------------------
// Sensor data: every sensor parameter must hold for one sensor report (with its element's metadata).

const METADATA_ONLY = new Set<SensorField>(['startTime', 'endTime', 'bizRules']);
const BOTH = new Set<SensorField>(['time', 'deviceID', 'dataProcessingMethod']);
const ID_FIELDS = new Set<SensorField>([
  'deviceID',
  'dataProcessingMethod',
  'microorganism',
  'chemicalSubstance',
  'bizRules',
  'uriValue',
]);

type ReportTest = (r: SensorReport, se: SensorElement) => boolean;

function sensorTest(p: ParsedParam, ns: Record<string, string>): ReportTest {
  const def = p.def as { field: SensorField; op: 'EQ' | CompareOp; uom?: string };
  const field = def.field;
  const read = (r: SensorReport, se: SensorElement): unknown[] => {
    const md = (se.sensorMetadata ?? {}) as Record<string, unknown>;
    const rr = r as Record<string, unknown>;
    if (METADATA_ONLY.has(field)) return [md[field]];
    if (BOTH.has(field)) return [rr[field], md[field]];
    return [rr[field]];
  };
  const v = p.value;
  if (def.uom !== undefined) {
    const uom = def.uom;
    if (def.op === 'EQ') {
      const want = v.kind === 'numbers' ? v.values : [];
      return (r) =>
        r.uom === uom &&
        typeof r[field as 'value'] === 'number' &&
        want.includes(r[field as 'value'] as number);
    }
    const n = v.kind === 'number' ? v.value : Number.NaN;
    const op = def.op;
    return (r) =>
      r.uom === uom &&
      typeof r[field as 'value'] === 'number' &&
      compare(op, r[field as 'value'] as number, n);
  }
  if (v.kind === 'time') {
    const op = def.op as 'GE' | 'LT';
    return (r, se) =>
      read(r, se).some(
        (x) => typeof x === 'string' && !Number.isNaN(timeOf(x)) && compare(op, timeOf(x), v.value),
      );
  }
  if (v.kind === 'number') {
    const op = def.op as CompareOp;
    return (r, se) => read(r, se).some((x) => typeof x === 'number' && compare(op, x, v.value));
  }
  if (v.kind === 'boolean') return (r, se) => read(r, se).some((x) => x === v.value || x === String(v.value));
  // EQ with a list of strings.
  let norm: (s: string) => string = (s) => s;
  if (field === 'type') norm = cbv('measurementType', ns);
  else if (ID_FIELDS.has(field)) norm = normaliseIdentifier;
  else if (field === 'hexBinaryValue') norm = (s) => s.toUpperCase();
  const want = new Set(strings(v).map(norm));
  return (r, se) => read(r, se).some((x) => typeof x === 'string' && want.has(norm(x)));
}

// ---------------------------------------------------------------------------------------------
// Extension fields

function scopeObjects(e: EPCISEvent, scope: ExtScope): unknown[] {
  switch (scope) {
    case 'event':
      return [e];
    case 'ilmd':
      return e.ilmd ? [e.ilmd] : [];
    case 'errorDeclaration':
      return e.errorDeclaration ? [e.errorDeclaration] : [];
    case 'readPoint':
      return e.readPoint ? [e.readPoint] : [];
    case 'bizLocation':
      return e.bizLocation ? [e.bizLocation] : [];
    case 'sensorElement':
      return e.sensorElementList ?? [];
    case 'sensorMetadata':
      return (e.sensorElementList ?? []).flatMap((se) => (se.sensorMetadata ? [se.sensorMetadata] : []));
    case 'sensorReport':
      return (e.sensorElementList ?? []).flatMap((se) => se.sensorReport ?? []);
  }
}

function extTest(p: ParsedParam, queryNs: Record<string, string>): Predicate {
  const def = p.def as { op: Op; scope: ExtScope; inner: boolean; field: string };
  const f = resolveFieldName(def.field, queryNs);
  const found = (e: EPCISEvent): unknown[] => {
    const ens = namespacesOfEvent(e);
    const out: unknown[] = [];
    for (const o of scopeObjects(e, def.scope)) {
      if (def.inner) innerValuesOf(o, f, ens, queryNs, def.scope === 'event', out);
      else valuesOf(o, f, ens, queryNs, out);
    }
    return out;
  };
  const v = p.value;
  switch (def.op) {
    case 'EXISTS':
      return ({ event }) => found(event).some(isPresent);
    case 'EQ': {
      const want = strings(v);
      return ({ event }) => found(event).some((x) => want.some((w) => looseEquals(x, w)));
    }
    default: {
      const op = def.op;
      const param = v.kind === 'compare' ? v : {};
      return ({ event }) => found(event).some((x) => looseCompare(op, x, param));
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Master-data element ids (of `types`) whose attributes satisfy `test`. */
async function idsWithAttributes(
  store: Store,
  types: string[],
  test: (el: MasterDataElement) => boolean,
): Promise<string[]> {
  const out: string[] = [];
  for (const t of types)
    for (const el of await store.getMasterData(t)) if (test(el)) out.push(el.id, normaliseIdentifier(el.id));
  return uniq(out);
}

function attrMatches(attrId: string, wanted: string, ns: Record<string, string>): boolean {
  if (attrId === wanted) return true;
  const expand = (s: string): string => {
    const c = s.indexOf(':');
    if (c <= 0 || s.startsWith('urn:') || s.startsWith('http')) return s;
    const base = ns[s.slice(0, c)] ?? DEFAULT_NAMESPACES[s.slice(0, c)];
    return base === undefined ? s : base + s.slice(c + 1);
  };
  return expand(attrId) === expand(wanted);
}

/** The vocabulary field a HASATTR_ / EQ_ATTR_ parameter names: how to read it and where its master data is. */
function vocabularyField(
  name: string,
  field: string,
): {
  types: string[];
  read: (e: EPCISEvent) => string[];
  filterKey?: 'readPoints' | 'bizLocations' | 'bizSteps' | 'dispositions';
} {
  switch (field) {
    case 'readPoint':
      return {
        types: [VTYPE.ReadPoint, VTYPE.BusinessLocation],
        read: (e) => (e.readPoint ? [normaliseIdentifier(e.readPoint.id)] : []),
        filterKey: 'readPoints',
      };
    case 'bizLocation':
      return {
        types: [VTYPE.BusinessLocation, VTYPE.ReadPoint],
        read: (e) => (e.bizLocation ? [normaliseIdentifier(e.bizLocation.id)] : []),
        filterKey: 'bizLocations',
      };
    case 'bizStep':
      return {
        types: [VTYPE.BusinessStep],
        read: (e) => (e.bizStep ? [e.bizStep] : []),
        filterKey: 'bizSteps',
      };
    case 'disposition':
      return {
        types: [VTYPE.Disposition],
        read: (e) => (e.disposition ? [e.disposition] : []),
        filterKey: 'dispositions',
      };
    case 'epcClass':
      return { types: [VTYPE.EPCClass], read: (e) => idsOf(e, QUANTITY_LISTS).map(normaliseIdentifier) };
    default:
      throw parameterError(
        `${name}: master-data attributes can be queried for readPoint, bizLocation, bizStep, disposition and epcClass, not '${field}'`,
      );
  }
}

/**
 * Compiles a parsed query into a plan. Parameters that need the store (WD_ descendants, master
 * data attributes) are resolved by {@link planQuery}; `compileQuery` alone gives the plan of a
 * query without them (and throws for them), for pure use.
 */
export function compileQuery(q: ParsedQuery): { plan: QueryPlan; deferred: Deferred[] } {
  const ns = { ...DEFAULT_NAMESPACES, ...q.namespaces };
  const filter: EventFilter = {};
  const predicates: { name: string; test: Predicate }[] = [];
  const deferred: Deferred[] = [];
  const add = (name: string, test: Predicate) => predicates.push({ name, test });
  const quantityGroups = new Map<string, ParsedParam[]>();
  const sensorParams: ParsedParam[] = [];
  let orderBy: string | undefined;
  let direction: 'ASC' | 'DESC' | undefined;
  let eventCountLimit: number | undefined;
  let maxEventCount: number | undefined;
  const errorFilter = (): NonNullable<EventFilter['errorDeclaration']> => {
    filter.errorDeclaration ??= {};
    return filter.errorDeclaration;
  };

  for (const p of q.params) {
    const d = p.def;
    const v = p.value;
    switch (d.group) {
      case 'eventType': {
        const want = strings(v);
        filter.eventTypes = intersect(filter.eventTypes, want);
        add(p.name, ({ event }) => want.includes(event.type));
        break;
      }
      case 'time': {
        if (v.kind !== 'time') break;
        const op = d.op;
        const cmp = (t: number) => !Number.isNaN(t) && (op === 'GE' ? t >= v.value : t < v.value);
        if (d.field === 'eventTime') {
          filter.eventTime = timeRange(filter.eventTime, op, v.value);
          add(p.name, ({ event }) => cmp(timeOf(event.eventTime)));
        } else if (d.field === 'recordTime') {
          filter.recordTime = timeRange(filter.recordTime, op, v.value);
          add(p.name, (c) => cmp(timeOf(c.recordTime ?? c.event.recordTime)));
        } else {
          const ef = errorFilter();
          ef.declarationTime = timeRange(ef.declarationTime, op, v.value);
          add(p.name, ({ event }) => cmp(timeOf(event.errorDeclaration?.declarationTime)));
        }
        break;
      }
      case 'eq': {
        const raw = strings(v);
        switch (d.field) {
          case 'action':
            filter.actions = intersect(filter.actions, raw);
            add(p.name, ({ event }) => event.action !== undefined && raw.includes(event.action));
            break;
          case 'bizStep':
          case 'disposition': {
            const kind = d.field;
            const n = cbv(kind, ns);
            const want = uniq(raw.map(n));
            if (kind === 'bizStep') filter.bizSteps = intersect(filter.bizSteps, want);
            else filter.dispositions = intersect(filter.dispositions, want);
            add(p.name, ({ event }) => {
              const x = event[kind];
              return typeof x === 'string' && want.includes(n(x));
            });
            break;
          }
          case 'persistentDisposition_set':
          case 'persistentDisposition_unset': {
            const n = cbv('disposition', ns);
            const want = new Set(raw.map(n));
            const which = d.field === 'persistentDisposition_set' ? 'set' : 'unset';
            add(p.name, ({ event }) =>
              (event.persistentDisposition?.[which] ?? []).some((x) => want.has(n(x))),
            );
            break;
          }
          case 'readPoint':
          case 'bizLocation': {
            const key = d.field;
            const want = uniq(raw.map(normaliseIdentifier));
            if (key === 'readPoint') filter.readPoints = intersect(filter.readPoints, want);
            else filter.bizLocations = intersect(filter.bizLocations, want);
            add(p.name, ({ event }) => {
              const id = event[key]?.id;
              return id !== undefined && want.includes(normaliseIdentifier(id));
            });
            break;
          }
          case 'transformationID': {
            const want = new Set(idForms(raw));
            add(
              p.name,
              ({ event }) =>
                event.transformationID !== undefined &&
                (want.has(event.transformationID) || want.has(normaliseIdentifier(event.transformationID))),
            );
            break;
          }
          case 'eventID':
            filter.eventIds = intersect(filter.eventIds, raw);
            add(p.name, ({ event }) => event.eventID !== undefined && raw.includes(event.eventID));
            break;
          case 'errorReason': {
            const n = cbv('errorReason', ns);
            const want = uniq(raw.map(n));
            const ef = errorFilter();
            ef.reasons = intersect(ef.reasons, want);
            add(p.name, ({ event }) => {
              const r = event.errorDeclaration?.reason;
              return r !== undefined && want.includes(n(r));
            });
            break;
          }
          case 'correctiveEventID': {
            const ef = errorFilter();
            ef.correctiveEventIds = intersect(ef.correctiveEventIds, raw);
            add(p.name, ({ event }) =>
              (event.errorDeclaration?.correctiveEventIDs ?? []).some((x) => raw.includes(x)),
            );
            break;
          }
        }
        break;
      }
      case 'wd': {
        const key = d.field;
        const raw = strings(v);
        const holder: { set?: Set<string> } = {};
        deferred.push(async (store, plan) => {
          const all = uniq([...raw, ...raw.map(normaliseIdentifier)]);
          const desc = await store.descendants(all);
          const ids = uniq([...all, ...desc, ...desc.map(normaliseIdentifier)]);
          holder.set = new Set(ids);
          if (key === 'readPoint') plan.filter.readPoints = intersect(plan.filter.readPoints, ids);
          else plan.filter.bizLocations = intersect(plan.filter.bizLocations, ids);
        });
        add(p.name, ({ event }) => {
          const id = event[key]?.id;
          if (id === undefined) return false;
          const set = holder.set;
          if (!set)
            throw parameterError(
              `${p.name} needs the master-data hierarchy: plan the query with planQuery(store)`,
            );
          return set.has(id) || set.has(normaliseIdentifier(id));
        });
        break;
      }
      case 'match': {
        const spec = MATCH_LISTS[d.field];
        const m = idMatcher(p.name, strings(v), spec.classRole);
        filter.identifiers ??= [];
        filter.identifiers.push({
          roles: spec.roles,
          ...(m.exact.length ? { values: m.exact } : {}),
          ...(m.prefixes.length ? { prefixes: m.prefixes } : {}),
        });
        add(p.name, ({ event }) =>
          idsOf(event, spec.lists).some((id) => matchesId(m, normaliseIdentifier(id))),
        );
        break;
      }
      case 'quantity': {
        const key = d.uom ?? '';
        const g = quantityGroups.get(key) ?? [];
        g.push(p);
        quantityGroups.set(key, g);
        break;
      }
      case 'reference': {
        const kind = d.kind;
        const type = normaliseCbv(
          kind === 'bizTransaction' ? 'bizTransactionType' : 'sourceDestType',
          d.type,
          ns,
        );
        const raw = strings(v);
        const want = new Set(idForms(raw));
        // Business-transaction ids are stored as written: a GS1 key given in another form than
        // stored cannot be looked up, so those are left to the residual.
        if (kind !== 'bizTransaction' || !raw.some(isGs1Identifier)) {
          filter.references ??= [];
          filter.references.push({ kind, type, values: [...want] });
        }
        const typeNorm = cbv(kind === 'bizTransaction' ? 'bizTransactionType' : 'sourceDestType', ns);
        add(p.name, ({ event }) => {
          const items: { type?: string; id: string }[] =
            kind === 'bizTransaction'
              ? (event.bizTransactionList ?? []).map((b) => ({
                  ...(b.type !== undefined ? { type: b.type } : {}),
                  id: b.bizTransaction,
                }))
              : kind === 'source'
                ? (event.sourceList ?? []).map((s) => ({ type: s.type, id: s.source }))
                : (event.destinationList ?? []).map((s) => ({ type: s.type, id: s.destination }));
          return items.some(
            (it) =>
              it.type !== undefined &&
              typeNorm(it.type) === type &&
              (want.has(it.id) || want.has(normaliseIdentifier(it.id))),
          );
        });
        break;
      }
      case 'exists': {
        const field = d.field;
        if (field === 'errorDeclaration') errorFilter().exists = true;
        add(p.name, ({ event }) => isPresent(event[field]));
        break;
      }
      case 'sensor':
        sensorParams.push(p);
        break;
      case 'ext':
        add(p.name, extTest(p, ns));
        break;
      case 'hasAttr':
      case 'eqAttr': {
        const vf = vocabularyField(p.name, d.field);
        const holder: { set?: Set<string> } = {};
        const wanted = strings(v);
        const attrTest =
          d.group === 'hasAttr'
            ? (el: MasterDataElement) =>
                (el.attributes ?? []).some((a) => wanted.some((w) => attrMatches(a.id, w, ns)))
            : (el: MasterDataElement) =>
                (el.attributes ?? []).some(
                  (a) => attrMatches(a.id, d.attr, ns) && wanted.some((w) => looseEquals(a.attribute, w)),
                );
        deferred.push(async (store, plan) => {
          const ids = await idsWithAttributes(store, vf.types, attrTest);
          holder.set = new Set(ids);
          if (vf.filterKey) plan.filter[vf.filterKey] = intersect(plan.filter[vf.filterKey], ids);
        });
        add(p.name, ({ event }) => {
          const set = holder.set;
          if (!set) throw parameterError(`${p.name} needs master data: plan the query with planQuery(store)`);
          return vf.read(event).some((x) => set.has(x));
        });
        break;
      }
      case 'orderBy':
        if (v.kind === 'string') orderBy = v.value;
        break;
      case 'orderDirection':
        if (v.kind === 'string') direction = v.value as 'ASC' | 'DESC';
        break;
      case 'eventCountLimit':
        if (v.kind === 'number') eventCountLimit = v.value;
        break;
      case 'maxEventCount':
        if (v.kind === 'number') maxEventCount = v.value;
        break;
    }
  }

  for (const [uom, group] of quantityGroups) {
    const tests = group.map((p) => {
      const d = p.def as { op: 'EQ' | CompareOp };
      const v = p.value;
      if (d.op === 'EQ') {
        const want = v.kind === 'numbers' ? v.values : [];
        return (q: number) => want.includes(q);
      }
      const n = v.kind === 'number' ? v.value : Number.NaN;
      const op = d.op;
      return (q: number) => compare(op, q, n);
    });
    add(group.map((p) => p.name).join(' & '), ({ event }) =>
      QUANTITY_LISTS.some((k) =>
        (event[k] ?? []).some(
          (qe) =>
            typeof qe.quantity === 'number' &&
            (qe.uom ?? '') === uom &&
            tests.every((t) => t(qe.quantity as number)),
        ),
      ),
    );
  }

  if (sensorParams.length) {
    const tests = sensorParams.map((p) => sensorTest(p, ns));
    add(sensorParams.map((p) => p.name).join(' & '), ({ event }) =>
      (event.sensorElementList ?? []).some((se) =>
        (se.sensorReport ?? []).some((r) => tests.every((t) => t(r, se))),
      ),
    );
  }

  let order: QueryOrder = { by: 'seq' };
  if (orderBy === 'eventTime' || orderBy === 'recordTime') order = { by: orderBy };
  else if (orderBy !== undefined) order = { by: 'extension', field: resolveFieldName(orderBy, ns) };

  const residual: Predicate = (c) => {
    for (const p of predicates) if (!p.test(c)) return false;
    return true;
  };
  const plan: QueryPlan = {
    filter,
    residual,
    predicates,
    order,
    direction: orderBy === undefined ? 'ASC' : (direction ?? 'DESC'),
    ...(eventCountLimit !== undefined ? { eventCountLimit } : {}),
    ...(maxEventCount !== undefined ? { maxEventCount } : {}),
    fingerprint: fingerprintOf(q),
    namespaces: ns,
  };
  return { plan, deferred };
}

/** A stable digest of the query parameters (order-independent). */
export function fingerprintOf(q: ParsedQuery): string {
  const canon = q.params
    .map((p) => [p.name.replace(/_Time$/, 'Time'), p.value] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([canon, Object.entries(q.namespaces).sort()]))
    .digest('base64url')
    .slice(0, 16);
}

/** Compiles a query and resolves what needs the store (WD_ descendants, master-data attributes). */
export async function planQuery(q: ParsedQuery, store: Store): Promise<QueryPlan> {
  const { plan, deferred } = compileQuery(q);
  for (const step of deferred) await step(store, plan);
  return plan;
}
