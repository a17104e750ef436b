/** Rows of pack state as both databases return them, and what both dialects share. */

import { INVENTORY_FIELDS, type InventoryField, type PackChange, type PackState } from '../packs.ts';
import { key52 } from '../sqlite/keys.ts';
import type { StoredChange } from './apply.ts';

/**
 * The fields of a state tuple (`pack_tuples`): everything but the id, the container and the last
 * event. Objects share tuples; a row of `pack_state` only points at its tuple.
 */
export const TUPLE_FIELDS = [
  'gtin',
  'lot',
  'expiry',
  'status',
  'disposition',
  'bizStep',
  'location',
  'readPoint',
  'owner',
  'possessor',
] as const;
export type TupleField = (typeof TUPLE_FIELDS)[number];
export type Tuple = Partial<Record<TupleField, string>>;

export const TUPLE_COLUMNS =
  'gtin, lot, expiry, status, disposition, biz_step, location, read_point, owner, possessor';

/** `pack_state` joined with its tuple (alias s and t). */
export const PACK_SELECT = `s.id, s.parent, s.last_time, s.last_seq, s.state, ${TUPLE_COLUMNS.split(', ')
  .map((c) => `t.${c}`)
  .join(', ')}`;
export const PACK_FROM = 'pack_state s JOIN pack_tuples t ON t.state = s.state';

/**
 * The id of a tuple: a 52-bit hash of its values, so ids need no lookup and no cache that a
 * rolled-back transaction could leave wrong (the `pack_tuples` row is upserted by every unit that
 * uses it). Must never change: stored in the database.
 */
export function tupleKey(r: Tuple): number {
  const u = '\u0002';
  return key52(
    `${r.gtin ?? u}\u0001${r.lot ?? u}\u0001${r.expiry ?? u}\u0001${r.status ?? u}\u0001${r.disposition ?? u}\u0001${r.bizStep ?? u}\u0001${r.location ?? u}\u0001${r.readPoint ?? u}\u0001${r.owner ?? u}\u0001${r.possessor ?? u}`,
  );
}

export interface PackRow {
  id: string;
  parent: string | null;
  state: number | string;
  gtin: string | null;
  lot: string | null;
  expiry: string | null;
  status: string | null;
  disposition: string | null;
  biz_step: string | null;
  location: string | null;
  read_point: string | null;
  owner: string | null;
  possessor: string | null;
  last_time: string;
  last_seq: number | string;
}

export function stateOf(r: PackRow): PackState {
  const s: PackState = { id: r.id, lastEventTime: r.last_time, lastSeq: Number(r.last_seq) };
  if (r.gtin !== null) s.gtin = r.gtin;
  if (r.lot !== null) s.lot = r.lot;
  if (r.expiry !== null) s.expiry = r.expiry;
  if (r.status !== null) s.status = r.status;
  if (r.disposition !== null) s.disposition = r.disposition;
  if (r.biz_step !== null) s.bizStep = r.biz_step;
  if (r.location !== null) s.location = r.location;
  if (r.read_point !== null) s.readPoint = r.read_point;
  if (r.owner !== null) s.owner = r.owner;
  if (r.possessor !== null) s.possessor = r.possessor;
  if (r.parent !== null) s.parent = r.parent;
  return s;
}

/** Column of each inventory field (in `pack_tuples`). */
export const INVENTORY_COLUMNS: Record<InventoryField, string> = {
  location: 'location',
  gtin: 'gtin',
  lot: 'lot',
  status: 'status',
};

