import type Database from 'better-sqlite3';
import { SchemaTooNewError } from './account-errors.ts';

/**
 * The schema, as an append-only list of migrations; `PRAGMA user_version` holds how many have
 * run. Each migration runs in the same transaction as the version bump, so a crash leaves the
 * file at the old version or the new one, never between. Never edit a shipped migration; add one.
 *
 * Tables are STRICT so that a wrong type is an error instead of a silent conversion.
 */
const MIGRATIONS: readonly string[] = [
  // 1: accounts, certificates, revocations, meta.
  `
  CREATE TABLE accounts (
    aor        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    username   TEXT    NOT NULL COLLATE NOCASE,
    domain     TEXT    NOT NULL COLLATE NOCASE,
    ha1_md5    TEXT,
    ha1_sha256 TEXT,
    created_at INTEGER NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    UNIQUE (username, domain),
    -- An active account can always log in; a removed one keeps no password-equivalent.
    CHECK (disabled = 1 OR (ha1_md5 IS NOT NULL AND ha1_sha256 IS NOT NULL)),
    CHECK (disabled = 0 OR (ha1_md5 IS NULL AND ha1_sha256 IS NULL))
  ) STRICT;

  CREATE TABLE certificates (
    serial      TEXT    NOT NULL PRIMARY KEY,
    aor         TEXT    NOT NULL REFERENCES accounts (aor),
    node_id     TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL UNIQUE,
    not_before  INTEGER NOT NULL,
    not_after   INTEGER NOT NULL,
    pem         TEXT    NOT NULL,
    issued_at   INTEGER NOT NULL,
    CHECK (not_after > not_before)
  ) STRICT;
  CREATE INDEX certificates_by_aor ON certificates (aor);
  CREATE INDEX certificates_by_node ON certificates (node_id);

  CREATE TABLE revocations (
    serial       TEXT    NOT NULL PRIMARY KEY REFERENCES certificates (serial),
    revoked_at   INTEGER NOT NULL,
    reason       TEXT    NOT NULL,
    list_version INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX revocations_by_version ON revocations (list_version);

  CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  INSERT INTO meta (key, value) VALUES ('revocation_version', '0');
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file up to `SCHEMA_VERSION`; refuses a file from a newer Chordline. */
export function migrate(db: Database.Database, path: string): void {
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  if (readVersion() === SCHEMA_VERSION) return;
  // One migration per write transaction, re-reading the version under the write lock so that two
  // processes opening the same new file do not both try to create the tables.
  for (;;) {
    const finished = db
      .transaction((): boolean => {
        const current = readVersion();
        if (current > SCHEMA_VERSION) throw new SchemaTooNewError(path, current, SCHEMA_VERSION);
        if (current === SCHEMA_VERSION) return true;
        db.exec(MIGRATIONS[current]);
        db.pragma(`user_version = ${current + 1}`);
        return false;
      })
      .immediate();
    if (finished) return;
  }
}
