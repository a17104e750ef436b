/**
 * Pack state: the current state of every serialized object (SGTIN, SSCC…) named by the event log,
 * kept in step with it in the capture transaction. The log stays the truth; these rows are a
 * projection that can be rebuilt from it.
 *
 * The core turns each event into a `PackChange` (plain data: which objects, which fields, which
 * containment operation, whether it applies to the contents); the store applies the changes of a
 * unit of work in the same transaction as the events (./packs/apply.ts, one implementation for
 * both databases) and answers the read side through `PackStore`.
 */

/** The fields an event sets on the objects it names (absent: unchanged). */
export interface PackFields {
  /** Derived from the CBV disposition and bizStep (see core/state/rules.ts). */
  status?: string;
  disposition?: string;
  bizStep?: string;
  /** bizLocation id. */
  location?: string;
  readPoint?: string;
  owner?: string;
  possessor?: string;
}

/** What one event does to pack state. Plain JSON data (stored per event for replays). */
export interface PackChange {
  /** eventTime (UTC, milliseconds). */
  time: string;
  /** Objects whose fields the event sets: epcList, parentID, childEPCs, outputEPCList. */
  subjects: string[];
  set: PackFields;
  /** Lot and expiry from the ILMD, set on the subjects (ObjectEvent ADD, transformation outputs). */
  lot?: string;
  expiry?: string;
  /** Containment: ADD puts `children` into `parent`; DELETE takes them out (all when no children). */
  containment?: { op: 'add' | 'delete'; parent: string; children: string[] };
  /** Objects that leave their container (decommissioned, dispensed, destroyed; transformation inputs). */
  detach?: string[];
  /** Transformation inputs: consumed (status `transformed`, out of their container). */
  consumed?: string[];
  /** The fields apply to the contents of the subjects too (inference from containers). */
  inherit: boolean;
}

/** The current state of one serialized object. */
export interface PackState {
  /** Canonical Digital Link. */
  id: string;
  /** GTIN-14 for an SGTIN, undefined for an SSCC and other ids. */
  gtin?: string;
  lot?: string;
  /** YYYY-MM-DD (or as given in the ILMD). */
  expiry?: string;
  status?: string;
  disposition?: string;
  bizStep?: string;
  location?: string;
  readPoint?: string;
  owner?: string;
  possessor?: string;
  /** The container it is in now. */
  parent?: string;
  /** eventTime and seq of the last event applied (directly or through a container). */
  lastEventTime: string;
  lastSeq: number;
}

export type InventoryField = 'location' | 'gtin' | 'lot' | 'status';
export const INVENTORY_FIELDS: readonly InventoryField[] = ['location', 'gtin', 'lot', 'status'];

/** Inventory filters: all present combine with AND. */
export interface InventoryFilter {
  location?: string;
  gtin?: string;
  lot?: string;
  status?: string;
}

export interface InventoryCount {
  /** The grouped fields' values (null when the object has none). */
  key: Partial<Record<InventoryField, string | null>>;
  count: number;
}

/**
 * The read side of pack state. Inventory counts trade items (objects with a GTIN, i.e. packs and
 * other SGTINs), not logistic units (SSCCs).
 */
export interface PackStore {
  /** State of these ids (canonical Digital Link); unknown ids are absent. */
  get(ids: string[]): Promise<PackState[]>;
  /** Direct contents, by id. */
  children(id: string): Promise<PackState[]>;
  /** All contents at any depth (each row has its `parent`), breadth-first. */
  descendants(id: string): Promise<PackState[]>;
  /** The containers of the object, nearest first. */
  ancestors(id: string): Promise<PackState[]>;
  /** Counts grouped by the fields (none: one total), by the grouped values. */
  inventory(groupBy: InventoryField[], filter: InventoryFilter): Promise<InventoryCount[]>;
  /** The objects behind a count, by id, keyset-paginated (`after`: the last id of the previous page). */
  items(
    filter: InventoryFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: PackState[]; next?: string }>;
}

/** GTIN-14 of an SGTIN Digital Link (`…/01/<gtin>/21/<serial>`), else undefined. */
export function gtinOfId(id: string): string | undefined {
  const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\//.exec(id);
  return m ? m[1] : undefined;
}
