/**
 * The SQLite schema as numbered migrations, recorded in `schema_version`. `migrate()` applies the
 * missing ones in order, each in its own IMMEDIATE transaction (so two processes opening the same
 * file do not both apply one). Never edit a migration that has shipped: add the next one.
 *
 * Layout, kept lean for the capture path (one row per event + one per identifier):
 * - `events`: the log. `seq` is the INTEGER PRIMARY KEY (the rowid: no separate key index). Times
 *   are integer milliseconds since the epoch (UTC). `hash_key` / `id_key` are 52-bit hashes of the
 *   Event Hash ID / eventID: their indexes hold 8-byte integers instead of ~90-byte strings, and a
 *   lookup compares the full text on the (rare) candidate rows. The JSON body is the last column,
 *   so reading the other columns never touches its overflow pages.
 * - `event_ids`: the identifier index, one row per (identifier, event, role), WITHOUT ROWID with
 *   key (id, seq, role): "all events of this pack" is one range of the B-tree, already in seq
 *   order, and an EPC-pattern prefix is a range too.
 * - `event_refs`: bizTransaction / source / destination references and corrective eventIDs of
 *   error declarations, WITHOUT ROWID, key (value, kind, type, seq).
 * - small tables for capture jobs, master data (+ children, for descendants), named queries,
 *   subscriptions and API keys.
 */

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
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  hash_key INTEGER NOT NULL,
  id_key INTEGER NOT NULL,
  event_time INTEGER NOT NULL,
  record_time INTEGER NOT NULL,
  is_err INTEGER NOT NULL,
  corrected INTEGER NOT NULL,
  type TEXT NOT NULL,
  action TEXT,
  biz_step TEXT,
  disposition TEXT,
  read_point TEXT,
  biz_location TEXT,
  decl_time INTEGER,
  err_reason TEXT,
  event_id TEXT NOT NULL,
  hash_id TEXT NOT NULL,
  capture_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_hash ON events (hash_key);
CREATE INDEX events_event_id ON events (id_key);
CREATE INDEX events_event_time ON events (event_time);
CREATE INDEX events_record_time ON events (record_time);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_action ON events (action) WHERE action IS NOT NULL;
CREATE INDEX events_biz_step ON events (biz_step) WHERE biz_step IS NOT NULL;
CREATE INDEX events_disposition ON events (disposition) WHERE disposition IS NOT NULL;
CREATE INDEX events_read_point ON events (read_point) WHERE read_point IS NOT NULL;
CREATE INDEX events_biz_location ON events (biz_location) WHERE biz_location IS NOT NULL;
-- Error declarations are rare: small partial indexes for the errorDeclaration filters and for
-- "is there a declaration of this eventID" when an event is stored.
CREATE INDEX events_declarations ON events (decl_time) WHERE is_err = 1;
CREATE INDEX events_declared_ids ON events (id_key) WHERE is_err = 1;

CREATE TABLE event_ids (
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  role INTEGER NOT NULL,
  PRIMARY KEY (id, seq, role)
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
];
