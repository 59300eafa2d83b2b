import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  CertificateValidator,
  MessageSigner,
  MessageVerifier,
  ReplayGuard,
  RevocationSet,
  formatRfc1123Date,
  signRevocationList,
  type Verification,
  type VerifyInput,
} from '../../../../src-main/trust/signing/index.ts';
import {
  FakeClock,
  createNetwork,
  enrol,
  flipCharAt,
  signAndSend,
  signedRegister,
  type Member,
  type Network,
} from './fixtures.ts';

let network: Network;
let alice: Member;
let bob: Member;

beforeAll(async () => {
  network = await createNetwork('example.com');
  [alice, bob] = await Promise.all([enrol(network, 'alice'), enrol(network, 'bob')]);
});

/** Bob's node: what it needs to check the messages that reach it. */
function bobsNode(clock: FakeClock) {
  const revocations = new RevocationSet({ caCertPem: network.ca.certPem, clock });
  const validator = new CertificateValidator({ caCertPem: network.ca.certPem, revocations, clock });
  const verifier = new MessageVerifier({ validator, replayGuard: new ReplayGuard({ clock }) });
  return { revocations, validator, verifier };
}

function refused(result: Verification): { code: number; reason: string } {
  if (result.ok) throw new Error('expected a refusal, the message verified');
  return { code: result.code, reason: result.reason };
}

