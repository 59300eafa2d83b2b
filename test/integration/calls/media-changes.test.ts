import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaChangeError } from '../../../src-main/app/calls/index.ts';
import type { Call } from '../../../src-main/app/calls/index.ts';
import { aorKey } from '../../../src-main/overlay/overlay.ts';
import { startPeers } from '../../helpers/peers.ts';
import { joinRingMembers } from '../../helpers/ring-members.ts';
import type { Member } from '../../helpers/ring-members.ts';

/**
 * A session description shaped like a browser's (ICE credentials, a DTLS fingerprint, Opus),
 * with the direction a person's choice gives it. No media flows in these stories: they are
 * about who may change a call, and that nobody on the way can change what was signed.
 */
function browserSdp(who: string, direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive', version = 1) {
  const fingerprint = Array.from({ length: 32 }, (_, i) =>
    ((who.charCodeAt(i % who.length) * (i + 7)) % 256).toString(16).padStart(2, '0').toUpperCase(),
  ).join(':');
  return [
    'v=0',
    `o=- 4611731400430051336 ${version} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 126',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${who.slice(0, 4)}`,
    `a=ice-pwd:${who.padEnd(22, 'x')}`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    'a=setup:actpass',
    'a=mid:0',
    `a=${direction}`,
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:126 telephone-event/8000',
    '',
  ].join('\r\n');
}

/** What a device answers to an offer: the mirror of its direction (RFC 3264 section 6.1). */
const MIRROR = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
} as const;
function answerTo(who: string, offer: string): string {
  const direction = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(offer)?.[1] as keyof typeof MIRROR;
  return browserSdp(who, MIRROR[direction ?? 'sendrecv'], 2);
}

/**
 * Issue 5: a call's media changes after the answer (hold, resume) through re-INVITEs that are
 * signed like the first INVITE and go straight to the other device; and the answer's SDP (its
 * DTLS fingerprint) cannot be swapped by a peer that carries the call.
 */
