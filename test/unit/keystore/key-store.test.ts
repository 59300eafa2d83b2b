import { createSign, createVerify } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateChainError,
  CertificateFormatError,
  IdentityExistsError,
  KeyMismatchError,
  KeyStore,
  NoCertificateError,
  NoIdentityError,
  WrongPassphraseError,
  createCertificateAuthority,
  generateKeyPair,
  issueCertificate,
  nodeIdOf,
} from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority } from '../../../src-main/keystore/index.ts';
import { temporaryFolder } from './openssl.ts';

const PASSPHRASE = 'alice passphrase';

describe('Alice starts Chordline for the first time', () => {
  const dataDir = temporaryFolder();
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ domain: 'example.com' });
  });

  it('finds no identity, and is told what to do about it', async () => {
    const store = await KeyStore.create(dataDir, PASSPHRASE);
    expect(store.hasIdentity()).toBe(false);
    expect(() => store.identity()).toThrow(NoIdentityError);
    expect(() => store.identity()).toThrow(/Create one, or import one/);
  });

  it('creates her identity: a key whose NodeID is its hash, stored only encrypted and owner-only', async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const { publicKeyPem, nodeId } = await store.generateIdentity();

    expect(nodeId).toBe(nodeIdOf(publicKeyPem));
    expect(store.hasIdentity()).toBe(true);
    expect(store.identity()).toMatchObject({ publicKeyPem, nodeId });
    expect(store.identity().certPem).toBeUndefined();

    const keyFile = join(store.folder, 'private-key.json');
    const onDisk = readFileSync(keyFile, 'utf8');
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(onDisk).not.toContain(store.identity().privateKeyPem.split('\n')[1]);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600); // no modes on Windows
    expect(readdirSync(store.folder)).toEqual(['private-key.json']);
  });

  it('gets the same identity back the next morning with her passphrase', async () => {
    const yesterday = (await KeyStore.open(dataDir, PASSPHRASE)).identity();
    const today = await KeyStore.open(dataDir, PASSPHRASE);
    expect(today.identity()).toEqual(yesterday);
  });

  it('is refused with a WrongPassphraseError when she mistypes the passphrase', async () => {
    await expect(KeyStore.open(dataDir, 'alice passphrasE')).rejects.toThrow(WrongPassphraseError);
  });

  it('cannot accidentally run first-time setup again over her identity', async () => {
    await expect(KeyStore.create(dataDir, PASSPHRASE)).rejects.toThrow(IdentityExistsError);
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    await expect(store.generateIdentity()).rejects.toThrow(IdentityExistsError);
  });

  it('signs in; the certificate is stored with the CA certificate and survives a restart', async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: store.identity().publicKeyPem,
      validitySeconds: 3600,
    });
    const described = await store.saveCertificate(issued.certPem, ca.certPem);
    expect(described.aor).toBe('sip:alice@example.com');

    const restarted = (await KeyStore.open(dataDir, PASSPHRASE)).identity();
    expect(restarted.certPem).toBe(issued.certPem);
    expect(restarted.caCertPem).toBe(ca.certPem);
    expect(restarted.aor).toBe('sip:alice@example.com');
    expect(readdirSync(store.folder).sort()).toEqual([
      'ca-certificate.pem',
      'certificate.pem',
      'private-key.json',
    ]);
  });

  it('signs with the stored key so that anyone holding her certificate can verify it', async () => {
    const identity = (await KeyStore.open(dataDir, PASSPHRASE)).identity();
    const signature = createSign('sha256')
      .update('REGISTER sip:example.com')
      .sign(identity.privateKeyPem, 'base64');
    const ok = createVerify('sha256')
      .update('REGISTER sip:example.com')
      .verify(identity.certPem ?? '', signature, 'base64');
    expect(ok).toBe(true);
  });

  it("refuses a certificate issued for someone else's key", async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const bob = await generateKeyPair();
    const bobs = issueCertificate({
      ca,
      aor: 'sip:bob@example.com',
      publicKeyPem: bob.publicKeyPem,
      validitySeconds: 3600,
    });
    await expect(store.saveCertificate(bobs.certPem, ca.certPem)).rejects.toThrow(KeyMismatchError);
    expect(store.identity().aor).toBe('sip:alice@example.com');
  });

  it('refuses a certificate that the CA certificate given with it did not sign', async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const otherCa = await createCertificateAuthority({ domain: 'example.com' });
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: store.identity().publicKeyPem,
      validitySeconds: 3600,
    });
    await expect(store.saveCertificate(issued.certPem, otherCa.certPem)).rejects.toThrow(
      CertificateChainError,
    );
  });

  it('can deliberately start over with a new key, which moves her NodeID and drops the old certificate', async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const before = store.identity().nodeId;
    const { nodeId } = await store.generateIdentity({ replace: true });

    expect(nodeId).not.toBe(before);
    expect(store.identity().certPem).toBeUndefined();
    expect(() => store.exportPkcs12('pw')).toThrow(NoCertificateError);
    const reopened = await KeyStore.open(dataDir, PASSPHRASE);
    expect(reopened.identity().nodeId).toBe(nodeId);
    expect(readdirSync(store.folder)).toEqual(['private-key.json']);
  });

  it("will not start with a certificate file that belongs to another key (e.g. Bob's copied over hers)", async () => {
    const store = await KeyStore.open(dataDir, PASSPHRASE);
    const bob = await generateKeyPair();
    const bobs = issueCertificate({
      ca,
      aor: 'sip:bob@example.com',
      publicKeyPem: bob.publicKeyPem,
      validitySeconds: 60,
    });
    writeFileSync(join(store.folder, 'certificate.pem'), bobs.certPem);

    await expect(KeyStore.open(dataDir, PASSPHRASE)).rejects.toThrow(KeyMismatchError);
    await expect(KeyStore.open(dataDir, PASSPHRASE)).rejects.toThrow(
      /certificate\.pem was issued for NodeID/,
    );
  });

  it('names the damaged file and the way out when the certificate on disk is corrupt', async () => {
    writeFileSync(
      join(dataDir, 'identity', 'certificate.pem'),
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    );

    await expect(KeyStore.open(dataDir, PASSPHRASE)).rejects.toThrow(CertificateFormatError);
    await expect(KeyStore.open(dataDir, PASSPHRASE)).rejects.toThrow(
      /certificate\.pem is damaged .* sign in again/,
    );
  });
});
