/**
 * The SQLite schema as numbered migrations, recorded in `schema_version`. `migrate()` applies the
 * missing ones in order, each in its own IMMEDIATE transaction (so two processes opening the same
 * file do not both apply one). Never edit a migration that has shipped: add the next one.
 *
 * Layout, kept lean for the capture path. Every index entry costs about a microsecond per
 * captured event, and an index on a random key (a hash, a UUID) more (each insert dirties a page
 * of its own, written to the WAL at commit), so an event gets few:
 * - `events`: the log. `seq` is the INTEGER PRIMARY KEY (the rowid: no separate key index). Times
 *   are integer milliseconds since the epoch (UTC). `id_key` is a 52-bit hash of the eventID: its
 *   index holds 8-byte integers instead of 45–90-byte strings, and a lookup compares the full text
 *   on the (rare) candidate rows. `facet` stands for (type, action, bizStep, disposition,
 *   readPoint, bizLocation) through the small `facets` table: one index serves six filter fields.
 *   The JSON body is the last column, so reading the others never touches its overflow pages.
 * - `event_ids`: the identifier index, one row per (identifier, event, role), WITHOUT ROWID with
 *   key (id, seq, role): "all events of this pack" is one range of the B-tree, already in seq
 *   order, and an EPC-pattern prefix is a range too. The anchor row of an event (see store.ts)
 *   also carries the event's hash key: idempotent capture needs no random-key index of its own.
 * - `event_refs`: bizTransaction / source / destination references and corrective eventIDs of
 *   error declarations, WITHOUT ROWID, key (value, kind, type, seq).
 * - small tables for capture jobs, master data (+ children, for descendants), named queries,
 *   subscriptions and API keys.
 */

import { DSCSA_SQLITE_SQL } from './dscsa.ts';
import { PACKS_SQL } from './packs-schema.ts';
import { RECALLS_SQLITE_SQL } from './recalls.ts';
import { REGISTRY_SCHEMA_SQL } from './registry.ts';
import { SERIAL_REQUEST_IDS_SQLITE_SQL, SERIALS_SQLITE_SQL } from './serials.ts';
import { VERIFICATION_SQLITE_SQL } from './verification.ts';

/** Role codes of `event_ids.role` (the same numbers as the PostgreSQL schema). */
export const ROLE_CODES = {
  epc: 1,
  parent: 2,
  child: 3,
  input: 4,
  output: 5,
  class: 6,
  childClass: 7,
  inputClass: 8,
  outputClass: 9,
} as const;

/** Reference kinds of `event_refs.kind`. */
export const REF_KINDS = { bizTransaction: 1, source: 2, destination: 3, corrective: 4 } as const;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, identifier and reference indexes, jobs, master data, queries, subscriptions, api keys',
    sql: `
-- The distinct combinations of an event's low-cardinality fields. A site's process has few of
-- them (commissioning at line 1, packing at line 2, shipping at the dock…), so one small integer
-- and one index on events serve six filter fields.
CREATE TABLE facets (
  facet INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  action TEXT,
  biz_step TEXT,
  disposition TEXT,
  read_point TEXT,
  biz_location TEXT,
  -- events stored with this facet (the planner's view of how common a value is; their sum is
  -- the event count)
  n INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  id_key INTEGER NOT NULL,
  facet INTEGER NOT NULL,
  event_time INTEGER NOT NULL,
  record_time INTEGER NOT NULL,
  is_err INTEGER NOT NULL,
  corrected INTEGER NOT NULL,
  decl_time INTEGER,
  err_reason TEXT,
  event_id TEXT NOT NULL,
  hash_id TEXT NOT NULL,
  capture_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_event_id ON events (id_key);
CREATE INDEX events_facet ON events (facet);
CREATE INDEX events_event_time ON events (event_time);
CREATE INDEX events_record_time ON events (record_time);
-- Error declarations are rare: small partial indexes for the errorDeclaration filters and for
-- "is there a declaration of this eventID" when an event is stored.
CREATE INDEX events_declarations ON events (decl_time) WHERE is_err = 1;
CREATE INDEX events_declared_ids ON events (id_key) WHERE is_err = 1;

-- h: the hash key of the event, on its anchor row only (see store.ts, idempotency).
CREATE TABLE event_ids (
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  role INTEGER NOT NULL,
  h INTEGER,
  PRIMARY KEY (id, seq, role)
) WITHOUT ROWID;

-- Hash keys of events that have no identifier at all (no anchor row).
CREATE TABLE event_hashes (
  h INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (h, seq)
) WITHOUT ROWID;

CREATE TABLE event_refs (
  value TEXT NOT NULL,
  kind INTEGER NOT NULL,
  type TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (value, kind, type, seq)
) WITHOUT ROWID;

-- A row exists once a job record was put (body) or events were appended under the id (count).
CREATE TABLE capture_jobs (
  capture_id TEXT PRIMARY KEY,
  created_at TEXT,
  event_count INTEGER NOT NULL DEFAULT 0,
  body TEXT
) WITHOUT ROWID;
CREATE INDEX capture_jobs_created ON capture_jobs (created_at, capture_id) WHERE body IS NOT NULL;

CREATE TABLE master_data (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (type, id)
) WITHOUT ROWID;
CREATE INDEX master_data_id ON master_data (id);

CREATE TABLE master_children (
  parent TEXT NOT NULL,
  type TEXT NOT NULL,
  child TEXT NOT NULL,
  PRIMARY KEY (parent, type, child)
) WITHOUT ROWID;

CREATE TABLE named_queries (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE subscriptions (
  subscription_id TEXT PRIMARY KEY,
  query_name TEXT NOT NULL REFERENCES named_queries (name) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_acked_seq INTEGER NOT NULL,
  last_notified_at TEXT,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX subscriptions_query ON subscriptions (query_name, created_at, subscription_id);
CREATE INDEX subscriptions_created ON subscriptions (created_at, subscription_id);

CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY,
  body TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'master data registry: products, locations, trading partners',
    sql: REGISTRY_SCHEMA_SQL,
  },
  { version: 3, name: 'serial numbers: keys, pools, requests, serials', sql: SERIALS_SQLITE_SQL },
  { version: 4, name: 'pack state', sql: PACKS_SQL },
  { version: 5, name: 'serial request ids', sql: SERIAL_REQUEST_IDS_SQLITE_SQL },
  {
    version: 6,
    name: 'DSCSA verification: exchange log, lookup directory, saleable returns',
    sql: VERIFICATION_SQLITE_SQL,
  },
  { version: 7, name: 'recalls and withdrawals, holder notifications', sql: RECALLS_SQLITE_SQL },
  { version: 8, name: 'DSCSA exceptions between partners, suspect product cases', sql: DSCSA_SQLITE_SQL },
];
