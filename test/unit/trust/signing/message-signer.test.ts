import { verify } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  MessageSigner,
  SigningIdentityError,
  derFromPem,
  signedText,
} from '../../../../src-main/trust/signing/index.ts';
import { FakeClock, createNetwork, enrol, registerFrom, type Member } from './fixtures.ts';

let alice: Member;
let bob: Member;

beforeAll(async () => {
  const network = await createNetwork('example.com');
  [alice, bob] = await Promise.all([enrol(network, 'alice'), enrol(network, 'bob')]);
});

describe("Alice's message signer", () => {
  it('signs the canonical text with RSA-SHA256, verifiable with the public key in her certificate', () => {
    const clock = new FakeClock();
    const signer = new MessageSigner({ identity: alice.identity, clock });
    const parts = registerFrom(alice, clock);

    const signature = Buffer.from(signer.sign(parts), 'base64');
    expect(signature).toHaveLength(256);
    expect(verify('sha256', Buffer.from(signedText(parts)), alice.keys.publicKeyPem, signature)).toBe(true);
  });

  it('knows her certificate as a <Certificate> element and a <CertificateRef>', () => {
    const signer = new MessageSigner({ identity: alice.identity, clock: new FakeClock() });
    expect(signer.fingerprint).toBe(alice.cert.fingerprint);
    expect(signer.certificateBase64).toBe(derFromPem(alice.cert.certPem)!.toString('base64'));
  });

  it('sends her whole certificate to each peer once, then the reference, and again after ten minutes', () => {
    const clock = new FakeClock();
    const signer = new MessageSigner({ identity: alice.identity, clock });

    expect(signer.credentialsFor('bob').kind).toBe('certificate');
    expect(signer.credentialsFor('carol').kind).toBe('certificate');
    expect(signer.credentialsFor('bob')).toEqual({
      kind: 'certificate-ref',
      fingerprint: alice.cert.fingerprint,
    });
    clock.advanceSeconds(599);
    expect(signer.credentialsFor('bob').kind).toBe('certificate-ref');
    clock.advanceSeconds(1);
    expect(signer.credentialsFor('bob').kind).toBe('certificate');
    expect(signer.credentialsFor('bob').kind).toBe('certificate-ref');
  });

  it('sends the whole certificate again right after a peer answers 428', () => {
    const signer = new MessageSigner({ identity: alice.identity, clock: new FakeClock() });
    signer.credentialsFor('bob');
    signer.peerLostCertificate('bob');
    expect(signer.credentialsFor('bob').kind).toBe('certificate');
  });

  it('forgets the least recently contacted peer when it knows too many', () => {
    const signer = new MessageSigner({ identity: alice.identity, clock: new FakeClock() }, { maxPeers: 2 });
    for (const peer of ['bob', 'carol', 'dave']) signer.credentialsFor(peer);
    expect(signer.credentialsFor('bob').kind).toBe('certificate');
    expect(signer.credentialsFor('dave').kind).toBe('certificate-ref');
  });

  it("refuses to start with Bob's certificate and Alice's key", () => {
    expect(
      () =>
        new MessageSigner({
          identity: { privateKeyPem: alice.keys.privateKeyPem, certPem: bob.cert.certPem },
          clock: new FakeClock(),
        }),
    ).toThrow(new SigningIdentityError('The private key does not belong to the certificate'));
  });
});
