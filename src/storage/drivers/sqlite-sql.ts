// The SQL of the sqlite driver, kept apart from its control flow. The store is one append-only
// log table: each write is a row whose id (AUTOINCREMENT, so never reused) is the global revision.
// A key's value at revision R is its newest row with id <= R, unless that row is a deletion; the
// index on (name, id) makes "newest row of this name at or below R" a single index seek. The meta
// table remembers the compacted revision, below which history is gone.

export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT, -- the revision of this write
  name            TEXT    NOT NULL,                  -- the key
  created         INTEGER NOT NULL,                  -- 1 when this write created the key
  deleted         INTEGER NOT NULL,                  -- 1 when this write deleted the key
  create_revision INTEGER NOT NULL,                  -- revision that created the key
  prev_revision   INTEGER NOT NULL,                  -- row this one follows for the key, or 0
  value           BLOB    NOT NULL                   -- the value; for a deletion, the last value
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** A row as the driver reads it back. */
export interface LogRow {
  id: number;
  name: string;
  deleted: number;
  create_revision: number;
  value: Buffer;
}

/** A replayed row joined with the row it follows, to give watch events their `prev`. */
export interface ReplayRow extends LogRow {
  prev_id: number | null;
  prev_deleted: number | null;
  prev_create_revision: number | null;
  prev_value: Buffer | null;
}

/** Columns named after KeyValue's fields, so list rows need no conversion. */
export interface KeyValueRow {
  key: string;
  value: Buffer;
  createRevision: number;
  modRevision: number;
}

export const SQL = {
  currentRevision: `SELECT seq FROM sqlite_sequence WHERE name = 'log'`,
  compactRevision: `SELECT value FROM meta WHERE key = 'compact_revision'`,
  latest: `SELECT id, name, deleted, create_revision, value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1`,
  insert: `INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value)
           VALUES (@id, @name, @created, @deleted, @createRevision, @prevRevision, @value)`,
  // Drop every row at or below the compact revision that a newer row at or below it supersedes;
  // then drop deletions at or below it, which only said "absent" and have nothing left to shadow.
  compactSuperseded: `DELETE FROM log WHERE id <= @rev AND EXISTS (
      SELECT 1 FROM log AS n WHERE n.name = log.name AND n.id > log.id AND n.id <= @rev)`,
  compactDeletions: `DELETE FROM log WHERE id <= @rev AND deleted = 1`,
  setCompactRevision: `INSERT INTO meta (key, value) VALUES ('compact_revision', @rev)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
} as const;

/** How a range query bounds names: from below by a prefix (>=) or a startAfter key (>); maybe above. */
export interface RangeShape {
  exclusiveLow: boolean;
  bounded: boolean;
}

function rangeWhere(shape: RangeShape): string {
  const low = shape.exclusiveLow ? 'l.name > @low' : 'l.name >= @low';
  return shape.bounded ? `${low} AND l.name < @high` : low;
}

/** Live keys in a range as of @rev, in key order, at most @limit (-1: all). */
export function listSql(shape: RangeShape): string {
  return `SELECT l.name AS key, l.value AS value, l.create_revision AS createRevision, l.id AS modRevision
    FROM log AS l
    WHERE ${rangeWhere(shape)} AND l.deleted = 0
      AND l.id = (SELECT MAX(m.id) FROM log AS m WHERE m.name = l.name AND m.id <= @rev)
    ORDER BY l.name LIMIT @limit`;
}

/** Number of live keys in a range now. */
export function countSql(shape: RangeShape): string {
  return `SELECT COUNT(*) AS n FROM log AS l
    WHERE ${rangeWhere(shape)} AND l.deleted = 0
      AND l.id = (SELECT MAX(m.id) FROM log AS m WHERE m.name = l.name)`;
}

/** Every write in a range after @after, in revision order, each with the row it follows. */
export function replaySql(shape: RangeShape): string {
  return `SELECT l.id, l.name, l.deleted, l.create_revision, l.value,
      p.id AS prev_id, p.deleted AS prev_deleted, p.create_revision AS prev_create_revision, p.value AS prev_value
    FROM log AS l LEFT JOIN log AS p ON p.id = l.prev_revision
    WHERE l.id > @after AND ${rangeWhere(shape)}
    ORDER BY l.id`;
}
