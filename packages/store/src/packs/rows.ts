/** Rows of pack state as both databases return them, and what both dialects share. */

import { INVENTORY_FIELDS, type InventoryField, type PackChange, type PackState } from '../packs.ts';
import type { StoredChange } from './apply.ts';

export const PACK_COLUMNS =
  'id, parent, gtin, lot, expiry, status, disposition, biz_step, location, read_point, owner, possessor, last_time, last_seq';

export interface PackRow {
  id: string;
  parent: string | null;
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
  last_seq: number;
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

/** Column of each inventory field. */
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

export interface ChangeRow {
  seq: number;
  body: string | PackChange;
}

export function changesOf(rows: ChangeRow[]): StoredChange[] {
  return rows.map((r) => ({
    seq: Number(r.seq),
    change: (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as PackChange,
  }));
}
