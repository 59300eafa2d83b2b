import Database from 'better-sqlite3';
import { migratePhoneDatabase } from './phone-schema.ts';

export class PhoneDatabaseOpenError extends Error {
  constructor(path: string, why: string) {
    super(`Cannot open the phone's database ${path}: ${why}. Check that the data folder is writable.`);
    this.name = 'PhoneDatabaseOpenError';
  }
}

/**
 * The phone's embedded database (DIR/phone.sqlite): contacts, call history, settings, and what
 * the phone remembers about its network. The stores beside this file each own their tables.
 *
 * A crash must never corrupt it: WAL journal with synchronous=FULL (a commit survives power
 * loss, not only a process crash), and every change of more than one row in one transaction
 * (`write`), so a kill mid-write leaves all of it or none.
 */
export class PhoneDatabase {
  private closed = false;

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  static open(path: string): PhoneDatabase {
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: 5000 });
    } catch (error) {
      throw new PhoneDatabaseOpenError(path, (error as Error).message);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migratePhoneDatabase(db, path);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new PhoneDatabaseOpenError(path, 'it is not an SQLite file');
      }
      throw error;
    }
    return new PhoneDatabase(db, path);
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE: the lock is taken up front). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Safe twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
