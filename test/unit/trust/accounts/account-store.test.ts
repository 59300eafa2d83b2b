import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  InvalidUsernameError,
  ReservedMetaKeyError,
  SchemaTooNewError,
} from '../../../../src-main/trust/accounts/account-errors.ts';
import type { RevocationReason } from '../../../../src-main/trust/accounts/account-records.ts';
import { AccountStore, META_DOMAIN } from '../../../../src-main/trust/accounts/account-store.ts';
import { DigestAuthenticator } from '../../../../src-main/trust/digest/digest-authenticator.ts';
import { digestResponse } from '../../../../src-main/trust/digest/digest-client.ts';
import { ha1 } from '../../../../src-main/trust/digest/ha1.ts';
import { certificateFor } from './certificate-fixture.ts';

const DAY = 86_400_000;
const T0 = 1_700_000_000_000;

let dir: string;
let path: string;
let now: number;
let store: AccountStore;

function open(): AccountStore {
  return AccountStore.open(path, { clock: () => now });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chordline-accounts-'));
  path = join(dir, 'accounts.db');
  now = T0;
  store = open();
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a new account database', () => {
  it('is set up to survive crashes: WAL, synchronous=FULL, foreign keys, current schema', () => {
    expect(store.diagnostics()).toEqual({
      schemaVersion: 1,
      journalMode: 'wal',
      synchronous: 'FULL',
      foreignKeys: true,
      integrity: 'ok',
    });
    expect(store.revocationVersion()).toBe(0);
    expect(store.listUsers()).toEqual([]);
  });

  it('keeps what it was told across a reopen', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    store.setMeta(META_DOMAIN, 'example.com');
    store.close();
    store = open();
    expect(store.listUsers().map((a) => a.aor)).toEqual(['sip:alice@example.com']);
    expect(store.getMeta(META_DOMAIN)).toBe('example.com');
    expect(store.diagnostics().schemaVersion).toBe(1);
  });

  it('refuses a file written by a newer Chordline instead of damaging it', () => {
    store.close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => open()).toThrow(SchemaTooNewError);
    expect(() => open()).toThrow(/schema version 99.*up to 1/);
    store = AccountStore.open(':memory:');
  });

  it('refuses a file that is not a database, saying so', () => {
    const notADatabase = join(dir, 'notes.txt');
    writeFileSync(notADatabase, 'these are my notes, not SQLite '.repeat(100));
    expect(() => AccountStore.open(notADatabase)).toThrow(AccountStoreOpenError);
    expect(() => AccountStore.open(notADatabase)).toThrow(/not an account database/);
    expect(() => AccountStore.open(join(dir, 'missing-folder', 'a.db'))).toThrow(/folder exists/);
  });
});

describe('one account per address of record', () => {
  it('Alice signs up once; a second sign-up for her address is refused by name', () => {
    const alice = store.addUser('alice', 'Example.COM', 'wonderland');
    expect(alice).toEqual({
      aor: 'sip:alice@example.com',
      username: 'alice',
      domain: 'example.com',
      createdAt: T0,
      disabled: false,
    });
    expect(() => store.addUser('alice', 'example.com', 'another')).toThrow(AccountExistsError);
    expect(() => store.addUser('ALICE', 'example.com', 'another')).toThrow(
      /sip:alice@example.com already exists/,
    );
  });

  it('but the same name in another domain is another person', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    store.addUser('alice', 'example.org', 'looking-glass');
    expect(store.listUsers().map((a) => a.aor)).toEqual(['sip:alice@example.com', 'sip:alice@example.org']);
  });

  it('names outside the RFC 3261 user part and empty passwords are refused', () => {
    expect(() => store.addUser('al ice', 'example.com', 'pw')).toThrow(InvalidUsernameError);
    expect(() => store.addUser('bob', 'example.com', '')).toThrow(InvalidPasswordError);
    expect(store.listUsers()).toEqual([]);
  });
});

