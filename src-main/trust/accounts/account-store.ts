import Database from 'better-sqlite3';
import type { DigestAlgorithm } from '../digest/digest-algorithm.ts';
import { ha1 } from '../digest/ha1.ts';
import {
  AccountExistsError,
  AccountNotFoundError,
  AccountStoreClosedError,
  AccountStoreOpenError,
  CertificateExistsError,
  CertificateNotFoundError,
  InvalidCertificateRecordError,
  InvalidPasswordError,
  InvalidRevocationReasonError,
  ReservedMetaKeyError,
} from './account-errors.ts';
import {
  REVOCATION_REASONS,
  type Account,
  type CertificateRecord,
  type NewCertificate,
  type RemovedAccount,
  type Revocation,
  type RevocationReason,
} from './account-records.ts';
import { migrate } from './account-schema.ts';
import type { AccountStoreOptions } from './account-store-options.ts';
import { formatAor, normalizeDomain, parseAor, validateUsername } from './sip-identity.ts';

/** The meta key holding the login server's domain; the lead's code decides when to set it. */
export const META_DOMAIN = 'domain';
/** Maintained by `revoke` and `removeUser` only, inside their transactions. */
const META_REVOCATION_VERSION = 'revocation_version';
const RESERVED_META_KEYS: ReadonlySet<string> = new Set([META_REVOCATION_VERSION]);
const MAX_PASSWORD_LENGTH = 1024;

export interface StoreDiagnostics {
  readonly schemaVersion: number;
  /** "wal" for a file; "memory" for ':memory:'. */
  readonly journalMode: string;
  readonly synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' | 'unknown';
  readonly foreignKeys: boolean;
  /** "ok" when PRAGMA integrity_check finds nothing wrong. */
  readonly integrity: string;
}

interface AccountRow {
  aor: string;
  username: string;
  domain: string;
  created_at: number;
  disabled: number;
}

interface CertificateRow {
  serial: string;
  aor: string;
  node_id: string;
  fingerprint: string;
  not_before: number;
  not_after: number;
  pem: string;
  issued_at: number;
  revoked_at: number | null;
  reason: string | null;
  list_version: number | null;
}

const CERTIFICATE_SELECT = `
  SELECT c.serial, c.aor, c.node_id, c.fingerprint, c.not_before, c.not_after, c.pem, c.issued_at,
         r.revoked_at, r.reason, r.list_version
  FROM certificates c LEFT JOIN revocations r ON r.serial = c.serial`;

/**
 * The login server's embedded database: accounts (HA1 values, never passwords), the certificates
 * its CA issued, their revocations, and a little metadata.
 *
 * Crash safety comes from SQLite: WAL journal, synchronous=FULL (a commit survives power loss,
 * not just a process crash), and every change that touches more than one row in one
 * transaction, so a SIGKILL mid-write leaves all of it or none. Writes take the lock up front
 * (BEGIN IMMEDIATE) so that two processes never deadlock upgrading a read lock.
 *
 * Methods are synchronous, as better-sqlite3 is; each one is a few hundred microseconds.
 */
