/**
 * Seeded mutation of JSON values, for the schema-equivalence fuzz test: structural edits (drop,
 * add, retype, nest, duplicate) and string edits aimed at the schema's formats and vocabularies.
 * Test support only (not exported from the package).
 */

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Container = Json[] | { [k: string]: Json };

/** Every container in the value with the keys it holds, for picking a mutation site. */
function sites(v: Json, out: [Container, string | number][] = []): [Container, string | number][] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      sites(x, out);
    });
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      sites(v[k]!, out);
    }
  }
  return out;
}

const KEYS = [
  'foo',
  'ex:foo',
  'example:myField',
  'http://ns.example.com/f',
  'epcList',
  'quantityList',
  'childEPCs',
  'parentID',
  'action',
  'ilmd',
  'persistentDisposition',
  'bizTransactionList',
  'sensorElementList',
  'readPoint',
  'inputEPCList',
  'outputEPCList',
  'transformationID',
  'eventTime',
  'eventTimeZoneOffset',
  '@context',
  'type',
  'weight',
  'uom',
  'quantity',
  'epcClass',
  'id',
  'set',
  'unset',
  'sensorReport',
  'sensorMetadata',
  'declarationTime',
  'reason',
  'recordTime',
  'eventID',
  'certificationInfo',
  'a b:c',
  '@id',
  'cbvmda:lotNumber',
  'urn:x',
  'x:',
  'errorDeclaration',
  'vocabularyList',
  'queryName',
  'schemaVersion',
  '__proto__',
  'constructor',
  'epcisBody',
  'eventList',
  'queryResults',
  'resultsBody',
  'epcisHeader',
];
const STRINGS = [
  '',
  'x',
  'shipping',
  'transforming',
  'in_transit',
  'ADD',
  'OBSERVE',
  'DELETE',
  'add',
  'CREATE',
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
  'EPCISDocument',
  'ex:MyEvent',
  'EPCISQueryDocument',
  'urn:epcglobal:cbv:bizstep:receiving',
  'https://ref.gs1.org/cbv/BizStep-receiving',
  'https://ns.gs1.org/cbv/x',
  'urn:epc:id:sgtin:0614141.107346.2017',
  'https://id.gs1.org/01/09521141012345/21/2017',
  'not a uri',
  'http://[::1]/',
  'http://[::1',
  '2005-04-03T20:33:31.116-06:00',
  '2005-04-03T20:33:31',
  '2020-02-30T00:00:00Z',
  '2016-12-31T23:59:60Z',
  '+02:00',
  '-14:00',
  '+14:01',
  '-13:30',
  'KGM',
  'kg',
  'Temperature',
  'temperature',
  'https://gs1.org/voc/Temperature',
  'ALARM_CONDITION',
  'x',
  'latitude',
  'owning_party',
  'po',
  'did_not_occur',
  'ABCDEF',
  'ABC',
  'xyz',
  '2.0',
  '2.',
  '1.2.3',
  'urn:uuid:8b7f2a1c-0000-4000-8000-000000000000',
  'ni:///sha-256;abc?ver=CBV2.0',
  'geo:47.5,8.5',
];
const NUMBERS = [
  0,
  -1,
  1,
  1.5,
  150,
  1e308,
  -1e308,
  1e-300,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 53,
  0.1,
  100,
  101,
  Infinity,
  -Infinity,
];

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

function randomValue(r: () => number, depth = 0): Json {
  const t = r();
  if (t < 0.3) return pick(r, STRINGS);
  if (t < 0.45) return pick(r, NUMBERS);
  if (t < 0.52) return r() < 0.5;
  if (t < 0.57) return null;
  if (t < 0.8 || depth > 2) return depth > 2 ? pick(r, STRINGS) : [randomValue(r, depth + 1)];
  return own({}, pick(r, KEYS), randomValue(r, depth + 1));
}

/** Sets an own enumerable property (also for `__proto__`, as JSON.parse would). */
function own(o: { [k: string]: Json }, k: string, v: Json): { [k: string]: Json } {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

function editString(r: () => number, s: string): string {
  const ops = 1 + Math.floor(r() * 2);
  const alphabet = ' :/?#[]@%-+.TZ0123456789aZ_~!\u00e9';
  for (let i = 0; i < ops; i++) {
    const pos = Math.floor(r() * (s.length + 1));
    const ch = alphabet[Math.floor(r() * alphabet.length)]!;
    const op = r();
    if (op < 0.35) s = s.slice(0, pos) + ch + s.slice(pos);
    else if (op < 0.65) s = s.slice(0, pos) + s.slice(pos + 1);
    else s = s.slice(0, pos) + ch + s.slice(pos + 1);
  }
  return s;
}

/** One random mutation, in place. Returns a short description. */
export function mutateOnce(doc: Json, r: () => number): string {
  const all = sites(doc);
  if (all.length === 0) return 'none';
  const [container, key] = pick(r, all);
  const get = () => (container as Record<string | number, Json>)[key]!;
  const set = (v: Json) => {
    (container as Record<string | number, Json>)[key] = v;
  };
  const t = r();
  const cur = get();
  if (t < 0.18) {
    // drop a field / remove an item
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    return `drop ${key}`;
  }
  if (t < 0.36) {
    // replace with a value of another kind
    set(randomValue(r));
    return `retype ${key}`;
  }
  if (t < 0.56 && typeof cur === 'string') {
    set(r() < 0.5 ? editString(r, cur) : pick(r, STRINGS));
    return `edit string ${key}`;
  }
  if (t < 0.62 && typeof cur === 'number') {
    set(pick(r, NUMBERS));
    return `number ${key}`;
  }
  if (t < 0.72) {
    // add an unknown / misplaced key to an object
    const target =
      cur && typeof cur === 'object' && !Array.isArray(cur)
        ? cur
        : Array.isArray(container)
          ? null
          : container;
    if (target && !Array.isArray(target)) {
      const k = pick(r, KEYS);
      own(target, k, randomValue(r));
      return `add ${k}`;
    }
  }
  if (t < 0.78) {
    // deep nesting
    let v: Json = cur;
    const depth = 1 + Math.floor(r() * 40);
    for (let i = 0; i < depth; i++) v = r() < 0.5 ? [v] : own({}, pick(r, KEYS), v);
    set(v);
    return `nest ${key}`;
  }
  if (t < 0.86 && Array.isArray(cur)) {
    if (cur.length && r() < 0.6) cur.push(JSON.parse(JSON.stringify(cur[Math.floor(r() * cur.length)]!)));
    else cur.length = 0;
    return `array ${key}`;
  }
  if (t < 0.93 && cur && typeof cur === 'object' && !Array.isArray(cur)) {
    const ks = Object.keys(cur);
    if (ks.length) {
      const k = pick(r, ks);
      const x = cur[k]!;
      delete cur[k];
      if (r() < 0.5) own(cur, editString(r, k), x); // rename the key
      return `drop/rename inner ${k} of ${key}`;
    }
  }
  set(randomValue(r));
  return `replace ${key}`;
}
