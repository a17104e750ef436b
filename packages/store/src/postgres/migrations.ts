/**
 * The PostgreSQL schema as numbered migrations. A migration is applied once, in its own
 * transaction, and recorded in `rxtrace_migrations`; `migrate()` applies the missing ones in
 * order under an advisory lock, so concurrent starts of several servers are safe. Never edit a
 * migration that has shipped: add the next one.
 *
 * Layout (docs/scaling.md explains the why and the numbers):
 * - `events` — the log, RANGE-partitioned by `event_time`, one partition per UTC month, created on
 *   demand (`rxtrace_ensure_event_partition`), plus a DEFAULT partition that stays empty in normal
 *   operation.
 * - `event_identifiers`, `event_references`, `event_hashes`, `event_ids` — lookup tables
 *   HASH-partitioned by the looked-up value, so a lookup touches one partition (one shard on Citus);
 *   each row carries (seq, event_time), the full key of the event row, so the fetch of the event
 *   is pruned to one time partition.
 * - small tables for capture jobs, master data, named queries, subscriptions, API keys.
 *
 * Every text key column is `COLLATE "C"`: byte order, the same as SQLite's BINARY, so keyset
 * pagination and `distinctValues` order are the same on both databases and prefix ranges use the
 * btree.
 */

import { DSCSA_POSTGRES_SQL } from './dscsa.ts';
import { PACKS_POSTGRES_SQL } from './packs.ts';
import { RECALLS_POSTGRES_SQL } from './recalls.ts';
import { REGISTRY_POSTGRES_SQL } from './registry.ts';
import { SERIAL_REQUEST_IDS_POSTGRES_SQL, SERIALS_POSTGRES_SQL } from './serials.ts';
import { VERIFICATION_POSTGRES_SQL } from './verification.ts';

export interface Migration {
  version: number;
  name: string;
  /** SQL to run; `hashPartitions` is the partition count of the hash-partitioned tables. */
  sql(o: { hashPartitions: number }): string;
}

const T = 'text COLLATE "C"';

