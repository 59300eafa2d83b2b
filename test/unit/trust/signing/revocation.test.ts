import { createPublicKey } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  CertificateValidator,
  RevocationSet,
  signRevocationList,
  verifyRevocationList,
  type UnsignedRevocationList,
} from '../../../../src-main/trust/signing/index.ts';
import { buildP2pXml, parseP2pXml, TRUST_LOGIN_SERVER } from '../../../../src-main/overlay/xml/index.ts';
import { FakeClock, createNetwork, enrol, type Member, type Network } from './fixtures.ts';

let network: Network;
let alice: Member;
let bob: Member;

beforeAll(async () => {
  network = await createNetwork('example.com');
  [alice, bob] = await Promise.all([enrol(network, 'alice'), enrol(network, 'bob')]);
});

function listOf(
  version: number,
  revoked: Member[],
  issuer = 'CN=Chordline CA example.com',
): UnsignedRevocationList {
  return {
    issuer,
    version,
    issued: '2026-03-01T12:00:00Z',
    nextUpdate: '2026-03-02T12:00:00Z',
    revoked: revoked.map((member) => ({
      serial: member.cert.serial,
      fingerprint: member.cert.fingerprint,
      revokedAt: '2026-03-01T11:59:00Z',
      reason: 'keyCompromise',
    })),
  };
}

describe("the login server's signed revocation list", () => {
  it('verifies with the CA key after a trip through the p2p+xml codec', () => {
    const signed = signRevocationList(listOf(1, [alice, bob]), network.ca.keyPem);
    const body = buildP2pXml({ overlays: [{ ...TRUST_LOGIN_SERVER, messages: [signed] }] });
    const [received] = parseP2pXml(body).overlays[0].messages;
    if (received.kind !== 'RevocationList')
      throw new Error(`expected a RevocationList, got ${received.kind}`);

    expect(verifyRevocationList(received, createPublicKey(network.ca.certPem))).toBe(true);
  });

  it('does not verify once anything in it changed, or with another CA key', async () => {
    const caKey = createPublicKey(network.ca.certPem);
    const signed = signRevocationList(listOf(1, [alice]), network.ca.keyPem);

    expect(verifyRevocationList({ ...signed, version: 2 }, caKey)).toBe(false);
    expect(verifyRevocationList({ ...signed, revoked: [] }, caKey)).toBe(false);
    expect(verifyRevocationList({ ...signed, nextUpdate: '2027-03-02T12:00:00Z' }, caKey)).toBe(false);
    expect(
      verifyRevocationList({ ...signed, revoked: [{ ...signed.revoked[0], reason: 'superseded' }] }, caKey),
    ).toBe(false);
    expect(verifyRevocationList({ ...signed, signature: 'not base64!' }, caKey)).toBe(false);
    expect(verifyRevocationList({ ...signed, issued: 'yesterday' }, caKey)).toBe(false);
    const other = await createNetwork('example.com');
    expect(verifyRevocationList(signed, createPublicKey(other.ca.certPem))).toBe(false);
  });
});

describe("a peer's revocation set", () => {
  it('applies newer genuine lists, each replacing the last, and ignores older ones', () => {
    const clock = new FakeClock(Date.parse('2026-03-01T12:30:00Z'));
    const set = new RevocationSet({ caCertPem: network.ca.certPem, clock });
    const publish = (version: number, revoked: Member[]) =>
      set.apply(signRevocationList(listOf(version, revoked), network.ca.keyPem));
    expect(set.version).toBe(0);
    expect(set.isStale()).toBe(true);

    expect(publish(1, [alice])).toEqual({ applied: true, version: 1 });
    expect(set.revocationOf(alice.cert.serial, 'f'.repeat(64))?.reason).toBe('keyCompromise');
    expect(set.revocationOf(`00${alice.cert.serial.toUpperCase()}`, 'f'.repeat(64))).toBeDefined();
    expect(set.revocationOf('ff', alice.cert.fingerprint)).toBeDefined();
    expect(set.revocationOf(bob.cert.serial, bob.cert.fingerprint)).toBeUndefined();
    expect(set.isStale()).toBe(false);

    expect(publish(2, [bob])).toEqual({ applied: true, version: 2 });
    expect(set.revocationOf(alice.cert.serial, alice.cert.fingerprint)).toBeUndefined();
    expect(set.revocationOf(bob.cert.serial, bob.cert.fingerprint)).toBeDefined();

    expect(publish(1, [alice])).toMatchObject({ applied: false, problem: 'not-newer' });
    expect(publish(2, [])).toMatchObject({ applied: false, problem: 'not-newer' });
    expect(set.version).toBe(2);
    expect(set.size).toBe(1);

    clock.advanceSeconds(86_400);
    expect(set.isStale()).toBe(true);
  });

  it("ignores a list from another login server, and one signed with another CA's key", async () => {
    const set = new RevocationSet({ caCertPem: network.ca.certPem, clock: new FakeClock() });
    const other = await createNetwork('example.org');
    const rogue = await createNetwork('example.com');

    const theirs = signRevocationList(listOf(5, [alice], 'CN=Chordline CA example.org'), other.ca.keyPem);
    expect(set.apply(theirs)).toMatchObject({ applied: false, problem: 'other-issuer' });
    expect(set.apply(signRevocationList(listOf(5, [alice]), rogue.ca.keyPem))).toEqual({
      applied: false,
      problem: 'forged',
      reason: 'Revocation list signature does not match',
    });
    expect(set.version).toBe(0);
  });

  it('makes the validator refuse a revoked certificate at once, even one it had cached', () => {
    const clock = new FakeClock();
    const revocations = new RevocationSet({ caCertPem: network.ca.certPem, clock });
    const validator = new CertificateValidator({ caCertPem: network.ca.certPem, revocations, clock });
    expect(validator.validate(bob.cert.certPem).ok).toBe(true);

    revocations.apply(signRevocationList(listOf(1, [bob]), network.ca.keyPem));
    expect(validator.validateRef(bob.cert.fingerprint)).toMatchObject({
      ok: false,
      code: 403,
      problem: 'revoked',
      reason: 'Certificate revoked on 2026-03-01T11:59:00Z (key compromised)',
    });
    expect(validator.validate(alice.cert.certPem).ok).toBe(true);
  });
});