describe('passwords are never stored', () => {
  it('the password text appears nowhere in the database files, only its HA1 values', () => {
    const password = 'Correct-Horse-Battery-Staple-7f3a';
    const newPassword = 'Tr0ub4dor&3-second-secret';
    store.addUser('alice', 'example.com', password);
    store.addUser('bob', 'example.com', password);
    store.setPassword('sip:bob@example.com', newPassword);
    const files = (): Buffer =>
      Buffer.concat(
        ['', '-wal', '-shm'].map((suffix) =>
          existsSync(path + suffix) ? readFileSync(path + suffix) : Buffer.alloc(0),
        ),
      );
    const whileOpen = files();
    expect(whileOpen.includes(ha1('SHA-256', 'alice', 'example.com', password))).toBe(true);
    expect(whileOpen.includes(ha1('MD5', 'alice', 'example.com', password))).toBe(true);
    store.close();
    const afterClose = files();
    for (const bytes of [whileOpen, afterClose]) {
      expect(bytes.includes(password)).toBe(false);
      expect(bytes.includes(newPassword)).toBe(false);
    }
    expect(afterClose.includes(ha1('SHA-256', 'alice', 'example.com', password))).toBe(true);
  });

  it('the HA1 values log Alice in through the digest authenticator, over either algorithm', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    const server = new DigestAuthenticator({ realm: 'example.com', clock: () => now });
    const lookupHa1 = store.ha1For.bind(store);
    for (const algorithm of ['SHA-256', 'MD5']) {
      const header = digestResponse({
        challengeHeaderValue: server.challenge().filter((c) => c.includes(`algorithm=${algorithm}`)),
        method: 'REGISTER',
        uri: 'sip:example.com',
        username: 'alice',
        password: 'wonderland',
      });
      expect(server.verify({ method: 'REGISTER', authorizationHeader: header, lookupHa1 })).toMatchObject({
        ok: true,
        username: 'alice',
        algorithm,
      });
    }
  });

  it('after a password change only the new password works', () => {
    store.addUser('alice', 'example.com', 'old-secret');
    store.setPassword('sip:alice@example.com', 'new-secret');
    expect(store.ha1For('alice', 'example.com', 'SHA-256')).toBe(
      ha1('SHA-256', 'alice', 'example.com', 'new-secret'),
    );
    expect(store.ha1For('alice', 'example.com', 'MD5')).toBe(
      ha1('MD5', 'alice', 'example.com', 'new-secret'),
    );
    expect(store.ha1For('alice', 'elsewhere.com', 'MD5')).toBeUndefined();
    expect(store.ha1For('carol', 'example.com', 'MD5')).toBeUndefined();
    expect(() => store.setPassword('sip:carol@example.com', 'x')).toThrow(AccountNotFoundError);
  });
});

describe('certificates and revocation', () => {
  it('the CA records what it issued, found later by serial or by fingerprint in any spelling', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    const issued = certificateFor('sip:alice@example.com', 1);
    const recorded = store.recordCertificate(issued);
    expect(recorded).toMatchObject({ serial: issued.serial, fingerprint: issued.fingerprint, issuedAt: T0 });
    expect(recorded.revocation).toBeUndefined();
    const colonUpper = issued.fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(store.findCertificate(colonUpper)?.serial).toBe(issued.serial);
    expect(store.findCertificate(`00${issued.serial.toUpperCase()}`)?.fingerprint).toBe(issued.fingerprint);
    expect(store.findCertificate('ab'.repeat(32))).toBeUndefined();
    // DER may pad a serial with a zero byte; the store keeps the form trust/signing compares.
    store.addUser('bob', 'example.com', 'builder');
    const padded = store.recordCertificate({
      ...certificateFor('sip:bob@example.com', 1),
      serial: '00:0A:BC',
    });
    expect(padded.serial).toBe('abc');
    expect(store.certificatesFor('sip:alice@example.com')).toEqual([recorded]);
  });

  it('a certificate is recorded once, for an existing account, with sane fields', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    const issued = certificateFor('sip:alice@example.com', 1);
    store.recordCertificate(issued);
    expect(() => store.recordCertificate(issued)).toThrow(CertificateExistsError);
    expect(() =>
      store.recordCertificate({
        ...certificateFor('sip:alice@example.com', 2),
        fingerprint: issued.fingerprint,
      }),
    ).toThrow(/fingerprint .* already recorded/);
    expect(() => store.recordCertificate(certificateFor('sip:nobody@example.com', 3))).toThrow(
      AccountNotFoundError,
    );
    const good = certificateFor('sip:alice@example.com', 4);
    for (const bad of [
      { ...good, fingerprint: 'abc' },
      { ...good, nodeId: 'xyz' },
      { ...good, serial: 'not-hex' },
      { ...good, notAfter: good.notBefore },
      { ...good, pem: 'hello' },
    ]) {
      expect(() => store.recordCertificate(bad)).toThrow(InvalidCertificateRecordError);
    }
    expect(store.certificatesFor('sip:alice@example.com')).toHaveLength(1);
  });

  it('each revocation bumps the list version once; revoking again changes nothing', () => {
    store.addUser('alice', 'example.com', 'wonderland');
    const first = store.recordCertificate(certificateFor('sip:alice@example.com', 1));
    const second = store.recordCertificate(certificateFor('sip:alice@example.com', 2));
    now += 1000;
    const revoked = store.revoke(first.fingerprint, 'keyCompromise');
    expect(revoked).toEqual({
      serial: first.serial,
      fingerprint: first.fingerprint,
      aor: 'sip:alice@example.com',
      revokedAt: T0 + 1000,
      reason: 'keyCompromise',
      version: 1,
    });
    expect(store.revocationVersion()).toBe(1);
    expect(store.revoke(first.serial, 'superseded')).toEqual(revoked);
    expect(store.revocationVersion()).toBe(1);
    store.revoke(second.serial, 'superseded');
    expect(store.revocationVersion()).toBe(2);
    expect(store.revocations().map((r) => [r.serial, r.version])).toEqual([
      [first.serial, 1],
      [second.serial, 2],
    ]);
    expect(store.revocations(1).map((r) => r.serial)).toEqual([second.serial]);
    expect(store.findCertificate(first.serial)?.revocation?.reason).toBe('keyCompromise');
  });

  it('revoking what does not exist, or for a made-up reason, is refused by name', () => {
    expect(() => store.revoke('ab'.repeat(32), 'keyCompromise')).toThrow(CertificateNotFoundError);
    store.addUser('alice', 'example.com', 'wonderland');
    const cert = store.recordCertificate(certificateFor('sip:alice@example.com', 1));
    expect(() => store.revoke(cert.serial, 'because' as RevocationReason)).toThrow(
      InvalidRevocationReasonError,
    );
    expect(store.revocationVersion()).toBe(0);
  });

  it('the revocation version is the store’s to keep', () => {
    expect(() => store.setMeta('revocation_version', '0')).toThrow(ReservedMetaKeyError);
    store.setMeta('ca_subject', 'CN=Chordline CA example.com');
    store.setMeta('ca_subject', 'CN=Chordline CA example.org');
    expect(store.getMeta('ca_subject')).toBe('CN=Chordline CA example.org');
    expect(store.getMeta('nothing')).toBeUndefined();
  });
});