function hashPartitioned(table: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `CREATE TABLE ${table}_h${String(i).padStart(2, '0')} PARTITION OF ${table} FOR VALUES WITH (MODULUS ${n}, REMAINDER ${i});`,
    );
  }
  return out.join('\n');
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'event log, lookup tables, jobs, master data, queries, subscriptions, api keys',
    sql: ({ hashPartitions: n }) => `
CREATE TABLE rxtrace_meta (key ${T} PRIMARY KEY, value ${T} NOT NULL);
INSERT INTO rxtrace_meta (key, value) VALUES ('hash_partitions', '${n}');

-- The capture-order counter. Its one row is locked by every append (SELECT … FOR UPDATE) until
-- commit: appends are serialised, so seq order is commit order and a reader that has seen seq N
-- can never later see a new event with seq < N (subscriptions, cursors).
CREATE TABLE rxtrace_seq (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), value bigint NOT NULL);
INSERT INTO rxtrace_seq (only_row, value) VALUES (true, 0);

CREATE TABLE events (
  seq bigint NOT NULL,
  event_time timestamptz NOT NULL,
  record_time timestamptz NOT NULL,
  event_id ${T} NOT NULL,
  hash_id ${T} NOT NULL,
  event_type ${T} NOT NULL,
  action ${T},
  biz_step ${T},
  disposition ${T},
  read_point ${T},
  biz_location ${T},
  capture_id ${T} NOT NULL,
  is_error_declaration boolean NOT NULL,
  corrected boolean NOT NULL DEFAULT false,
  declaration_time timestamptz,
  error_reason ${T},
  corrective_event_ids text[] COLLATE "C",
  body jsonb NOT NULL,
  PRIMARY KEY (seq, event_time)
) PARTITION BY RANGE (event_time);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_event_time ON events (event_time, seq);
CREATE INDEX events_record_time ON events (record_time, seq);
CREATE INDEX events_event_type ON events (event_type, seq);
CREATE INDEX events_action ON events (action, seq);
CREATE INDEX events_biz_step ON events (biz_step, seq);
CREATE INDEX events_disposition ON events (disposition, seq);
CREATE INDEX events_read_point ON events (read_point, seq);
CREATE INDEX events_biz_location ON events (biz_location, seq);
-- Error declarations are rare: one small partial index serves every errorDeclaration filter.
CREATE INDEX events_error_declarations ON events (seq) INCLUDE (declaration_time, error_reason) WHERE is_error_declaration;

-- role: 1 epc, 2 parent, 3 child, 4 input, 5 output, 6 class, 7 childClass, 8 inputClass, 9 outputClass
CREATE TABLE event_identifiers (
  id ${T} NOT NULL,
  role smallint NOT NULL,
  seq bigint NOT NULL,
  event_time timestamptz NOT NULL,
  PRIMARY KEY (id, role, seq) INCLUDE (event_time)
) PARTITION BY HASH (id);
${hashPartitioned('event_identifiers', n)}

-- kind: 1 bizTransaction, 2 source, 3 destination
CREATE TABLE event_references (
  value ${T} NOT NULL,
  kind smallint NOT NULL,
  type ${T} NOT NULL,
  seq bigint NOT NULL,
  event_time timestamptz NOT NULL,
  PRIMARY KEY (value, kind, type, seq) INCLUDE (event_time)
) PARTITION BY HASH (value);
${hashPartitioned('event_references', n)}

-- Idempotent capture: one row per (hash ID, is error declaration); a second capture of the same
-- event finds its row and is reported as a duplicate.
-- The INSERT … ON CONFLICT DO NOTHING RETURNING of a unit's keys is the duplicate check itself:
-- one unique-index probe per event, whatever the planner thinks of the table's size.
CREATE TABLE event_hashes (
  hash_id ${T} NOT NULL,
  is_error_declaration boolean NOT NULL,
  PRIMARY KEY (hash_id, is_error_declaration)
) PARTITION BY HASH (hash_id);
${hashPartitioned('event_hashes', n)}

-- eventID → events (the event and its error declarations share the eventID).
CREATE TABLE event_ids (
  event_id ${T} NOT NULL,
  is_error_declaration boolean NOT NULL,
  seq bigint NOT NULL,
  event_time timestamptz NOT NULL,
  PRIMARY KEY (event_id, is_error_declaration, seq) INCLUDE (event_time)
) PARTITION BY HASH (event_id);
${hashPartitioned('event_ids', n)}

-- eventIDs that have an error declaration. Declarations are rare, so this stays small and the
-- check "is any event of this unit already declared erroneous?" costs next to nothing.
CREATE TABLE declared_event_ids (
  event_id ${T} PRIMARY KEY
);

-- Values seen, for distinctValues (field: 1 eventType, 2 bizStep, 3 disposition, 4 readPoint, 5 bizLocation).
CREATE TABLE seen_values (
  field smallint NOT NULL,
  value ${T} NOT NULL,
  PRIMARY KEY (field, value)
);

CREATE TABLE capture_jobs (
  capture_id ${T} PRIMARY KEY,
  created_at ${T} NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX capture_jobs_created ON capture_jobs (created_at, capture_id);
-- Events stored per captureId (a job's eventCount), kept by append whether or not a job record exists.
CREATE TABLE capture_event_counts (
  capture_id ${T} PRIMARY KEY,
  stored bigint NOT NULL
);

CREATE TABLE master_data (
  type ${T} NOT NULL,
  id ${T} NOT NULL,
  children text[] COLLATE "C" NOT NULL DEFAULT '{}',
  body jsonb NOT NULL,
  PRIMARY KEY (type, id)
);
CREATE INDEX master_data_id ON master_data (id);

CREATE TABLE named_queries (
  name ${T} PRIMARY KEY,
  created_at ${T} NOT NULL,
  query jsonb NOT NULL
);

CREATE TABLE subscriptions (
  subscription_id ${T} PRIMARY KEY,
  query_name ${T} NOT NULL REFERENCES named_queries (name) ON DELETE CASCADE,
  created_at ${T} NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX subscriptions_query ON subscriptions (query_name, created_at, subscription_id);

CREATE TABLE api_keys (
  key_id ${T} PRIMARY KEY,
  created_at ${T} NOT NULL,
  body jsonb NOT NULL
);

-- Creates the partition of events for the UTC month starting at month_start, if missing. Rows of
-- that month already in the DEFAULT partition (written while the partition did not exist, e.g. by
-- hand) are moved into it. Serialised by a lock on events; returns true when it created one.
CREATE FUNCTION rxtrace_ensure_event_partition(month_start date) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  part text := 'events_' || to_char(month_start, 'YYYY') || '_' || to_char(month_start, 'MM');
  lo timestamptz := date_trunc('month', month_start::timestamp) AT TIME ZONE 'UTC';
  hi timestamptz := (date_trunc('month', month_start::timestamp) + interval '1 month') AT TIME ZONE 'UTC';
  moving boolean;
BEGIN
  IF to_regclass(quote_ident(current_schema()) || '.' || quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- Self-conflicting, so creators queue here, yet appends and reads go on; taking a relation lock
  -- also reads the catalog afresh, so the second check sees a partition created meanwhile.
  LOCK TABLE events IN SHARE UPDATE EXCLUSIVE MODE;
  IF to_regclass(quote_ident(current_schema()) || '.' || quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  SELECT EXISTS (SELECT 1 FROM events_default WHERE event_time >= lo AND event_time < hi) INTO moving;
  IF moving THEN
    ALTER TABLE events DETACH PARTITION events_default;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  IF moving THEN
    INSERT INTO events SELECT * FROM events_default WHERE event_time >= lo AND event_time < hi;
    DELETE FROM events_default WHERE event_time >= lo AND event_time < hi;
    ALTER TABLE events ATTACH PARTITION events_default DEFAULT;
  END IF;
  RETURN true;
END
$fn$;
`,
  },
  {
    version: 2,
    name: 'master data registry: products, locations, trading partners',
    sql: () => REGISTRY_POSTGRES_SQL,
  },
  { version: 3, name: 'serial numbers: pools, requests, serials', sql: () => SERIALS_POSTGRES_SQL },
  { version: 4, name: 'pack state', sql: () => PACKS_POSTGRES_SQL },
  { version: 5, name: 'serial request ids', sql: () => SERIAL_REQUEST_IDS_POSTGRES_SQL },
  {
    version: 6,
    name: 'DSCSA verification: exchange log, lookup directory, saleable returns',
    sql: () => VERIFICATION_POSTGRES_SQL,
  },
  { version: 7, name: 'recalls and withdrawals, holder notifications', sql: () => RECALLS_POSTGRES_SQL },
  {
    version: 8,
    name: 'DSCSA exceptions between partners, suspect product cases',
    sql: () => DSCSA_POSTGRES_SQL,
  },
];
