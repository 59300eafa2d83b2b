import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../src-main/phone/call-history.ts';
import { PhoneCore } from '../../../src-main/phone/phone-core.ts';
import { PhoneDatabase } from '../../../src-main/phone/phone-database.ts';
import { SettingsStore } from '../../../src-main/phone/settings-store.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

const WRITER = fileURLToPath(new URL('./history-writer.ts', import.meta.url));

/** The phone's embedded database: a crash never corrupts it, and a file it cannot use is named. */
describe('the phone database', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it('a phone killed mid-write (SIGKILL) leaves every call and contact whole or absent', async () => {
    const file = join(dirs.make('chordline-crash-'), 'phone.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Past the history's limit, so that pruning runs too; the writer never pauses between writes.
    let said = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        said += d;
        if (said.includes(`wrote ${HISTORY_LIMIT + 200}`)) resolve();
      }),
    );
    const killed = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await killed;

    const db = new Database(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const calls = db.prepare('SELECT count(*) AS n FROM history').get() as { n: number };
      const contacts = db.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
      expect(calls.n).toBeGreaterThan(0);
      // Each call's insert and the pruning of old ones are one transaction.
      expect(calls.n).toBeLessThanOrEqual(HISTORY_LIMIT);
      expect(contacts.n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    // And the phone opens it as if nothing happened.
    const reopened = PhoneDatabase.open(file);
    reopened.close();
  });

  it('refuses a database written by a newer Chordline, saying what to do', async () => {
    const dataDir = dirs.make('chordline-newer-');
    const db = new Database(join(dataDir, 'phone.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    await expect(
      PhoneCore.open({ dataDir, mode: 'browser', keyPassphrase: async () => 'p' }),
    ).rejects.toThrow(/newer Chordline \(schema 99, this one knows 1\): upgrade Chordline/);
  });

  it('refuses a file that is not a database, naming it', () => {
    const file = join(dirs.make('chordline-garbage-'), 'phone.sqlite');
    writeFileSync(file, 'this is a note, not a database '.repeat(100));
    expect(() => PhoneDatabase.open(file)).toThrow(
      /Cannot open the phone's database .*: it is not an SQLite file/,
    );
  });

  it('one phone per folder: a second is refused while the first runs, and a crashed one’s lock is taken over', async () => {
    const dataDir = dirs.make('chordline-lock-');
    const open = () => PhoneCore.open({ dataDir, mode: 'browser', keyPassphrase: async () => 'p' });
    const first = await open();
    await expect(open()).rejects.toThrow(
      /Another phone \(process \d+\) is already running on .*: use that one/,
    );
    await first.stop();
    // A lock left by a process that is gone, as after a crash.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dataDir, 'phone.lock'), `${gone}\n`);
    const second = await open();
    await second.stop();
  });

  it('a setting damaged on disk falls back to its default instead of stopping the phone', () => {
    const db = PhoneDatabase.open(join(dirs.make('chordline-settings-'), 'phone.sqlite'));
    try {
      const settings = new SettingsStore(db);
      settings.save({ theme: 'dark', refreshSeconds: 5 });
      db.db.prepare("UPDATE settings SET value = '\"often\"' WHERE key = 'refreshSeconds'").run();
      db.db.prepare("INSERT INTO settings (key, value) VALUES ('volume', '11')").run();
      expect(settings.get()).toMatchObject({ theme: 'dark', refreshSeconds: 60 });
      expect(settings.get()).not.toHaveProperty('volume');
    } finally {
      db.close();
    }
  });
});