export class AccountStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #clock: () => number;
  readonly #transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #sql;

  private constructor(db: Database.Database, path: string, clock: () => number) {
    this.path = path;
    this.#db = db;
    this.#clock = clock;
    this.#transaction = db.transaction((fn: () => unknown) => fn());
    this.#sql = {
      accountByAor: db.prepare<[string], AccountRow>(
        'SELECT aor, username, domain, created_at, disabled FROM accounts WHERE aor = ?',
      ),
      insertAccount: db.prepare<[string, string, string, string, string, number]>(
        'INSERT INTO accounts (aor, username, domain, ha1_md5, ha1_sha256, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?, 0)',
      ),
      reactivateAccount: db.prepare<[string, string, string, string, number, string]>(
        `UPDATE accounts SET aor = ?, username = ?, ha1_md5 = ?, ha1_sha256 = ?, created_at = ?, disabled = 0
         WHERE aor = ?`,
      ),
      respellCertificates: db.prepare<[string, string]>('UPDATE certificates SET aor = ? WHERE aor = ?'),
      disableAccount: db.prepare<[string]>(
        'UPDATE accounts SET disabled = 1, ha1_md5 = NULL, ha1_sha256 = NULL WHERE aor = ?',
      ),
      setHa1: db.prepare<[string, string, string]>(
        'UPDATE accounts SET ha1_md5 = ?, ha1_sha256 = ? WHERE aor = ? AND disabled = 0',
      ),
      listActive: db.prepare<[], AccountRow>(
        'SELECT aor, username, domain, created_at, disabled FROM accounts WHERE disabled = 0 ORDER BY aor',
      ),
      listAll: db.prepare<[], AccountRow>(
        'SELECT aor, username, domain, created_at, disabled FROM accounts ORDER BY aor',
      ),
      ha1: db.prepare<[string, string], { ha1_md5: string | null; ha1_sha256: string | null }>(
        'SELECT ha1_md5, ha1_sha256 FROM accounts WHERE username = ? AND domain = ? AND disabled = 0',
      ),
      insertCertificate: db.prepare<[string, string, string, string, number, number, string, number]>(
        `INSERT INTO certificates (serial, aor, node_id, fingerprint, not_before, not_after, pem, issued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      certificateByKey: db.prepare<[string, string], CertificateRow>(
        `${CERTIFICATE_SELECT} WHERE c.serial = ? OR c.fingerprint = ?`,
      ),
      certificatesForAor: db.prepare<[string], CertificateRow>(
        `${CERTIFICATE_SELECT} WHERE c.aor = ? ORDER BY c.issued_at, c.serial`,
      ),
      liveSerialsForAor: db.prepare<[string, number], { serial: string }>(
        `SELECT c.serial FROM certificates c
         WHERE c.aor = ? AND c.not_after > ? AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = c.serial)
         ORDER BY c.serial`,
      ),
      insertRevocation: db.prepare<[string, number, string, number]>(
        'INSERT INTO revocations (serial, revoked_at, reason, list_version) VALUES (?, ?, ?, ?)',
      ),
      revocationsSince: db.prepare<[number], CertificateRow>(
        `${CERTIFICATE_SELECT} WHERE r.list_version > ? ORDER BY r.list_version, c.serial`,
      ),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  /**
   * Opens (creating if needed) the database at `path` and brings its schema up to date.
   * `':memory:'` gives a throwaway store for tests.
   */
  static open(path: string, options: AccountStoreOptions = {}): AccountStore {
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (error) {
      throw new AccountStoreOpenError(
        `Cannot open the account database ${path}: ${(error as Error).message}. Check that the folder exists and is writable.`,
        { cause: error },
      );
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Freed pages are zeroed, so a removed account's HA1 does not linger in the file.
      db.pragma('secure_delete = ON');
      migrate(db, path);
    } catch (error) {
      db.close();
      if (error instanceof Error && (error as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new AccountStoreOpenError(
          `${path} is not an account database (not an SQLite file); point Chordline at the right file.`,
          { cause: error },
        );
      }
      throw error;
    }
    return new AccountStore(db, path, options.clock ?? Date.now);
  }

  /**
   * Runs `fn` in one write transaction: everything it does through this store is committed
   * together or not at all (nested calls become savepoints). Use it to make a multi-step
   * operation, such as recording a certificate and updating meta, atomic.
   */
  batch<T>(fn: () => T): T {
    this.#assertOpen();
    return this.#transaction.immediate(fn) as T;
  }

  /**
   * Creates the account sip:username@domain, storing HA1 for MD5 and SHA-256 with the domain as
   * realm. One account per address of record (case-insensitively): a second one is an
   * `AccountExistsError`. A removed account's address may be given out again; all its
   * certificates were revoked at removal, so nothing signed for the old holder still verifies.
   */
  addUser(username: string, domain: string, password: string): Account {
    validateUsername(username);
    const realm = normalizeDomain(domain);
    validatePassword(password);
    const aor = formatAor(username, realm);
    const md5 = ha1('MD5', username, realm, password);
    const sha256 = ha1('SHA-256', username, realm, password);
    return this.batch(() => {
      const now = this.#clock();
      const existing = this.#sql.accountByAor.get(aor);
      if (existing !== undefined && existing.disabled === 0) throw new AccountExistsError(existing.aor);
      if (existing === undefined) {
        this.#sql.insertAccount.run(aor, username, realm, md5, sha256, now);
      } else {
        // The new holder's spelling wins ("Bob" after "bob"); the old certificates follow it so
        // that certificatesFor() shows one history per address. NOCASE keeps the foreign key valid.
        this.#sql.reactivateAccount.run(aor, username, md5, sha256, now, existing.aor);
        this.#sql.respellCertificates.run(aor, existing.aor);
      }
      return { aor, username, domain: realm, createdAt: now, disabled: false };
    });
  }

  /**
   * Removes an account: it can no longer log in, its HA1 values are wiped, and every certificate
   * of it that has not expired is revoked (reason cessationOfOperation, "account closed"), all in
   * one transaction.
   * The row stays, marked disabled, because certificates and revocations refer to it.
   */
  removeUser(aor: string): RemovedAccount {
    const canonical = parseAor(aor).aor;
    return this.batch(() => {
      const account = this.#sql.accountByAor.get(canonical);
      if (account === undefined || account.disabled !== 0) throw new AccountNotFoundError(canonical);
      const now = this.#clock();
      this.#sql.disableAccount.run(account.aor);
      const live = this.#sql.liveSerialsForAor.all(account.aor, now).map((row) => row.serial);
      let version = this.#readRevocationVersion();
      if (live.length > 0) {
        version = this.#bumpRevocationVersion();
        for (const serial of live)
          this.#sql.insertRevocation.run(serial, now, 'cessationOfOperation', version);
      }
      return { aor: account.aor, revokedSerials: live, revocationVersion: version };
    });
  }

  /** Active accounts by address; `includeRemoved` adds the disabled ones. */
  listUsers(options: { includeRemoved?: boolean } = {}): Account[] {
    this.#assertOpen();
    const rows = options.includeRemoved === true ? this.#sql.listAll.all() : this.#sql.listActive.all();
    return rows.map(toAccount);
  }

  /** The account at this address (active or removed), or undefined. */
  getUser(aor: string): Account | undefined {
    this.#assertOpen();
    const row = this.#sql.accountByAor.get(parseAor(aor).aor);
    return row === undefined ? undefined : toAccount(row);
  }

  setPassword(aor: string, password: string): void {
    const canonical = parseAor(aor).aor;
    validatePassword(password);
    this.batch(() => {
      const account = this.#sql.accountByAor.get(canonical);
      if (account === undefined || account.disabled !== 0) throw new AccountNotFoundError(canonical);
      // The stored spelling, since HA1 covers the exact username and realm the client will send.
      this.#sql.setHa1.run(
        ha1('MD5', account.username, account.domain, password),
        ha1('SHA-256', account.username, account.domain, password),
        account.aor,
      );
    });
  }

  /**
   * The HA1 the digest authenticator compares against; undefined for unknown or removed users.
   * The realm is the account's domain. Fits `Ha1Lookup` directly.
   */
  ha1For(username: string, realm: string, algorithm: DigestAlgorithm): string | undefined {
    this.#assertOpen();
    const row = this.#sql.ha1.get(username, realm);
    if (row === undefined) return undefined;
    return (algorithm === 'MD5' ? row.ha1_md5 : row.ha1_sha256) ?? undefined;
  }

  /** Records a certificate the CA issued for an active account. */
  recordCertificate(certificate: NewCertificate): CertificateRecord {
    const record = validateCertificate(certificate);
    const canonical = parseAor(certificate.aor).aor;
    return this.batch(() => {
      const account = this.#sql.accountByAor.get(canonical);
      if (account === undefined || account.disabled !== 0) throw new AccountNotFoundError(canonical);
      const clash = this.#sql.certificateByKey.get(record.serial, record.fingerprint);
      if (clash !== undefined) {
        const which =
          clash.serial === record.serial ? `serial ${record.serial}` : `fingerprint ${record.fingerprint}`;
        throw new CertificateExistsError(
          `A certificate with ${which} is already recorded; each one is recorded once.`,
        );
      }
      const issuedAt = certificate.issuedAt ?? this.#clock();
      this.#sql.insertCertificate.run(
        record.serial,
        account.aor,
        record.nodeId,
        record.fingerprint,
        record.notBefore,
        record.notAfter,
        record.pem,
        issuedAt,
      );
      return { ...record, aor: account.aor, issuedAt };
    });
  }

  /** Every certificate ever issued to this address, oldest first, with its revocation if any. */
  certificatesFor(aor: string): CertificateRecord[] {
    this.#assertOpen();
    return this.#sql.certificatesForAor.all(parseAor(aor).aor).map(toCertificate);
  }

  /** By hex serial or SHA-256 fingerprint (any case, colons allowed). */
  findCertificate(serialOrFingerprint: string): CertificateRecord | undefined {
    this.#assertOpen();
    const row = this.#sql.certificateByKey.get(
      normalizeSerial(serialOrFingerprint),
      normalizeHex(serialOrFingerprint),
    );
    return row === undefined ? undefined : toCertificate(row);
  }

  /**
   * Revokes a certificate and bumps the revocation-list version in the same transaction, so a
   * peer that saw version n has seen every revocation up to n. Revoking twice changes nothing
   * and returns the first revocation.
   */
  revoke(serialOrFingerprint: string, reason: RevocationReason): Revocation {
    if (!(REVOCATION_REASONS as readonly string[]).includes(reason)) {
      throw new InvalidRevocationReasonError(
        `${JSON.stringify(reason)} is not a revocation reason; use one of ${REVOCATION_REASONS.join(', ')}.`,
      );
    }
    return this.batch(() => {
      const row = this.#sql.certificateByKey.get(
        normalizeSerial(serialOrFingerprint),
        normalizeHex(serialOrFingerprint),
      );
      if (row === undefined) throw new CertificateNotFoundError(serialOrFingerprint);
      const existing = toCertificate(row).revocation;
      if (existing !== undefined) return existing;
      const version = this.#bumpRevocationVersion();
      const revokedAt = this.#clock();
      this.#sql.insertRevocation.run(row.serial, revokedAt, reason, version);
      return { serial: row.serial, fingerprint: row.fingerprint, aor: row.aor, revokedAt, reason, version };
    });
  }

  /** Revocations that appeared after `sinceVersion` (all of them by default), in list order. */
  revocations(sinceVersion = 0): Revocation[] {
    this.#assertOpen();
    return this.#sql.revocationsSince.all(sinceVersion).flatMap((row) => toCertificate(row).revocation ?? []);
  }

  /** Grows by one with every transaction that revokes something; 0 for a new database. */
  revocationVersion(): number {
    this.#assertOpen();
    return this.#readRevocationVersion();
  }

  getMeta(key: string): string | undefined {
    this.#assertOpen();
    return this.#sql.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    if (RESERVED_META_KEYS.has(key)) throw new ReservedMetaKeyError(key);
    this.#assertOpen();
    this.#sql.setMeta.run(key, value);
  }

  /**
   * How the file is set up, for a `chordline doctor` command and for tests. `integrity` runs
   * PRAGMA integrity_check, which reads the whole file: "ok" or the first problems found.
   */
  diagnostics(): StoreDiagnostics {
    this.#assertOpen();
    const pragma = (name: string): unknown => this.#db.pragma(name, { simple: true });
    const problems = this.#db.pragma('integrity_check(10)') as { integrity_check: string }[];
    return {
      schemaVersion: pragma('user_version') as number,
      journalMode: pragma('journal_mode') as string,
      synchronous:
        (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[pragma('synchronous') as number] ?? 'unknown',
      foreignKeys: pragma('foreign_keys') === 1,
      integrity: problems.map((row) => row.integrity_check).join('; '),
    };
  }

  /** Closes the file; safe to call twice. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #assertOpen(): void {
    if (!this.#db.open) throw new AccountStoreClosedError();
  }

  #readRevocationVersion(): number {
    return Number(this.#sql.getMeta.get(META_REVOCATION_VERSION)?.value ?? '0');
  }

  /** Call inside a transaction only. */
  #bumpRevocationVersion(): number {
    const next = this.#readRevocationVersion() + 1;
    this.#sql.setMeta.run(META_REVOCATION_VERSION, String(next));
    return next;
  }
}

function validatePassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0) {
    throw new InvalidPasswordError('A password cannot be empty.');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidPasswordError(
      `The password has ${password.length} characters; use at most ${MAX_PASSWORD_LENGTH}.`,
    );
  }
}

/** Lowercase hex without the colons openssl puts between bytes. */
function normalizeHex(value: string): string {
  return typeof value === 'string' ? value.trim().replace(/:/g, '').toLowerCase() : '';
}

/**
 * A serial in the form trust/signing compares (its `normalizeSerial`): normalized hex without
 * leading zeros, because DER may pad a serial with a zero byte that other tools omit.
 */
function normalizeSerial(value: string): string {
  const hex = normalizeHex(value).replace(/^0+/, '');
  return hex === '' && normalizeHex(value) !== '' ? '0' : hex;
}

function validateCertificate(c: NewCertificate): Omit<CertificateRecord, 'aor' | 'issuedAt' | 'revocation'> {
  const serial = normalizeSerial(c.serial);
  const fingerprint = normalizeHex(c.fingerprint);
  const nodeId = normalizeHex(c.nodeId);
  const problem = (text: string): never => {
    throw new InvalidCertificateRecordError(`Cannot record the certificate: ${text}.`);
  };
  // X.509 serials are at most 20 octets (RFC 5280 §4.1.2.2).
  if (!/^[0-9a-f]{1,40}$/.test(serial))
    problem(`serial ${JSON.stringify(c.serial)} is not 1 to 40 hex digits`);
  if (!/^[0-9a-f]{64}$/.test(fingerprint))
    problem('the fingerprint must be 64 hex digits (SHA-256 of the DER)');
  if (!/^[0-9a-f]{40}$/.test(nodeId)) problem('the NodeID must be 40 hex digits (SHA-1 of the public key)');
  if (!Number.isSafeInteger(c.notBefore) || !Number.isSafeInteger(c.notAfter)) {
    problem('notBefore and notAfter must be whole milliseconds since the epoch');
  }
  if (c.notAfter <= c.notBefore) problem('notAfter must come after notBefore');
  if (c.issuedAt !== undefined && !Number.isSafeInteger(c.issuedAt))
    problem('issuedAt must be whole milliseconds');
  if (
    typeof c.pem !== 'string' ||
    !/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(c.pem.trim())
  ) {
    problem('pem must be one PEM "CERTIFICATE" block');
  }
  return { serial, fingerprint, nodeId, notBefore: c.notBefore, notAfter: c.notAfter, pem: c.pem };
}

function toAccount(row: AccountRow): Account {
  return {
    aor: row.aor,
    username: row.username,
    domain: row.domain,
    createdAt: row.created_at,
    disabled: row.disabled !== 0,
  };
}

function toCertificate(row: CertificateRow): CertificateRecord {
  const base = {
    serial: row.serial,
    aor: row.aor,
    nodeId: row.node_id,
    fingerprint: row.fingerprint,
    notBefore: row.not_before,
    notAfter: row.not_after,
    pem: row.pem,
    issuedAt: row.issued_at,
  };
  if (row.revoked_at === null || row.reason === null || row.list_version === null) return base;
  return {
    ...base,
    revocation: {
      serial: row.serial,
      fingerprint: row.fingerprint,
      aor: row.aor,
      revokedAt: row.revoked_at,
      reason: row.reason as RevocationReason,
      version: row.list_version,
    },
  };
}