describe('Bob checks the signed messages that reach his node', () => {
  let clock: FakeClock;
  let node: ReturnType<typeof bobsNode>;
  let aliceSigner: MessageSigner;

  beforeEach(() => {
    clock = new FakeClock();
    node = bobsNode(clock);
    aliceSigner = new MessageSigner({ identity: alice.identity, clock });
  });

  /** Alice's next genuine REGISTER still gets through: a refusal never wedges the verifier. */
  function expectAliceStillGetsThrough(): void {
    expect(node.verifier.verify(signedRegister(alice, aliceSigner, clock))).toMatchObject({ ok: true });
  }

  it("accepts Alice's signed REGISTER and names her AOR, NodeID and certificate", () => {
    const first = signedRegister(alice, aliceSigner, clock);
    expect(first.credential?.kind).toBe('certificate');

    expect(node.verifier.verify(first)).toEqual({
      ok: true,
      aor: 'sip:alice@example.com',
      nodeId: alice.cert.nodeId,
      fingerprint: alice.cert.fingerprint,
    });

    const second = signedRegister(alice, aliceSigner, clock);
    expect(second.credential).toEqual({ kind: 'certificate-ref', fingerprint: alice.cert.fingerprint });
    expect(node.verifier.verify(second)).toMatchObject({ ok: true, nodeId: alice.cert.nodeId });
  });

  it('accepts the certificate as PEM too', () => {
    const { credential: _, ...rest } = signedRegister(alice, aliceSigner, clock);
    expect(node.verifier.verify({ ...rest, certificatePem: alice.cert.certPem })).toMatchObject({ ok: true });
  });

  it('refuses a body with one byte changed: "Signature does not match" (401)', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    const at = message.parts.body.indexOf('<NodeID>') + '<NodeID>'.length;
    const forged = { ...message, parts: { ...message.parts, body: flipCharAt(message.parts.body, at) } };

    expect(refused(node.verifier.verify(forged))).toEqual({ code: 401, reason: 'Signature does not match' });
    expectAliceStillGetsThrough();
  });

  it('refuses a message whose From was changed after signing (401, not a From mismatch)', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    const forged = { ...message, parts: { ...message.parts, fromUri: 'sip:alicf@example.com' } };

    expect(refused(node.verifier.verify(forged))).toEqual({ code: 401, reason: 'Signature does not match' });
    expectAliceStillGetsThrough();
  });

  it('refuses a message whose CSeq was changed after signing', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    const forged = { ...message, parts: { ...message.parts, cseq: message.parts.cseq + 1 } };

    expect(refused(node.verifier.verify(forged))).toEqual({ code: 401, reason: 'Signature does not match' });
    expectAliceStillGetsThrough();
  });

  it('refuses a signature with one bit flipped, and one that is not base64', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    const bytes = Buffer.from(message.signatureB64, 'base64');
    bytes[100] ^= 0x01;

    const flipped = { ...message, signatureB64: bytes.toString('base64') };
    expect(refused(node.verifier.verify(flipped))).toEqual({ code: 401, reason: 'Signature does not match' });
    const junk = { ...message, signatureB64: 'not*base64!' };
    expect(refused(node.verifier.verify(junk)).code).toBe(401);
    expect(node.verifier.verify(message)).toMatchObject({ ok: true });
  });

  it('refuses Mallory, whose certificate another login server issued for the same domain (403)', async () => {
    const rogueNetwork = await createNetwork('example.com');
    const mallory = await enrol(rogueNetwork, 'alice');
    const mallorySigner = new MessageSigner({ identity: mallory.identity, clock });

    expect(refused(node.verifier.verify(signedRegister(mallory, mallorySigner, clock)))).toEqual({
      code: 403,
      reason: "Not signed by this network's login server",
    });
    expectAliceStillGetsThrough();
  });

  it('refuses a certificate that expired an hour ago, saying when', async () => {
    const lapsed = await enrol(network, 'carol', {
      notBefore: new Date(clock.now() - 2 * 3600_000),
      validitySeconds: 3600,
    });
    const carolSigner = new MessageSigner({ identity: lapsed.identity, clock });

    const result = refused(node.verifier.verify(signedRegister(lapsed, carolSigner, clock)));
    expect(result.code).toBe(403);
    expect(result.reason).toBe(
      `Certificate expired on ${lapsed.cert.notAfter.toISOString().replace('.000Z', 'Z')}`,
    );
    expectAliceStillGetsThrough();
  });

  it("stops accepting Alice's cached certificate once it runs out, though she only sends its reference", () => {
    aliceSigner = new MessageSigner({ identity: alice.identity, clock }, { rememberSeconds: 2 * 86_400 });
    expect(node.verifier.verify(signedRegister(alice, aliceSigner, clock))).toMatchObject({ ok: true });
    clock.advanceSeconds(86_400 + 3600); // her certificate lived a day

    const byRef = signedRegister(alice, aliceSigner, clock);
    expect(byRef.credential?.kind).toBe('certificate-ref');
    expect(refused(node.verifier.verify(byRef)).reason).toMatch(/^Certificate expired on 20\d\d-/);
  });

  it('refuses a revoked certificate after a newer signed list arrives; an older or forged list changes nothing', async () => {
    expect(node.verifier.verify(signedRegister(alice, aliceSigner, clock))).toMatchObject({ ok: true });
    const publish = (version: number, revoked: Member[], caKeyPem = network.ca.keyPem) =>
      signRevocationList(
        {
          issuer: `CN=Chordline CA ${network.domain}`,
          version,
          issued: new Date(clock.now()).toISOString(),
          nextUpdate: new Date(clock.now() + 3600_000).toISOString(),
          revoked: revoked.map((member) => ({
            serial: member.cert.serial,
            fingerprint: member.cert.fingerprint,
            revokedAt: '2026-01-01T00:00:00Z',
            reason: 'keyCompromise' as const,
          })),
        },
        caKeyPem,
      );
    expect(node.revocations.apply(publish(2, [alice]))).toEqual({ applied: true, version: 2 });

    const afterRevocation = refused(node.verifier.verify(signedRegister(alice, aliceSigner, clock)));
    expect(afterRevocation.code).toBe(403);
    expect(afterRevocation.reason).toBe('Certificate revoked on 2026-01-01T00:00:00Z (key compromised)');

    expect(node.revocations.apply(publish(1, []))).toMatchObject({ applied: false, problem: 'not-newer' });
    const rogue = await createNetwork('example.com');
    expect(node.revocations.apply(publish(3, [], rogue.ca.keyPem))).toMatchObject({
      applied: false,
      problem: 'forged',
    });
    const tampered = { ...publish(4, [alice]), revoked: [] };
    expect(node.revocations.apply(tampered)).toMatchObject({ applied: false, problem: 'forged' });

    expect(refused(node.verifier.verify(signedRegister(alice, aliceSigner, clock))).reason).toMatch(
      /^Certificate revoked/,
    );
    const bobSigner = new MessageSigner({ identity: bob.identity, clock });
    expect(node.verifier.verify(signedRegister(bob, bobSigner, clock))).toMatchObject({
      ok: true,
      aor: bob.aor,
    });
  });

  it("refuses Alice claiming Bob's NodeID in her Join", () => {
    const message = signedRegister(alice, aliceSigner, clock);

    expect(refused(node.verifier.verify({ ...message, claimed: { nodeId: bob.cert.nodeId } }))).toEqual({
      code: 403,
      reason: 'NodeID does not match the certificate',
    });
    const honest = signedRegister(alice, aliceSigner, clock);
    expect(
      node.verifier.verify({ ...honest, claimed: { nodeId: alice.cert.nodeId, aor: alice.aor } }),
    ).toMatchObject({ ok: true });
  });

  it('refuses Alice signing a REGISTER with From: Bob, though her signature is genuine', () => {
    const message = signedRegister(alice, aliceSigner, clock, { overrides: { fromUri: bob.aor } });

    expect(refused(node.verifier.verify(message))).toEqual({
      code: 403,
      reason: 'From does not match the certificate (it is sip:alice@example.com)',
    });
    expectAliceStillGetsThrough();
  });

  it('accepts a From with display-free angle brackets, parameters and an upper-case domain', () => {
    const message = signedRegister(alice, aliceSigner, clock, {
      overrides: { fromUri: '<sip:alice@EXAMPLE.com;transport=udp>' },
    });
    expect(node.verifier.verify(message)).toMatchObject({ ok: true });
  });

  it('refuses the same signed message a second time: "Message replayed"', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    expect(node.verifier.verify(message)).toMatchObject({ ok: true });
    clock.advanceSeconds(5);

    expect(refused(node.verifier.verify(message))).toEqual({ code: 403, reason: 'Message replayed' });
    // Padding or whitespace in the base64 does not make it a new signature.
    const respelled = { ...message, signatureB64: message.signatureB64.replace(/(.{64})/g, '$1\n') };
    expect(refused(node.verifier.verify(respelled)).reason).toBe('Message replayed');
    expectAliceStillGetsThrough();
  });

  it('does not let a forged copy seen first get the genuine message refused as a replay', () => {
    const genuine = signedRegister(alice, aliceSigner, clock);
    const forgedCopy = { ...genuine, parts: { ...genuine.parts, cseq: 999 } };

    expect(refused(node.verifier.verify(forgedCopy)).code).toBe(401);
    expect(node.verifier.verify(genuine)).toMatchObject({ ok: true });
  });

  it('refuses a Date more than five minutes from its own clock, either way, and an unreadable Date', () => {
    const dated = (offsetSeconds: number): VerifyInput =>
      signedRegister(alice, aliceSigner, clock, {
        overrides: { date: formatRfc1123Date(clock.now() + offsetSeconds * 1000) },
      });
    const stale = { code: 403, reason: 'Date too far from now (clock wrong?)' };

    expect(refused(node.verifier.verify(dated(-301)))).toEqual(stale);
    expect(refused(node.verifier.verify(dated(301)))).toEqual(stale);
    expect(node.verifier.verify(dated(-299))).toMatchObject({ ok: true });
    expect(node.verifier.verify(dated(299))).toMatchObject({ ok: true });

    const unreadable = signedRegister(alice, aliceSigner, clock, {
      overrides: { date: new Date(clock.now()).toISOString() },
    });
    expect(refused(node.verifier.verify(unreadable)).reason).toMatch(
      /^Date header is not an RFC 1123 GMT date/,
    );
  });

  it('a message captured and replayed after the window is refused for its Date', () => {
    const message = signedRegister(alice, aliceSigner, clock);
    expect(node.verifier.verify(message)).toMatchObject({ ok: true });
    clock.advanceSeconds(3600);
    expect(refused(node.verifier.verify(message)).reason).toBe('Date too far from now (clock wrong?)');
  });

  it('answers an unknown CertificateRef with 428, then accepts once Alice sends her certificate again', () => {
    // Alice believes Bob already holds her certificate (say, from before his node restarted).
    aliceSigner.credentialsFor('bob');
    const byRef = signedRegister(alice, aliceSigner, clock);
    expect(byRef.credential?.kind).toBe('certificate-ref');

    expect(refused(node.verifier.verify(byRef))).toEqual({
      code: 428,
      reason: 'Certificate unknown here, send it again',
    });

    aliceSigner.peerLostCertificate('bob');
    const withCertificate = signedRegister(alice, aliceSigner, clock);
    expect(withCertificate.credential?.kind).toBe('certificate');
    expect(node.verifier.verify(withCertificate)).toMatchObject({ ok: true });

    const byRefAgain = signedRegister(alice, aliceSigner, clock);
    expect(byRefAgain.credential).toEqual({ kind: 'certificate-ref', fingerprint: alice.cert.fingerprint });
    expect(node.verifier.verify(byRefAgain)).toMatchObject({ ok: true, aor: alice.aor });
  });

  it('asks for a certificate (428) when a message carries neither certificate nor reference', () => {
    const { credential: _, ...bare } = signedRegister(alice, aliceSigner, clock);
    expect(refused(node.verifier.verify(bare)).code).toBe(428);
  });

  it("verifies Bob's signed 200 OK to Alice's REGISTER (a response speaks for its sender, not its From)", () => {
    const bobSigner = new MessageSigner({ identity: bob.identity, clock });
    const request = signedRegister(alice, aliceSigner, clock);
    const { parts, signatureB64 } = signAndSend(bobSigner, {
      ...request.parts,
      kind: 'response',
      status: 200,
      method: 'REGISTER',
      toTag: 'bob-tag',
      body: `<P2Pxml xmlns="urn:chordline:p2p:1" version="1"><Signature/></P2Pxml>`,
    });

    const aliceNode = bobsNode(clock);
    expect(
      aliceNode.verifier.verify({
        parts,
        signatureB64,
        certificate: bobSigner.certificateBase64,
        claimed: { nodeId: bob.cert.nodeId },
      }),
    ).toEqual({ ok: true, aor: bob.aor, nodeId: bob.cert.nodeId, fingerprint: bob.cert.fingerprint });
  });

  it('verifies an INVITE whose multipart body carries SDP beside the p2p+xml part', () => {
    const body = [
      '--boundary42',
      'Content-Type: application/sdp',
      '',
      'v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0',
      '--boundary42',
      'Content-Type: application/p2p+xml',
      '',
      `<P2Pxml xmlns="urn:chordline:p2p:1" version="1"><CertificateRef>${alice.cert.fingerprint}</CertificateRef><Signature/></P2Pxml>`,
      '--boundary42--',
      '',
    ].join('\r\n');
    expect(node.verifier.verify(signedRegister(alice, aliceSigner, clock))).toMatchObject({ ok: true });
    const { parts, signatureB64 } = signAndSend(aliceSigner, {
      ...signedRegister(alice, aliceSigner, clock).parts,
      kind: 'request',
      method: 'INVITE',
      requestUri: bob.aor,
      toUri: bob.aor,
      cseqMethod: 'INVITE',
      body,
    });
    const invite = { parts, signatureB64, certificateRef: alice.cert.fingerprint };
    expect(node.verifier.verify(invite)).toMatchObject({ ok: true, aor: alice.aor });

    const changedSdp = { ...invite, parts: { ...parts, body: parts.body.replace('40000', '40002') } };
    expect(refused(node.verifier.verify(changedSdp)).reason).toBe('Signature does not match');
  });
});
