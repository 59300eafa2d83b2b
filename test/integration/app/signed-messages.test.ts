import { afterEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src-main/sip/index.ts';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import { PeerNode } from '../../../src-main/app/peer-node.ts';
import { issueCertificate } from '../../../src-main/keystore/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';

type Peers = Awaited<ReturnType<typeof startPeers>>;

/** Stories of the trust layer between real peers (paper, section 4.1): every message is signed. */
describe('signed messages between peers', () => {
  let net: Peers;
  afterEach(() => net?.stop());

  async function stillServes(port: number): Promise<void> {
    const probe = await UdpProbe.open();
    try {
      await probe.send(
        `OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKalive${Date.now()}\r\nFrom: <sip:p@x>;tag=1\r\nTo: <sip:x@x>\r\nCall-ID: alive${Date.now()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
        port,
      );
      expect((await probe.next()).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    } finally {
      probe.close();
    }
  }

  it('Alice and Bob exchange signed REGISTERs: the certificate travels once, then only its fingerprint', async () => {
    net = await startPeers(['alice', 'bob']);
    const sent: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => e.direction === 'out' && sent.push(e));
    const bob = await net.peer('bob');
    sent.length = 0;

    const first = await alice.hello(bob.uri);
    expect(first.ok && first.sender.aor).toBe('sip:bob@example.com');
    const second = await alice.hello(bob.uri);
    expect(second.ok && second.sender.nodeId).toBe(bob.identity.nodeId);

    const registers = sent.filter((e) => e.text.startsWith('REGISTER'));
    expect(registers).toHaveLength(2);
    expect(registers[0].text).toContain('<Certificate>');
    expect(registers[1].text).toContain('<CertificateRef>');
    // RFC 3261 18.1.1: stay under 1300 bytes on UDP once the certificate is known.
    expect(Buffer.byteLength(registers[1].text, 'latin1')).toBeLessThan(1300);
    expect(bob.knownPeers.get(alice.identity.nodeId)?.aor).toBe('sip:alice@example.com');
  });

  it('a peer that restarted introduces itself with its whole certificate, and gets the other’s whole certificate back', async () => {
    net = await startPeers(['alice', 'bob']);
    const alice = await net.peer('alice');
    const bob = await net.peer('bob');
    expect((await alice.hello(bob.uri)).ok).toBe(true);
    expect((await alice.hello(bob.uri)).ok).toBe(true); // by now each sends only its fingerprint

    // Alice's computer restarts: same key, same address, but no memory of anyone's certificate.
    const { dataDir } = alice;
    const { port } = alice.stack.endpoint;
    alice.stop();
    const again = await PeerNode.open({ dataDir, passphrase: 'p', port });
    try {
      expect(await again.resume()).toBe(true);
      const answer = await again.hello(bob.uri);
      // Bob's answer carries his certificate again: a fingerprint alone she could not check.
      expect(answer.ok && answer.sender.aor).toBe('sip:bob@example.com');
    } finally {
      again.stop();
    }
  });

  it('a REGISTER whose Date was changed after signing is refused with 403, and Bob keeps serving', async () => {
    net = await startPeers(['alice', 'bob']);
    const alice = await net.peer('alice');
    const bob = await net.peer('bob');
    // Mallory sits on the path and moves the signed Date header back by a second.
    const send = alice.stack.sendRequest.bind(alice.stack);
    alice.stack.sendRequest = (outgoing, destination, callbacks) => {
      const date = new Date(Date.parse(outgoing.raw.first('date')!) - 1000).toUTCString();
      outgoing.raw.set('Date', date);
      return send(outgoing, destination, callbacks);
    };
    const refused = await alice.hello(bob.uri);
    expect(refused).toMatchObject({ ok: false, reason: '403 Signature does not match' });
    expect(bob.stats.refused).toBe(1);
    await stillServes(bob.stack.endpoint.port);
  });

  it('a signature that does not match is refused with 403 "Signature does not match"', async () => {
    net = await startPeers(['alice', 'bob']);
    const sent: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => e.direction === 'out' && sent.push(e));
    const bob = await net.peer('bob');
    await alice.hello(bob.uri);
    const register = sent.filter((e) => e.text.startsWith('REGISTER')).at(-1)!.text;
    const forged = register
      .replace(/branch=[^;\r\n]+/, 'branch=z9hG4bKforged1')
      .replace(/CSeq: 1 REGISTER/, 'CSeq: 2 REGISTER');
    const probe = await UdpProbe.open();
    try {
      await probe.send(
        forged.replace(/Via: SIP\/2.0\/UDP [^;]+/, `Via: SIP/2.0/UDP 127.0.0.1:${probe.port}`),
        bob.stack.endpoint.port,
      );
      expect((await probe.next()).split('\r\n')[0]).toBe('SIP/2.0 403 Signature does not match');
    } finally {
      probe.close();
    }
  });

  it('a replayed REGISTER (same signature, new transaction) is refused', async () => {
    net = await startPeers(['alice', 'bob']);
    const sent: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => e.direction === 'out' && sent.push(e));
    const bob = await net.peer('bob');
    await alice.hello(bob.uri);
    const register = sent.filter((e) => e.text.startsWith('REGISTER')).at(-1)!.text;
    const probe = await UdpProbe.open();
    try {
      const replay = register.replace(
        /Via: SIP\/2.0\/UDP [^;]+;branch=[^;\r\n]+/,
        `Via: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKreplay9`,
      );
      await probe.send(replay, bob.stack.endpoint.port);
      const answer = (await probe.next()).split('\r\n')[0];
      expect(answer).toMatch(/^SIP\/2\.0 403 .*replay/i);
    } finally {
      probe.close();
    }
    await stillServes(bob.stack.endpoint.port);
  });

  it('a peer whose certificate expired cannot talk to Bob: 403 with the expiry date', async () => {
    net = await startPeers(['bob']);
    const bob = await net.peer('bob');
    const mallory = await net.impostor(net.expiredCertificate('sip:mallory@example.com'));
    const { response } = await mallory.trust.send(
      mallory.stack,
      {
        method: 'REGISTER',
        uri: bob.uri,
        from: 'sip:mallory@example.com',
        to: 'sip:mallory@example.com',
        destination: bob.stack.endpoint,
      },
      [],
    );
    expect(response.status).toBe(403);
    expect(response.reason).toMatch(/expired/i);
    await stillServes(bob.stack.endpoint.port);
  });

  it('after the operator revokes Carol, peers that fetched the new list refuse her', async () => {
    net = await startPeers(['bob', 'carol']);
    const bob = await net.peer('bob');
    const carol = await net.peer('carol');
    expect((await carol.hello(bob.uri)).ok).toBe(true);
    // Nothing revoked yet: the refresh brings nothing (and no body).
    expect(await bob.refreshRevocations(net.ls.uri)).toBe(false);

    net.ls.store.revoke(carol.identity.serial, 'keyCompromise');
    expect(await bob.refreshRevocations(net.ls.uri)).toBe(true);
    const refused = await carol.hello(bob.uri);
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.reason).toMatch(/revoked/i);
    expect(bob.status().revocationListVersion).toBe(1);
  });

  it('a certificate from another network (another CA) is refused', async () => {
    net = await startPeers(['bob']);
    const bob = await net.peer('bob');
    const other = await startPeers(['eve']);
    try {
      const eve = await other.peer('eve');
      const refused = await eve.hello(bob.uri);
      expect(refused.ok).toBe(false);
      expect(bob.stats.refused).toBe(1);
    } finally {
      other.stop();
    }
  });

  it('an INVITE without a signature is refused with 428, so an unsigned caller learns why', async () => {
    net = await startPeers(['bob']);
    const bob = await net.peer('bob');
    const probe = await UdpProbe.open();
    try {
      await probe.send(
        `INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKinv1\r\nFrom: <sip:anon@example.com>;tag=9\r\nTo: <sip:bob@example.com>\r\nCall-ID: unsigned1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
        bob.stack.endpoint.port,
      );
      const final = await probe.next((t) => !t.startsWith('SIP/2.0 100'));
      expect(final.split('\r\n')[0]).toMatch(/^SIP\/2\.0 428 Certificate Required/);
    } finally {
      probe.close();
    }
  });

  /** An INVITE as a caller signs it: SDP and signature side by side in a multipart/mixed body. */
  function signedInvite(
    caller: Awaited<ReturnType<Peers['impostor']>>,
    aor: string,
    to: { address: string; port: number },
  ) {
    return caller.trust.signRequest(
      caller.stack,
      {
        method: 'INVITE',
        uri: 'sip:bob@example.com',
        from: aor,
        to: 'sip:bob@example.com',
        contact: caller.stack.uri,
        destination: to,
      },
      [],
      { sdp: placeholderSdp('127.0.0.1', 1), fullCertificate: true },
    );
  }

  it('a caller whose certificate expired cannot place a call: 403 with the expiry date', async () => {
    net = await startPeers(['bob']);
    const bob = await net.peer('bob');
    const mallory = await net.impostor(net.expiredCertificate('sip:mallory@example.com'));
    const invite = signedInvite(mallory, 'sip:mallory@example.com', bob.stack.endpoint);
    expect(invite.raw.first('content-type')).toMatch(/^multipart\/mixed;boundary=/);
    const response = await mallory.stack.sendRequest(invite, bob.stack.endpoint);
    expect(response.status).toBe(403);
    expect(response.reason).toMatch(/expired/i);
    expect(bob.calls.list()).toEqual([]);
    await stillServes(bob.stack.endpoint.port);
  });

  it('the signature covers the SDP: an INVITE whose session description was changed on the way is refused', async () => {
    net = await startPeers(['bob']);
    const bob = await net.peer('bob');
    const valid = (publicKeyPem: string) =>
      issueCertificate({ ca: net.ca, aor: 'sip:trudy@example.com', publicKeyPem, validitySeconds: 3600 })
        .certPem;
    const trudy = await net.impostor(valid);
    const invite = signedInvite(trudy, 'sip:trudy@example.com', bob.stack.endpoint);
    // Someone on the path redirects the media: same length, different port.
    invite.raw.body = invite.raw.body.replace('m=audio 9 ', 'm=audio 8 ');
    const response = await trudy.stack.sendRequest(invite, bob.stack.endpoint);
    expect(`${response.status} ${response.reason}`).toBe('403 Signature does not match');
  });
});