describe('changing a call: hold, resume, and answers nobody can swap', () => {
  let net: Awaited<ReturnType<typeof startPeers>>;
  let members: Member[];
  const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus'];

  beforeAll(async () => {
    net = await startPeers(names);
    members = await joinRingMembers(net, names);
  }, 60_000);
  afterAll(() => net?.stop());

  const member = (name: string) => members.find((m) => m.name === name)!;

  /** Alice calls Bob, Bob answers with his browser's SDP; both calls, once active. */
  async function answeredCall(alice: Member, bob: Member): Promise<{ call: Call; incoming: Call }> {
    let incoming: Call | undefined;
    bob.node.calls.onIncoming = (call) => {
      incoming = call;
      call.answer(answerTo(bob.name, call.remoteSdp ?? ''));
    };
    const call = alice.node.dial(bob.node.identity.aor, { sdp: browserSdp(alice.name, 'sendrecv') });
    expect(await call.answered).toBe(true);
    await expect.poll(() => incoming?.state).toBe('active');
    return { call, incoming: incoming! };
  }

  it('Bob puts Alice on hold and resumes: each side sees who holds, and the new SDPs are the signed ones', async () => {
    const [alice, bob] = [member('ann'), member('eve')];
    const { call, incoming } = await answeredCall(alice, bob);
    const offersAliceSaw: string[] = [];
    call.onOffer = async (offer) => {
      offersAliceSaw.push(offer);
      return answerTo(alice.name, offer);
    };

    const held = await incoming.updateMedia(browserSdp(bob.name, 'sendonly', 3));
    expect(held).toContain('a=recvonly');
    expect(offersAliceSaw.at(-1)).toBe(browserSdp(bob.name, 'sendonly', 3));
    expect([incoming.heldByUs, incoming.heldByThem]).toEqual([true, false]);
    expect([call.heldByUs, call.heldByThem]).toEqual([false, true]);
    expect(call.remoteSdp).toBe(browserSdp(bob.name, 'sendonly', 3));

    await incoming.updateMedia(browserSdp(bob.name, 'sendrecv', 4));
    expect([incoming.heldByUs, call.heldByThem]).toEqual([false, false]);

    // Alice holds too, from her side: her re-INVITE goes to Bob's device the same way.
    bob.node.calls.onIncoming = () => undefined;
    incoming.onOffer = async (offer) => answerTo(bob.name, offer);
    await call.updateMedia(browserSdp(alice.name, 'sendonly', 2));
    expect([call.heldByUs, incoming.heldByThem]).toEqual([true, true]);

    expect([call.state, incoming.state]).toEqual(['active', 'active']);
    call.hangup();
    expect(await incoming.ended).toMatchObject({ status: 200, by: 'remote' });
  });

  it('a device that takes no new offers answers 488, and the call goes on as it was', async () => {
    const [alice, bob] = [member('ben'), member('fay')];
    const { call, incoming } = await answeredCall(alice, bob);
    call.onOffer = undefined;
    const refused = await incoming.updateMedia(browserSdp(bob.name, 'sendonly', 3)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MediaChangeError);
    expect(refused).toMatchObject({ status: 488 });
    expect([call.state, incoming.state, incoming.heldByUs, call.heldByThem]).toEqual([
      'active',
      'active',
      false,
      false,
    ]);
    incoming.hangup();
    expect(await call.ended).toMatchObject({ status: 200, by: 'remote' });
  });

  it('both sides change the call at the same moment: 491 to each, then both changes go through', async () => {
    const [alice, bob] = [member('cat'), member('gus')];
    const { call, incoming } = await answeredCall(alice, bob);
    call.onOffer = async (offer) => answerTo(alice.name, offer);
    incoming.onOffer = async (offer) => answerTo(bob.name, offer);
    const pending: string[] = [];
    for (const m of [alice, bob]) {
      const send = m.node.stack.sendRaw.bind(m.node.stack);
      m.node.stack.sendRaw = (text, to) => {
        if (text.startsWith('SIP/2.0 491')) pending.push(m.name);
        return send(text, to);
      };
    }

    const [hers, his] = await Promise.all([
      call.updateMedia(browserSdp(alice.name, 'sendonly', 2)),
      incoming.updateMedia(browserSdp(bob.name, 'sendonly', 3)),
    ]);
    expect(hers).toContain(`a=ice-ufrag:${bob.name.slice(0, 4)}`);
    expect(his).toContain(`a=ice-ufrag:${alice.name.slice(0, 4)}`);
    expect([call.heldByUs, incoming.heldByUs]).toEqual([true, true]);
    // Each side answered the other's crossing re-INVITE with 491 Request Pending first.
    expect(pending.sort()).toEqual([alice.name, bob.name].sort());
    call.hangup();
    expect(await incoming.ended).toMatchObject({ status: 200 });
  }, 20_000);

  it('an answer whose DTLS fingerprint a peer on the way altered is refused: the caller ends the call', async () => {
    // The pair whose calls cross a peer in between, and that peer turned bad.
    const pathOf = (from: Member, to: Member): Member[] => {
      const key = aorKey(to.node.identity.aor);
      const path: Member[] = [];
      let at = from;
      for (let i = 0; i < 10; i++) {
        const hop = at.overlay.nextHop(key);
        if (hop.kind === 'here' || hop.kind === 'none') break;
        at = members.find((m) => m.overlay.self.id === hop.node.id)!;
        path.push(at);
      }
      return path.filter((m) => m !== to);
    };
    const pairs = members.flatMap((a) => members.filter((b) => b !== a).map((b) => [a, b] as const));
    const [alice, bob] = pairs.find(([a, b]) => pathOf(a, b).length >= 1)!;
    const mallory = pathOf(alice, bob)[0];
    const honest = mallory.node.stack.sendRaw.bind(mallory.node.stack);
    let altered = 0;
    mallory.node.stack.sendRaw = (text, destination) => {
      if (text.startsWith('SIP/2.0 200') && text.includes('a=fingerprint:sha-256 ')) {
        altered++;
        text = text.replace(
          /a=fingerprint:sha-256 ([0-9A-F]{2})/,
          (_, first: string) => `a=fingerprint:sha-256 ${first === 'AA' ? 'BB' : 'AA'}`,
        );
      }
      return honest(text, destination);
    };
    try {
      let incoming: Call | undefined;
      bob.node.calls.onIncoming = (c) => {
        incoming = c;
        c.answer(answerTo(bob.name, c.remoteSdp ?? ''));
      };
      const call = alice.node.dial(bob.node.identity.aor, { sdp: browserSdp(alice.name, 'sendrecv') });
      const end = await call.ended;
      expect(altered).toBeGreaterThanOrEqual(1);
      expect(end.status).toBe(403);
      expect(end.reason).toMatch(/not signed by .*Signature does not match/);
      expect(call.answeredAt).toBeUndefined();
      // Bob's side is ended too: the caller ACKs the 2xx it refused and sends BYE at once.
      expect(await incoming!.ended).toMatchObject({ by: 'remote' });
    } finally {
      mallory.node.stack.sendRaw = honest;
    }
  });
});