export function checkGroupBy(groupBy: InventoryField[]): InventoryField[] {
  const out: InventoryField[] = [];
  for (const f of groupBy) {
    if (!INVENTORY_FIELDS.includes(f)) throw new TypeError(`inventory: unknown field '${String(f)}'`);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The stored form of a change: its shape (everything but the time and the id lists, shared by
 * many events and stored once in `pack_shapes`, keyed by a hash like tuples) and its lists.
 */
interface Shape {
  set: PackChange['set'];
  lot?: string;
  expiry?: string;
  inherit: boolean;
  /** containment op */
  c?: 'add' | 'delete';
  /** subjects = [containment parent, ...containment children] (not repeated in the lists) */
  p?: 1;
  /** detach: 1 = the subjects, 2 = its own list */
  d?: 1 | 2;
}

/** [time, subjects | 0, containment parent | 0, containment children | 0, detach | 0, consumed | 0] */
type Lists = [string, string[] | 0, string | 0, string[] | 0, string[] | 0, string[] | 0];

function sameList(a: string[], b: string[], offset = 0): boolean {
  if (a.length !== b.length + offset) return false;
  for (let i = 0; i < b.length; i++) if (a[i + offset] !== b[i]) return false;
  return true;
}

export interface EncodedChange {
  shape: number;
  /** The shape's body when it is new to this unit (to upsert), else undefined. */
  body: string;
  lists: string;
}

/** Encodes changes for `pack_changes` / `pack_shapes`, one shape body per distinct shape. */
export class ChangeEncoder {
  private readonly shapes = new Map<string, number>();
  /** Distinct shapes of the unit: id → body. */
  readonly newShapes = new Map<number, string>();

  encode(ch: PackChange): { shape: number; lists: string } {
    const c = ch.containment;
    const s = ch.set;
    const p = c !== undefined && ch.subjects[0] === c.parent && sameList(ch.subjects, c.children, 1);
    const d = ch.detach === undefined ? 0 : sameList(ch.detach, ch.subjects) ? 1 : 2;
    const u = '\u0002';
    const key = `${s.status ?? u}\u0001${s.disposition ?? u}\u0001${s.bizStep ?? u}\u0001${s.location ?? u}\u0001${s.readPoint ?? u}\u0001${s.owner ?? u}\u0001${s.possessor ?? u}\u0001${ch.lot ?? u}\u0001${ch.expiry ?? u}\u0001${ch.inherit ? 1 : 0}${c?.op ?? u}${p ? 1 : 0}${d}`;
    let id = this.shapes.get(key);
    if (id === undefined) {
      const shape: Shape = { set: s, inherit: ch.inherit };
      if (ch.lot !== undefined) shape.lot = ch.lot;
      if (ch.expiry !== undefined) shape.expiry = ch.expiry;
      if (c) shape.c = c.op;
      if (p) shape.p = 1;
      if (d) shape.d = d as 1 | 2;
      id = key52(key);
      this.shapes.set(key, id);
      this.newShapes.set(id, JSON.stringify(shape));
    }
    const lists: Lists = [
      ch.time,
      p ? 0 : ch.subjects,
      c ? c.parent : 0,
      c ? c.children : 0,
      d === 2 ? ch.detach! : 0,
      ch.consumed ?? 0,
    ];
    return { shape: id, lists: JSON.stringify(lists) };
  }
}

export interface ChangeRow {
  seq: number | string;
  shape: string | Shape;
  lists: string | Lists;
}

export function changesOf(rows: ChangeRow[]): StoredChange[] {
  return rows.map((r) => {
    const s = (typeof r.shape === 'string' ? JSON.parse(r.shape) : r.shape) as Shape;
    const l = (typeof r.lists === 'string' ? JSON.parse(r.lists) : r.lists) as Lists;
    const ch: PackChange = { time: l[0], subjects: [], set: s.set ?? {}, inherit: s.inherit };
    if (s.lot !== undefined) ch.lot = s.lot;
    if (s.expiry !== undefined) ch.expiry = s.expiry;
    if (s.c) ch.containment = { op: s.c, parent: l[2] as string, children: (l[3] || []) as string[] };
    ch.subjects = s.p ? [l[2] as string, ...((l[3] || []) as string[])] : ((l[1] || []) as string[]);
    if (s.d === 1) ch.detach = ch.subjects.slice();
    else if (s.d === 2) ch.detach = (l[4] || []) as string[];
    if (l[5]) ch.consumed = l[5];
    return { seq: Number(r.seq), change: ch };
  });
}
