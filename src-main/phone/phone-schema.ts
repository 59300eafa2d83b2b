import type Database from 'better-sqlite3';

/**
 * The phone database's schema, as an append-only list of migrations; `PRAGMA user_version` holds
 * how many have run. Each runs in the transaction that bumps the version, so a crash leaves the
 * file at the old version or the new one, never between. Never edit a shipped migration; add one.
 * Tables are STRICT: a wrong type is an error, not a silent conversion.
 */
const MIGRATIONS: readonly string[] = [
  // 1: contacts, call history, settings, and what the phone remembers about its network.
  `
  CREATE TABLE contacts (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    aor        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (aor LIKE 'sip:%@%'),
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE history (
    id          TEXT    NOT NULL PRIMARY KEY,
    direction   TEXT    NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    peer        TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at    INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    missed      INTEGER NOT NULL CHECK (missed IN (0, 1))
  ) STRICT;
  CREATE INDEX history_by_time ON history (started_at);

  CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
];

export const PHONE_SCHEMA_VERSION = MIGRATIONS.length;

export class PhoneDatabaseTooNewError extends Error {
  constructor(path: string, found: number) {
    super(
      `${path} was written by a newer Chordline (schema ${found}, this one knows ${PHONE_SCHEMA_VERSION}): ` +
        'upgrade Chordline, or start with another data folder.',
    );
    this.name = 'PhoneDatabaseTooNewError';
  }
}

/** Brings the file up to PHONE_SCHEMA_VERSION, one migration per write transaction. */
export function migratePhoneDatabase(db: Database.Database, path: string): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  for (;;) {
    const done = db
      .transaction((): boolean => {
        const current = version();
        if (current > PHONE_SCHEMA_VERSION) throw new PhoneDatabaseTooNewError(path, current);
        if (current === PHONE_SCHEMA_VERSION) return true;
        db.exec(MIGRATIONS[current]);
        db.pragma(`user_version = ${current + 1}`);
        return false;
      })
      .immediate();
    if (done) return;
  }
}
