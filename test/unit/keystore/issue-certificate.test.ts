import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  InvalidAorError,
  KeyMismatchError,
  createCertificateAuthority,
  describeCertificate,
  fingerprintOf,
  generateKeyPair,
  issueCertificate,
  nodeIdOf,
} from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority, KeyPair } from '../../../src-main/keystore/index.ts';
import { fileIn, openssl, opensslOk, temporaryFolder } from './openssl.ts';

describe('the example.com login server sets up its certificate authority', () => {
  const folder = temporaryFolder();
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ domain: 'example.com', validityDays: 365 });
  });

  it('gets a self-signed CA certificate that OpenSSL accepts as its own trust anchor', () => {
    const path = fileIn(folder, 'ca.pem', ca.certPem);
    expect(opensslOk(['verify', '-CAfile', path, path])).toContain(': OK');
  });

  it('names it "Chordline CA example.com" and limits it to signing certificates and CRLs', () => {
    const text = opensslOk(['x509', '-in', fileIn(folder, 'ca.pem', ca.certPem), '-noout', '-text']);
    expect(text).toMatch(/Subject: CN ?= ?Chordline CA example\.com/);
    expect(text).toMatch(/Issuer: CN ?= ?Chordline CA example\.com/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
  });

  it('lasts the days it was asked for, starting a minute early for slow clocks', () => {
    const x509 = new X509Certificate(ca.certPem);
    const notBefore = new Date(x509.validFrom).getTime();
    const notAfter = new Date(x509.validTo).getTime();
    expect(Date.now() - notBefore).toBeGreaterThanOrEqual(CLOCK_SKEW_MS - 1000);
    expect(Date.now() - notBefore).toBeLessThan(CLOCK_SKEW_MS + 5000);
    expect(notAfter - notBefore).toBe(365 * 86_400_000 + CLOCK_SKEW_MS);
  });

  it('refuses a domain that is not a host name', async () => {
    await expect(createCertificateAuthority({ domain: 'example.com/evil' })).rejects.toThrow(
      /not a domain name/,
    );
  });
});

describe('Alice signs in and the login server issues her certificate', () => {
  const folder = temporaryFolder();
  let ca: CertificateAuthority;
  let alice: KeyPair;
  beforeAll(async () => {
    [ca, alice] = await Promise.all([
      createCertificateAuthority({ domain: 'example.com' }),
      generateKeyPair(),
    ]);
  });

  it('is accepted by `openssl verify -CAfile ca.pem cert.pem`', () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    const result = openssl([
      'verify',
      '-CAfile',
      fileIn(folder, 'ca.pem', ca.certPem),
      fileIn(folder, 'alice.pem', issued.certPem),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('alice.pem: OK');
    expect(result.status).toBe(0);
  });

  it("is refused by OpenSSL against another domain's CA, so the check above means something", async () => {
    const otherCa = await createCertificateAuthority({ domain: 'example.org' });
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    const result = openssl([
      'verify',
      '-CAfile',
      fileIn(folder, 'other-ca.pem', otherCa.certPem),
      fileIn(folder, 'alice.pem', issued.certPem),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/unable to get local issuer certificate/);
  });

  it('shows her AOR and NodeID as subjectAltName URIs in `openssl x509 -text`', () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    const text = opensslOk(['x509', '-in', fileIn(folder, 'alice.pem', issued.certPem), '-noout', '-text']);
    expect(text).toContain(
      `URI:sip:alice@example.com, URI:urn:chordline:node:${nodeIdOf(alice.publicKeyPem)}`,
    );
    expect(text).toMatch(/Subject: CN ?= ?alice@example\.com/);
    expect(text).toMatch(/Issuer: CN ?= ?Chordline CA example\.com/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Version: 3 (0x2)');
  });

  it("links to the CA by key identifier (authorityKeyIdentifier = the CA's subjectKeyIdentifier)", () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    const caText = opensslOk([
      'x509',
      '-in',
      fileIn(folder, 'ca.pem', ca.certPem),
      '-noout',
      '-ext',
      'subjectKeyIdentifier',
    ]);
    const aliceText = opensslOk([
      'x509',
      '-in',
      fileIn(folder, 'alice.pem', issued.certPem),
      '-noout',
      '-ext',
      'authorityKeyIdentifier',
    ]);
    const caKeyId = caText.split('\n')[1].trim();
    expect(caKeyId).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(aliceText).toContain(caKeyId);
  });

  it('reports the same serial, NodeID, fingerprint and dates that the certificate itself carries', () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    const described = describeCertificate(issued.certPem);
    expect(described.serial).toBe(issued.serial);
    expect(described.nodeId).toBe(issued.nodeId);
    expect(described.fingerprint).toBe(issued.fingerprint);
    expect(fingerprintOf(issued.certPem)).toBe(issued.fingerprint);
    expect(described.notBefore).toEqual(issued.notBefore);
    expect(described.notAfter).toEqual(issued.notAfter);
  });

  it('starts a minute in the past for clock skew, and still lasts the full lifetime from now', () => {
    const before = Date.now();
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 3600,
    });
    expect(issued.notBefore.getTime()).toBeLessThanOrEqual(before - CLOCK_SKEW_MS);
    expect(issued.notBefore.getTime()).toBeGreaterThan(before - CLOCK_SKEW_MS - 2000);
    expect(issued.notAfter.getTime() - issued.notBefore.getTime()).toBe(3600_000 + CLOCK_SKEW_MS);
  });

  it('uses the notBefore it is given, for certificates that start later', () => {
    const start = new Date('2030-01-01T00:00:00.500Z');
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 60,
      notBefore: start,
    });
    const x509 = new X509Certificate(issued.certPem);
    expect(new Date(x509.validFrom).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2030-01-01T00:01:00.000Z');
    expect(issued.notBefore.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('gets a fresh random positive 128-bit serial each time, which OpenSSL parses', () => {
    const serials = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const issued = issueCertificate({
        ca,
        aor: 'sip:alice@example.com',
        publicKeyPem: alice.publicKeyPem,
        validitySeconds: 60,
      });
      expect(issued.serial).toMatch(/^[0-9a-f]{32}$/);
      expect(issued.serial[0] + issued.serial[1]).not.toBe('00');
      // About half have the top bit set; X509Certificate (OpenSSL) refuses negative or padded ones.
      expect(new X509Certificate(issued.certPem).serialNumber.toLowerCase()).toBe(issued.serial);
      serials.add(issued.serial);
    }
    expect(serials.size).toBe(300);
  });

  it('refuses to issue for something that is not an AOR', () => {
    for (const aor of [
      'alice@example.com',
      'sip:alice',
      'sip:alice@example.com:5060',
      '"Alice" <sip:alice@example.com>',
      'sip:al ice@example.com',
    ]) {
      expect(() =>
        issueCertificate({ ca, aor, publicKeyPem: alice.publicKeyPem, validitySeconds: 60 }),
      ).toThrow(InvalidAorError);
    }
  });

  it('refuses a CA whose key does not belong to its certificate (a misconfigured login server)', async () => {
    const other = await generateKeyPair();
    const broken = { certPem: ca.certPem, keyPem: other.privateKeyPem };
    expect(() =>
      issueCertificate({
        ca: broken,
        aor: 'sip:alice@example.com',
        publicKeyPem: alice.publicKeyPem,
        validitySeconds: 60,
      }),
    ).toThrow(KeyMismatchError);
  });
});
