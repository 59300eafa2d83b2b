import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../../src-main/app/calls/index.ts';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { attachSipPhone } from '../../../src-main/app/sip-phones/index.ts';
import type { BridgeEvent, SipPhoneHandle } from '../../../src-main/app/sip-phones/index.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { SipStack } from '../../../src-main/sip/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { startBaresip } from './baresip.ts';
import { g711WebRtcPeer, linearToUlaw, toneFrequency, ulawToLinear } from './g711-webrtc-peer.ts';

/** Deadlines for conditions, never measurements. */
const DEADLINE = { timeout: 20_000, interval: 25 };
const PASSWORD = 'desk-phone-secret';

/** 20 ms of a 1 kHz tone in μ-law: what Bob's microphone says. */
const BOB_FRAME = Buffer.from(
  Array.from({ length: 160 }, (_, i) =>
    linearToUlaw(Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000))),
  ),
);

/**
 * Alice has no app: her desk phone is a real baresip process registered to her headless peer,
 * which bridges it to the overlay. Bob is a WebRTC phone with Chromium's codecs (werift here),
 * on another peer of the same ring.
 */
describe("Alice's desk phone, bridged by her peer", () => {
  let net: Awaited<ReturnType<typeof startPeers>>;
  let alice: PeerNode;
  let bob: PeerNode;
  let bridge: SipPhoneHandle;
  let phone: Awaited<ReturnType<typeof startBaresip>>;
  const events: BridgeEvent[] = [];

  beforeAll(async () => {
    net = await startPeers(['alice', 'bob']);
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    const overlays: Overlay[] = [];
    alice = await net.peer('alice');
    bob = await net.peer('bob');
    for (const node of [alice, bob]) overlays.push(await joinIdentityLayer(node, { registry }));
    const formed = await waitUntil(
      () =>
        checkRing(
          overlays.map((o) => o.state()),
          { successors: 1 },
        ).length === 0,
      {
        timeoutMs: 20_000,
        pollMs: 100,
      },
    );
    if (!formed) throw new Error('the ring of 2 did not form in 20 s');
    bridge = await attachSipPhone(alice, {
      password: PASSWORD,
      host: '127.0.0.1',
      port: 0,
      // baresip 1.0 (libre) knows MD5 only, and gives up on a 401 that offers anything else too.
      digest: ['MD5'],
      onEvent: (e) => events.push(e),
    });
    phone = await startBaresip({
      dir: net.dirs.make('chordline-baresip-'),
      aor: alice.identity.aor,
      password: PASSWORD,
      proxy: bridge.uri,
      autoAnswer: true,
    });
  }, 60_000);

  afterAll(async () => {
    await phone?.stop();
    await bridge?.close();
    net?.stop();
  });

  it('registers with digest as Alice, to her peer only', async () => {
    // baresip registers as it starts, before the test can hear its events: the bridge says it.
    await expect.poll(() => bridge.stats().registered, DEADLINE).toMatch(/^sip:alice-[^@]*@127\.0\.0\.1:\d+/);
    expect(events.map((e) => e.kind)).toContain('registered');
  });

  it('refuses a REGISTER and an INVITE without credentials, with one challenge per algorithm', async () => {
    const stranger = await SipStack.listen({ host: '127.0.0.1', port: 0 });
    try {
      const destination = { address: '127.0.0.1', port: Number(bridge.uri.split(':')[2]) };
      const register = await stranger.request({
        method: 'REGISTER',
        uri: bridge.uri,
        from: alice.identity.aor,
        to: alice.identity.aor,
        contact: stranger.uri,
        destination,
      });
      expect(register.status).toBe(401);
      expect(
        [...register.text.matchAll(/^WWW-Authenticate: .*algorithm=([\w-]+)/gm)].map((m) => m[1]),
      ).toEqual(['MD5']);
      const invite = await stranger.request({
        method: 'INVITE',
        uri: bob.identity.aor,
        from: alice.identity.aor,
        to: bob.identity.aor,
        contact: stranger.uri,
        destination,
      });
      expect(invite.status).toBe(401);
    } finally {
      stranger.close();
    }
    expect(bridge.stats().calls).toEqual([]);
  });

  it("rings when Bob calls Alice: Bob's WebRTC offer (Opus first) is answered in PCMU, and both hear each other", async () => {
    await expect.poll(() => bridge.stats().registered, DEADLINE).toBeDefined();
    const bobMedia = g711WebRtcPeer();
    const since = phone.events.length;
    const call = bob.dial(alice.identity.aor, { sdp: await bobMedia.offer() });
    expect(await call.answered).toBe(true);
    expect(call.remoteSdp).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 /m);
    await bobMedia.accept(call.remoteSdp!);
    await expect.poll(bobMedia.connected, DEADLINE).toBe(true);
    expect(bobMedia.sendingCodec()).toBe('audio/PCMU');
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', since);

    // The desk phone's 440 Hz sine arrives at Bob, decrypted by his DTLS-SRTP, payload as sent.
    await expect.poll(() => bobMedia.received.length, DEADLINE).toBeGreaterThan(50);
    const samples = bobMedia.received.slice(-25).flatMap((p) => [...p.payload].map(ulawToLinear));
    expect(toneFrequency(samples)).toBeGreaterThan(400);
    expect(toneFrequency(samples)).toBeLessThan(480);

    for (let i = 0; i < 50; i++) await bobMedia.sendFrame(BOB_FRAME);
    await expect.poll(() => bridge.stats().calls[0]?.toPhone ?? 0, DEADLINE).toBe(50);
    const stats = bridge.stats().calls[0];
    expect(stats).toMatchObject({ direction: 'to-phone', peer: bob.identity.aor, codec: 'PCMU' });
    expect(stats.fromPhone).toBeGreaterThan(50);

    call.hangup();
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', since);
    await bobMedia.close();
    await expect.poll(() => bridge.stats().calls.length, DEADLINE).toBe(0);
  });

  it('calls Bob from the desk phone: a signed call from Alice, PCMU both ways, hung up on the phone', async () => {
    const bobMedia = g711WebRtcPeer();
    const incoming = new Promise<Call>((resolve) => {
      bob.calls.onIncoming = (call) => {
        resolve(call);
        void bobMedia.answer(call.remoteSdp!).then((sdp) => call.answer(sdp));
      };
    });
    const since = phone.events.length;
    phone.command('dial', bob.identity.aor);
    const call = await incoming;
    expect(call.peer).toBe(alice.identity.aor);
    expect(call.remoteSdp).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 101\r?$/m);
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', since);
    await expect.poll(bobMedia.connected, DEADLINE).toBe(true);
    expect(bobMedia.sendingCodec()).toBe('audio/PCMU');

    await expect.poll(() => bobMedia.received.length, DEADLINE).toBeGreaterThan(50);
    const samples = bobMedia.received.slice(-25).flatMap((p) => [...p.payload].map(ulawToLinear));
    expect(toneFrequency(samples)).toBeGreaterThan(400);
    expect(toneFrequency(samples)).toBeLessThan(480);
    for (let i = 0; i < 30; i++) await bobMedia.sendFrame(BOB_FRAME);
    await expect.poll(() => bridge.stats().calls[0]?.toPhone ?? 0, DEADLINE).toBe(30);

    phone.command('hangup');
    await call.ended;
    expect(call.end).toMatchObject({ status: 200, by: 'remote' });
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', since);
    await bobMedia.close();
    await expect.poll(() => bridge.stats().calls.length, DEADLINE).toBe(0);
  });

  it('tells the desk phone why a call failed: nobody registered as the number dialled (404)', async () => {
    const since = phone.events.length;
    phone.command('dial', `sip:nobody@${net.domain}`);
    const closed = await phone.waitFor(
      (e) => e.type === 'CALL_CLOSED' && /nobody/.test(e.peeruri ?? ''),
      since,
    );
    expect(closed.param).toMatch(/404/);
  });
});