describe('when Bob leaves', () => {
  it('his account is disabled, his HA1 wiped and his live certificates revoked in one step', () => {
    store.addUser('bob', 'example.com', 'builder');
    const expired = store.recordCertificate(
      certificateFor('sip:bob@example.com', 1, { notBefore: T0 - 400 * DAY }),
    );
    const live = store.recordCertificate(certificateFor('sip:bob@example.com', 2));
    const alreadyRevoked = store.recordCertificate(certificateFor('sip:bob@example.com', 3));
    store.revoke(alreadyRevoked.serial, 'superseded');
    now += DAY;

    const removed = store.removeUser('sip:bob@example.com');
    expect(removed).toEqual({
      aor: 'sip:bob@example.com',
      revokedSerials: [live.serial],
      revocationVersion: 2,
    });
    expect(store.findCertificate(live.serial)?.revocation).toMatchObject({
      reason: 'cessationOfOperation',
      version: 2,
    });
    expect(store.findCertificate(expired.serial)?.revocation).toBeUndefined();
    expect(store.ha1For('bob', 'example.com', 'SHA-256')).toBeUndefined();
    expect(store.listUsers()).toEqual([]);
    expect(store.listUsers({ includeRemoved: true })).toMatchObject([
      { aor: 'sip:bob@example.com', disabled: true },
    ]);
    expect(() => store.removeUser('sip:bob@example.com')).toThrow(AccountNotFoundError);
    expect(() => store.recordCertificate(certificateFor('sip:bob@example.com', 4))).toThrow(
      AccountNotFoundError,
    );
  });

  it('removing someone without certificates does not bump the revocation list', () => {
    store.addUser('bob', 'example.com', 'builder');
    expect(store.removeUser('sip:bob@example.com')).toEqual({
      aor: 'sip:bob@example.com',
      revokedSerials: [],
      revocationVersion: 0,
    });
  });

  it('his address may be given out again, with a new password and his old certificates still revoked', () => {
    store.addUser('bob', 'example.com', 'builder');
    const old = store.recordCertificate(certificateFor('sip:bob@example.com', 1));
    store.removeUser('sip:bob@example.com');
    now += DAY;
    const again = store.addUser('Bob', 'example.com', 'new-builder');
    expect(again).toMatchObject({ aor: 'sip:Bob@example.com', createdAt: T0 + DAY, disabled: false });
    expect(store.ha1For('Bob', 'example.com', 'MD5')).toBe(ha1('MD5', 'Bob', 'example.com', 'new-builder'));
    // The old certificate followed the account's new spelling and stays revoked.
    expect(store.findCertificate(old.serial)).toMatchObject({ aor: 'sip:Bob@example.com' });
    expect(store.findCertificate(old.serial)?.revocation).toBeDefined();
    expect(store.diagnostics().integrity).toBe('ok');
  });
});

describe('batches', () => {
  it('are all or nothing: a failure inside leaves no trace', () => {
    expect(() =>
      store.batch(() => {
        store.addUser('alice', 'example.com', 'a');
        store.addUser('bob', 'example.com', 'b');
        store.addUser('alice', 'example.com', 'again'); // AccountExistsError
      }),
    ).toThrow(AccountExistsError);
    expect(store.listUsers()).toEqual([]);
    const added = store.batch(() => [
      store.addUser('alice', 'example.com', 'a'),
      store.addUser('bob', 'example.com', 'b'),
    ]);
    expect(added.map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(store.listUsers()).toHaveLength(2);
  });
});

describe('a closed store', () => {
  it('says so instead of failing obscurely, and closing twice is harmless', () => {
    store.close();
    store.close();
    expect(() => store.listUsers()).toThrow(AccountStoreClosedError);
    expect(() => store.addUser('alice', 'example.com', 'pw')).toThrow(/has been closed/);
  });
});
