/** Migration 4 on SQLite: pack state (see ./packs.ts). */
export const PACKS_SQL = `
CREATE TABLE pack_state (
  id TEXT PRIMARY KEY,
  parent TEXT,
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
  last_time TEXT NOT NULL,
  last_seq INTEGER NOT NULL
) WITHOUT ROWID;
-- contents of a container
CREATE INDEX pack_state_parent ON pack_state (parent) WHERE parent IS NOT NULL;
-- inventory of trade items
CREATE INDEX pack_state_inventory ON pack_state (location, gtin, lot, status) WHERE gtin IS NOT NULL;

-- the PackChange of each event (JSON), for rebuilding objects after out-of-order events and error declarations
CREATE TABLE pack_changes (
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);
`;
