import { X509Certificate } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  fingerprintOf,
  generateKeyPair,
  nodeIdOf,
  type KeyPair,
} from '../../../../src-main/keystore/index.ts';
import {
  CertificateAuthorityError,
  CertificateCache,
  CertificateValidator,
  derFromPem,
  noRevocations,
  type CertificateCheck,
} from '../../../../src-main/trust/signing/index.ts';
import { FakeClock, createNetwork, enrol, opensslIssue, type Member, type Network } from './fixtures.ts';

let network: Network;
let alice: Member;
let strangerKeys: KeyPair;

beforeAll(async () => {
  network = await createNetwork('example.com');
  alice = await enrol(network, 'alice');
  strangerKeys = await generateKeyPair();
});

function validatorAt(clock = new FakeClock(), cache?: CertificateCache): CertificateValidator {
  return new CertificateValidator(
    { caCertPem: network.ca.certPem, revocations: noRevocations, clock },
    { cache },
  );
}

function refusal(check: CertificateCheck | { ok: false; code: number; reason: string }): {
  code: number;
  reason: string;
} {
  if (check.ok) throw new Error(`expected a refusal, the certificate of ${check.aor} was accepted`);
  return { code: check.code, reason: check.reason };
}

/** Extensions for openssl, in the certificate layout of ARCHITECTURE.md unless told otherwise. */
function extensions(altNames: string): string {
  return `basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nsubjectAltName=${altNames}\n`;
}

