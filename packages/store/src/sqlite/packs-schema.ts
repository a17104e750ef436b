/** Migration 4 on SQLite: pack state (see ./packs.ts). */
export const PACKS_SQL = `
-- state tuples: the fields objects share (everything but id, container and last event), keyed by
-- a hash of the values (packs/rows.ts tupleKey); n: how many objects are in the tuple now
CREATE TABLE pack_tuples (
  state INTEGER PRIMARY KEY,
  gtin TEXT,
  lot TEXT,
  expiry TEXT,
  status TEXT,
  disposition TEXT,
  biz_step TEXT,
  location TEXT,
  read_point TEXT,
  owner TEXT,
  possessor TEXT,
  n INTEGER NOT NULL
);
-- one row per object
CREATE TABLE pack_state (
  id TEXT PRIMARY KEY,
  parent TEXT,
  state INTEGER NOT NULL,
  last_time TEXT NOT NULL,
  last_seq INTEGER NOT NULL
) WITHOUT ROWID;
-- contents of a container
CREATE INDEX pack_state_parent ON pack_state (parent) WHERE parent IS NOT NULL;

-- the change of each event: its shape (shared, pack_shapes) and its time and id lists (JSON), for
-- rebuilding objects after out-of-order events and error declarations
CREATE TABLE pack_changes (
  seq INTEGER PRIMARY KEY,
  shape INTEGER NOT NULL,
  lists TEXT NOT NULL
);
CREATE TABLE pack_shapes (
  shape INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);
`;
