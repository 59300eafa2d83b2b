import { createSign, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  IdentityExistsError,
  KeyMismatchError,
  KeyStore,
  WrongPassphraseError,
  buildPkcs12,
  createCertificateAuthority,
  generateKeyPair,
  issueCertificate,
  readPkcs12,
} from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority } from '../../../src-main/keystore/index.ts';
import { fileIn, openssl, opensslOk, opensslReport, temporaryFolder } from './openssl.ts';

/** Alice's desktop: an identity with a certificate from the example.com CA. */
async function alicesDesktop(ca: CertificateAuthority): Promise<KeyStore> {
  const store = await KeyStore.create(temporaryFolder(), 'desktop passphrase');
  const { publicKeyPem } = await store.generateIdentity();
  const issued = issueCertificate({
    ca,
    aor: 'sip:alice@example.com',
    publicKeyPem,
    validitySeconds: 86_400,
  });
  await store.saveCertificate(issued.certPem, ca.certPem);
  return store;
}

describe('Alice exports her identity and imports it on a new laptop', () => {
  const folder = temporaryFolder();
  let ca: CertificateAuthority;
  let desktop: KeyStore;
  let p12: Buffer;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ domain: 'example.com' });
    desktop = await alicesDesktop(ca);
    p12 = desktop.exportPkcs12('export password');
  });

  it('writes a PKCS#12 file that OpenSSL 3 opens with the password, holding her key, certificate and CA', () => {
    const path = fileIn(folder, 'alice.p12', p12);
    const info = opensslReport([
      'pkcs12',
      '-info',
      '-noout',
      '-in',
      path,
      '-passin',
      'pass:export password',
    ]).output;
    const contents = opensslOk(['pkcs12', '-in', path, '-passin', 'pass:export password', '-nodes']);

    expect(info).toContain('MAC: sha256');
    expect(info).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC');
    expect(contents).toContain('friendlyName: sip:alice@example.com');
    expect(contents.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(contents).toMatch(/subject=CN ?= ?Chordline CA example\.com/);
    expect(contents).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('is refused by OpenSSL with a wrong password', () => {
    const path = fileIn(folder, 'alice.p12', p12);
    const result = openssl(['pkcs12', '-info', '-noout', '-in', path, '-passin', 'pass:wrong password']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/mac verify error: invalid password/i);
  });

  it('gives the laptop the same NodeID, certificate and CA certificate, under a new passphrase', async () => {
    const laptopDir = temporaryFolder();
    const laptop = await KeyStore.importPkcs12(laptopDir, p12, 'export password', 'laptop passphrase');
    const mine = desktop.identity();

    expect(laptop.identity().nodeId).toBe(mine.nodeId);
    expect(laptop.identity().certPem).toBe(mine.certPem);
    expect(laptop.identity().caCertPem).toBe(mine.caCertPem);
    expect(laptop.identity().aor).toBe('sip:alice@example.com');

    const reopened = await KeyStore.open(laptopDir, 'laptop passphrase');
    expect(reopened.identity()).toEqual(laptop.identity());
    await expect(KeyStore.open(laptopDir, 'desktop passphrase')).rejects.toThrow(WrongPassphraseError);
  });

  it('moves a key that really signs: what the laptop signs, the desktop certificate verifies', async () => {
    const laptop = await KeyStore.importPkcs12(
      temporaryFolder(),
      p12,
      'export password',
      'laptop passphrase',
    );
    const message = 'INVITE sip:bob@example.com SIP/2.0';
    const signature = createSign('sha256').update(message).sign(laptop.identity().privateKeyPem);
    expect(
      createVerify('sha256')
        .update(message)
        .verify(desktop.identity().certPem ?? '', signature),
    ).toBe(true);
  });

  it('refuses a wrong password with a WrongPassphraseError and leaves the laptop without an identity', async () => {
    const laptopDir = temporaryFolder();
    await expect(
      KeyStore.importPkcs12(laptopDir, p12, 'Export password', 'laptop passphrase'),
    ).rejects.toThrow(WrongPassphraseError);
    expect((await KeyStore.open(laptopDir, 'laptop passphrase')).hasIdentity()).toBe(false);
  });

  it('will not overwrite an identity the laptop already has, which would silently change its NodeID', async () => {
    const laptopDir = temporaryFolder();
    const existing = await KeyStore.create(laptopDir, 'laptop passphrase');
    await existing.generateIdentity();
    await expect(
      KeyStore.importPkcs12(laptopDir, p12, 'export password', 'laptop passphrase'),
    ).rejects.toThrow(IdentityExistsError);
  });

  it('works with a non-ASCII password, both for OpenSSL and for the import', async () => {
    const password = 'Grüße, 密码';
    const international = desktop.exportPkcs12(password);
    const path = fileIn(folder, 'international.p12', international);
    const contents = opensslOk(['pkcs12', '-in', path, '-passin', `pass:${password}`, '-nodes']);
    expect(contents).toContain('-----BEGIN PRIVATE KEY-----');

    const laptop = await KeyStore.importPkcs12(
      temporaryFolder(),
      international,
      password,
      'laptop passphrase',
    );
    expect(laptop.identity().nodeId).toBe(desktop.identity().nodeId);
  });

  it('also imports a PKCS#12 file that OpenSSL 3 wrote with its own defaults', async () => {
    const mine = desktop.identity();
    const out = join(folder, 'from-openssl.p12');
    opensslOk([
      'pkcs12',
      '-export',
      '-out',
      out,
      '-passout',
      'pass:openssl password',
      '-name',
      'sip:alice@example.com',
      '-inkey',
      fileIn(folder, 'key.pem', mine.privateKeyPem),
      '-in',
      fileIn(folder, 'cert.pem', mine.certPem ?? ''),
      '-certfile',
      fileIn(folder, 'ca.pem', mine.caCertPem ?? ''),
    ]);
    const info = opensslReport([
      'pkcs12',
      '-info',
      '-noout',
      '-in',
      out,
      '-passin',
      'pass:openssl password',
    ]).output;
    // Unlike ours, OpenSSL's files also encrypt the certificates: another decryption path.
    expect(info).toContain('PKCS7 Encrypted data: PBES2');
    expect(info).toContain('MAC: sha256');

    const laptop = await KeyStore.importPkcs12(
      temporaryFolder(),
      readFileSync(out),
      'openssl password',
      'laptop',
    );
    expect(laptop.identity().nodeId).toBe(mine.nodeId);
    expect(laptop.identity().caCertPem).toBe(mine.caCertPem);
  });

  it('refuses a file whose certificate does not belong to its key', async () => {
    const stranger = await generateKeyPair();
    const mismatched = buildPkcs12({
      privateKeyPem: stranger.privateKeyPem,
      certPem: desktop.identity().certPem ?? '',
      chainPems: [ca.certPem],
      password: 'pw',
      friendlyName: 'sip:alice@example.com',
    });
    expect(() => readPkcs12(mismatched, 'pw')).toThrow(KeyMismatchError);
    await expect(KeyStore.importPkcs12(temporaryFolder(), mismatched, 'pw', 'laptop')).rejects.toThrow(
      KeyMismatchError,
    );
  });
});

describe('Alice exports PEM for a SIP client that does not read PKCS#12', () => {
  const folder = temporaryFolder();
  let desktop: KeyStore;
  beforeAll(async () => {
    desktop = await alicesDesktop(await createCertificateAuthority({ domain: 'example.com' }));
  });

  it('gets her certificate followed by the CA certificate, and no key unless she asks', () => {
    const pem = desktop.exportPem();
    const identity = desktop.identity();
    expect(pem).toBe(`${identity.certPem ?? ''}${identity.caCertPem ?? ''}`);
    expect(pem).not.toContain('PRIVATE KEY');

    // The chain file verifies: the CA half as trust anchor, the certificate half as leaf.
    expect(
      opensslOk([
        'verify',
        '-CAfile',
        fileIn(folder, 'ca.pem', identity.caCertPem ?? ''),
        fileIn(folder, 'bundle.pem', pem),
      ]),
    ).toContain(': OK');
  });

  it('gets the key encrypted under a password when she asks, which OpenSSL opens with it and only with it', () => {
    const pem = desktop.exportPem({ keyPassword: 'key password' });
    expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(pem).not.toContain('-----BEGIN PRIVATE KEY-----');
    const path = fileIn(folder, 'with-key.pem', pem);

    const publicKey = opensslOk(['pkey', '-in', path, '-passin', 'pass:key password', '-pubout']);
    expect(publicKey).toBe(desktop.identity().publicKeyPem);
    expect(openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-pubout']).status).not.toBe(0);
  });
});
