import { beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateFormatError,
  createCertificateAuthority,
  describeCertificate,
  generateKeyPair,
  issueCertificate,
  nodeIdOf,
} from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority, KeyPair } from '../../../src-main/keystore/index.ts';
import { fileIn, opensslOk, temporaryFolder } from './openssl.ts';

describe("Bob receives Alice's certificate and reads who she is", () => {
  const folder = temporaryFolder();
  let ca: CertificateAuthority;
  let alice: KeyPair;
  let mallory: KeyPair;
  beforeAll(async () => {
    [ca, alice, mallory] = await Promise.all([
      createCertificateAuthority({ domain: 'example.com' }),
      generateKeyPair(),
      generateKeyPair(),
    ]);
  });

  it('finds her AOR, NodeID, names, serial, dates, fingerprint and public key', () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 600,
    });
    const described = describeCertificate(issued.certPem);

    expect(described).toEqual({
      aor: 'sip:alice@example.com',
      nodeId: nodeIdOf(alice.publicKeyPem),
      subject: 'CN=alice@example.com',
      issuer: 'CN=Chordline CA example.com',
      serial: issued.serial,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      fingerprint: issued.fingerprint,
      publicKeyPem: alice.publicKeyPem,
    });
  });

  it("gives the NodeID of the key it was issued for, never another key's", () => {
    const aliceCert = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 600,
    });
    const described = describeCertificate(aliceCert.certPem);

    expect(described.nodeId).toBe(nodeIdOf(alice.publicKeyPem));
    expect(described.nodeId).not.toBe(nodeIdOf(mallory.publicKeyPem));
    expect(described.publicKeyPem).not.toBe(mallory.publicKeyPem);
  });

  it("refuses Mallory's home-made certificate that claims Alice's place in the ring for Mallory's key", () => {
    // Mallory signs her own certificate with OpenSSL, naming Alice's NodeID next to her own key.
    const malloryKey = fileIn(folder, 'mallory-key.pem', mallory.privateKeyPem);
    const forged = selfSigned(
      malloryKey,
      `URI:sip:mallory@example.com,URI:urn:chordline:node:${nodeIdOf(alice.publicKeyPem)}`,
    );

    expect(() => describeCertificate(forged)).toThrow(CertificateFormatError);
    expect(() => describeCertificate(forged)).toThrow(/was not issued for this key/);
  });

  it('accepts the same kind of certificate when its NodeID is honest, so the refusal above is about the NodeID', () => {
    const malloryKey = fileIn(folder, 'mallory-key.pem', mallory.privateKeyPem);
    const honest = selfSigned(
      malloryKey,
      `URI:sip:mallory@example.com,URI:urn:chordline:node:${nodeIdOf(mallory.publicKeyPem)}`,
    );

    expect(describeCertificate(honest).nodeId).toBe(nodeIdOf(mallory.publicKeyPem));
    expect(describeCertificate(honest).aor).toBe('sip:mallory@example.com');
  });

  it('refuses a certificate that is not a Chordline user certificate (the CA certificate has no AOR)', () => {
    expect(() => describeCertificate(ca.certPem)).toThrow(CertificateFormatError);
    expect(() => describeCertificate(ca.certPem)).toThrow(/not a Chordline user certificate/);
  });

  it('refuses a certificate with two NodeIDs, since another reader might believe the other one', () => {
    const malloryKey = fileIn(folder, 'mallory-key.pem', mallory.privateKeyPem);
    const twoNodeIds = selfSigned(
      malloryKey,
      `URI:sip:mallory@example.com,URI:urn:chordline:node:${nodeIdOf(mallory.publicKeyPem)},` +
        `URI:urn:chordline:node:${nodeIdOf(alice.publicKeyPem)}`,
    );

    expect(() => describeCertificate(twoNodeIds)).toThrow(/exactly one/);
  });

  it('refuses text that is not a certificate, or a damaged one, with a CertificateFormatError', () => {
    const issued = issueCertificate({
      ca,
      aor: 'sip:alice@example.com',
      publicKeyPem: alice.publicKeyPem,
      validitySeconds: 600,
    });
    const damaged = issued.certPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');

    expect(() => describeCertificate('hello')).toThrow(CertificateFormatError);
    expect(() => describeCertificate(alice.publicKeyPem)).toThrow(CertificateFormatError);
    expect(() => describeCertificate(damaged)).toThrow(CertificateFormatError);
  });
});

/** What anyone can make with OpenSSL: a self-signed certificate with the subjectAltName they like. */
function selfSigned(keyPath: string, subjectAltName: string): string {
  return opensslOk([
    ...['req', '-x509', '-new', '-key', keyPath, '-subj', '/CN=mallory@example.com', '-days', '1'],
    ...['-addext', `subjectAltName=${subjectAltName}`],
  ]);
}