describe("validating a certificate against this network's login server", () => {
  it('accepts a keystore-issued certificate and agrees with the keystore on NodeID, fingerprint and serial', () => {
    const check = validatorAt().validate(alice.cert.certPem);
    if (!check.ok) throw new Error(check.reason);

    expect(check.aor).toBe('sip:alice@example.com');
    expect(check.nodeId).toBe(alice.cert.nodeId);
    expect(check.nodeId).toBe(nodeIdOf(alice.keys.publicKeyPem));
    expect(check.fingerprint).toBe(fingerprintOf(alice.cert.certPem));
    expect(check.serial).toBe(alice.cert.serial.replace(/^0+/, ''));
    expect(check.notAfter).toEqual(alice.cert.notAfter);
    expect(check.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('accepts the same certificate as base64 DER (a <Certificate> element) and as a reference afterwards', () => {
    const validator = validatorAt();
    expect(validator.validateRef(alice.cert.fingerprint)).toMatchObject({ ok: false, code: 428 });

    const der = derFromPem(alice.cert.certPem);
    expect(validator.validateBase64Der(der!.toString('base64'))).toMatchObject({ ok: true, aor: alice.aor });
    expect(validator.validateRef(alice.cert.fingerprint.toUpperCase())).toMatchObject({
      ok: true,
      aor: alice.aor,
    });
  });

  it('accepts a certificate issued by openssl in the same layout (the format is the contract, not the tool)', () => {
    const pem = opensslIssue({
      ca: network.ca,
      subjectKeyPem: strangerKeys.privateKeyPem,
      subject: '/CN=dave@example.com',
      extensions: extensions(
        `URI:sip:dave@example.com,URI:urn:chordline:node:${nodeIdOf(strangerKeys.publicKeyPem)}`,
      ),
    });
    expect(validatorAt().validate(pem)).toMatchObject({
      ok: true,
      aor: 'sip:dave@example.com',
      serial: '1234abcd',
    });
  });

  it("refuses a certificate naming a NodeID that is not its key's", () => {
    const pem = opensslIssue({
      ca: network.ca,
      subjectKeyPem: strangerKeys.privateKeyPem,
      subject: '/CN=mallory@example.com',
      extensions: extensions(`URI:sip:mallory@example.com,URI:urn:chordline:node:${alice.cert.nodeId}`),
    });
    expect(refusal(validatorAt().validate(pem))).toEqual({
      code: 403,
      reason: "NodeID does not match the certificate's key",
    });
  });

  it.each([
    [
      'two AORs',
      (n: string) => `URI:sip:mallory@example.com,URI:sip:alice@example.com,URI:urn:chordline:node:${n}`,
    ],
    ['no NodeID', () => 'URI:sip:mallory@example.com'],
    [
      'a DNS name besides',
      (n: string) => `URI:sip:mallory@example.com,URI:urn:chordline:node:${n},DNS:example.com`,
    ],
    [
      'one URI with ", URI:" smuggled inside',
      (n: string) =>
        `@alt\n[alt]\nURI.1 = sip:mallory@example.com, URI:sip:alice@example.com\nURI.2 = urn:chordline:node:${n}`,
    ],
  ])('refuses a certificate whose subjectAltName has %s', (_why, altNames) => {
    const pem = opensslIssue({
      ca: network.ca,
      subjectKeyPem: strangerKeys.privateKeyPem,
      subject: '/CN=mallory@example.com',
      extensions: extensions(altNames(nodeIdOf(strangerKeys.publicKeyPem))),
    });
    expect(refusal(validatorAt().validate(pem))).toEqual({
      code: 403,
      reason: 'Certificate must name exactly one sip: address and one NodeID',
    });
  });

  it('refuses a certificate for another domain, though our CA signed it', () => {
    const pem = opensslIssue({
      ca: network.ca,
      subjectKeyPem: strangerKeys.privateKeyPem,
      subject: '/CN=eve@example.org',
      extensions: extensions(
        `URI:sip:eve@example.org,URI:urn:chordline:node:${nodeIdOf(strangerKeys.publicKeyPem)}`,
      ),
    });
    expect(refusal(validatorAt().validate(pem)).reason).toBe(
      'Certificate is for example.org, this network is example.com',
    );
  });

  it('refuses a CA certificate presented as a user certificate', () => {
    const pem = opensslIssue({
      ca: network.ca,
      subjectKeyPem: strangerKeys.privateKeyPem,
      subject: '/CN=sub-ca',
      extensions: `basicConstraints=critical,CA:true\nsubjectAltName=URI:sip:x@example.com,URI:urn:chordline:node:${nodeIdOf(strangerKeys.publicKeyPem)}\n`,
    });
    expect(refusal(validatorAt().validate(pem)).reason).toBe(
      'This is a CA certificate, not a user certificate',
    );
  });

  it('refuses the CA certificate itself, and text that is no certificate', () => {
    expect(refusal(validatorAt().validate(network.ca.certPem)).code).toBe(403);
    expect(refusal(validatorAt().validate('hello')).reason).toMatch(/^Certificate cannot be read/);
    expect(refusal(validatorAt().validateBase64Der('AAAA')).reason).toMatch(/^Certificate cannot be read/);
    expect(refusal(validatorAt().validate(alice.cert.certPem + alice.cert.certPem)).reason).toMatch(
      /cannot be read/,
    );
  });

  it('refuses a certificate with bytes appended, which would otherwise have a second fingerprint', () => {
    const der = derFromPem(alice.cert.certPem)!;
    const padded = Buffer.concat([der, Buffer.from([0, 0])]);
    expect(new X509Certificate(padded).raw.equals(der)).toBe(true); // OpenSSL would read it…
    expect(refusal(validatorAt().validateDer(padded)).reason).toMatch(/cannot be read/); // …we do not.
  });

  it('forgives a minute of clock skew at either end of the validity period, not more', async () => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
    const member = await enrol(network, 'frank', {
      notBefore: start,
      validitySeconds: 7200,
      keys: strangerKeys,
    });
    const clock = new FakeClock(start.getTime() - 61_000);
    const validator = validatorAt(clock);

    expect(refusal(validator.validate(member.cert.certPem)).reason).toBe(
      `Certificate not valid before ${start.toISOString().replace('.000Z', 'Z')} (clock wrong?)`,
    );
    clock.advanceSeconds(2);
    expect(validator.validate(member.cert.certPem).ok).toBe(true);
    clock.advanceSeconds(59 + 7200 + 59); // 59 s past notAfter
    expect(validator.validateRef(member.cert.fingerprint).ok).toBe(true);
    clock.advanceSeconds(2);
    expect(refusal(validator.validateRef(member.cert.fingerprint)).reason).toMatch(
      /^Certificate expired on /,
    );
  });

  it('remembers checked certificates in a bounded cache shared between validators', async () => {
    const cache = new CertificateCache(2);
    const validator = validatorAt(new FakeClock(), cache);
    const members = [alice, await enrol(network, 'grace'), await enrol(network, 'heidi')];
    for (const member of members) expect(validator.validate(member.cert.certPem).ok).toBe(true);

    expect(cache.size).toBe(2);
    expect(validator.validateRef(alice.cert.fingerprint)).toMatchObject({ ok: false, code: 428 });
    expect(validatorAt(new FakeClock(), cache).validateRef(members[2].cert.fingerprint).ok).toBe(true);
  });

  it('refuses to be built around a certificate that is not a CA', () => {
    expect(
      () =>
        new CertificateValidator({
          caCertPem: alice.cert.certPem,
          revocations: noRevocations,
          clock: new FakeClock(),
        }),
    ).toThrow(CertificateAuthorityError);
  });
});
