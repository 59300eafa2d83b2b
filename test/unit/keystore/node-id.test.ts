import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  fingerprintOf,
  generateKeyPair,
  isNodeId,
  issueCertificate,
  nodeIdOf,
} from '../../../src-main/keystore/index.ts';
import { fileIn, opensslOk, temporaryFolder } from './openssl.ts';

// A fixed key and its NodeID, computed once with
// `openssl pkey -pubin -in key.pem -outform DER | openssl dgst -sha1`. If this test fails, every
// peer's place in the ring has moved: that is a protocol change, not a refactoring.
const FIXED_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0uPe3pTuE8r7gBH7y5an
y45W8VSvcY3AVpQmtIr8dZNs7VyfBubC70IJXZpUwPiWMCkI3l/P3dlHQX+HwRjI
FBTvRLs6OQF9NPTp5b24QKoqFhyT/fdS2IpDvOk6fwDbkb9q3DpZFqV1HMMCeL6h
oNaBdyVuUmBhXgnSDqITfzWxtK/90MKT6mp09qh5NWeUkrztDHQsgAqJxmt+4tFI
DqQA1WygITRvn8tBxJVo3IdxbVOmaxQAlduY97huUXafrWBmsCyU2e3H9rdsAP/k
5pFn6GzNc/Rct2CI6F6SQv6KpV3NQwkMCF4+cKjkgnKPYX67vQzC8pggdDwS/JxY
yQIDAQAB
-----END PUBLIC KEY-----
`;
const FIXED_NODE_ID = 'c82755680d3bcf4e5d893a55d593f6afab14e7ab';

describe('a NodeID is the hash of a public key, so nobody chooses their place in the ring', () => {
  const folder = temporaryFolder();

  it('is SHA-1 over the DER SubjectPublicKeyInfo, exactly as OpenSSL computes it, in 40 lowercase hex', async () => {
    const { publicKeyPem } = await generateKeyPair();
    const der = join(folder, 'alice-public.der');
    opensslOk([
      'pkey',
      '-pubin',
      '-in',
      fileIn(folder, 'alice-public.pem', publicKeyPem),
      '-outform',
      'DER',
      '-out',
      der,
    ]);
    const [opensslHash] = opensslOk(['dgst', '-sha1', '-r', der]).split(' ');

    const nodeId = nodeIdOf(publicKeyPem);
    expect(nodeId).toMatch(/^[0-9a-f]{40}$/);
    expect(isNodeId(nodeId)).toBe(true);
    expect(nodeId).toBe(opensslHash);
  });

  it('is stable: a known key keeps its known NodeID, whatever line endings its PEM arrives with', () => {
    expect(nodeIdOf(FIXED_PUBLIC_KEY)).toBe(FIXED_NODE_ID);
    expect(nodeIdOf(FIXED_PUBLIC_KEY.replace(/\n/g, '\r\n'))).toBe(FIXED_NODE_ID);
  });

  it("is the same whether read from Bob's key or from the certificate issued for it", async () => {
    const ca = await createCertificateAuthority({ domain: 'example.com' });
    const bob = await generateKeyPair();
    const issued = issueCertificate({
      ca,
      aor: 'sip:bob@example.com',
      publicKeyPem: bob.publicKeyPem,
      validitySeconds: 60,
    });

    expect(nodeIdOf(issued.certPem)).toBe(nodeIdOf(bob.publicKeyPem));
    expect(issued.nodeId).toBe(nodeIdOf(bob.publicKeyPem));
  });

  it('differs between two keys, so Alice and Bob never collide', async () => {
    const [alice, bob] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    expect(nodeIdOf(alice.publicKeyPem)).not.toBe(nodeIdOf(bob.publicKeyPem));
  });
});

describe("a certificate's fingerprint names it in later messages (<CertificateRef>)", () => {
  const folder = temporaryFolder();

  it("is SHA-256 over the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it", async () => {
    const ca = await createCertificateAuthority({ domain: 'example.com' });
    const path = fileIn(folder, 'ca.pem', ca.certPem);
    const printed = opensslOk(['x509', '-in', path, '-noout', '-fingerprint', '-sha256']);
    const expected = printed.trim().split('=')[1].replace(/:/g, '').toLowerCase();

    expect(fingerprintOf(ca.certPem)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(ca.certPem)).toBe(expected);
  });
});
