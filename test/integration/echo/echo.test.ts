import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import { attachEcho } from '../../../src-main/app/echo/index.ts';
import type { EchoEvent, EchoHandle } from '../../../src-main/app/echo/index.ts';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { startPeers } from '../../helpers/peers.ts';
import { webrtcCaller } from './webrtc-caller.ts';

/** Generous: these are deadlines for conditions, never measurements. */
const DEADLINE = { timeout: 15_000, interval: 20 };

/**
 * The echo test peer, with real peers on 127.0.0.1: a login server, a ring of three, and calls
 * from Alice whose media is a real werift RTCPeerConnection (ICE, DTLS-SRTP, RTP).
 */
describe('the echo test peer', () => {
  let net: Awaited<ReturnType<typeof startPeers>>;
  let echoNode: PeerNode;
  let alice: PeerNode;
  let echo: EchoHandle;
  const events: EchoEvent[] = [];
  const echoAor = () => echoNode.identity.aor;

  beforeAll(async () => {
    net = await startPeers(['echo', 'alice', 'bob']);
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    const overlays: Overlay[] = [];
    const nodes: PeerNode[] = [];
    for (const name of ['echo', 'bob', 'alice']) {
      const node = await net.peer(name);
      nodes.push(node);
      overlays.push(await joinIdentityLayer(node, { registry }));
    }
    [echoNode, , alice] = nodes;
    const formed = await waitUntil(
      () =>
        checkRing(
          overlays.map((o) => o.state()),
          { successors: 2 },
        ).length === 0,
      { timeoutMs: 20_000, pollMs: 100 },
    );
    if (!formed) throw new Error('the ring of 3 did not form in 20 s');
    echo = attachEcho(echoNode, { onEvent: (e) => events.push(e) });
  }, 60_000);

  afterAll(async () => {
    await echo?.close();
    net?.stop();
  });

  /** Alice calls the echo peer with a real WebRTC offer; resolves once media flows. */
  async function connectedCall() {
    const media = await webrtcCaller();
    const call = alice.dial(echoAor(), { sdp: media.offer });
    expect(await call.answered).toBe(true);
    const answeredAt = performance.now();
    await media.accept(call.remoteSdp!);
    await expect.poll(media.connected, DEADLINE).toBe(true);
    return { media, call, answeredAt };
  }

  it("answers a WebRTC call and sends back the caller's own packets, payload untouched", async () => {
    const { media, call, answeredAt } = await connectedCall();
    // The answer carries its candidates (no trickle in SIP), loopback among them.
    expect(call.remoteSdp).toMatch(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/m);
    expect(call.remoteSdp).toMatch(/^a=fingerprint:sha-256 /m);

    const sent = Array.from({ length: 30 }, (_, i) => Buffer.from(`alice says ${i} ${'~'.repeat(i)}`));
    for (const payload of sent) await media.sendAudio(payload);
    await expect.poll(() => media.received.length, DEADLINE).toBe(sent.length);

    const back = media.received.map((p) => p.payload.toString());
    expect(back.sort()).toEqual(sent.map((p) => p.toString()).sort());
    // The echo is a stream of its own: its SSRC, its sequence without gaps, Opus's payload type.
    const headers = media.received.map((p) => p.header);
    const opus = media.sender.codec!.payloadType;
    expect(new Set(headers.map((h) => h.ssrc)).size).toBe(1);
    expect(headers[0].ssrc).not.toBe(media.sender.ssrc);
    expect(headers.every((h) => h.payloadType === opus)).toBe(true);
    const sequences = headers.map((h) => h.sequenceNumber).sort((a, b) => a - b);
    expect(sequences.at(-1)! - sequences[0]).toBe(sent.length - 1);

    const stats = echo.stats().lastCall!;
    expect(stats).toMatchObject({ id: call.id, peer: alice.identity.aor, state: 'echoing' });
    expect(stats.rtpReceived).toBe(sent.length);
    expect(stats.firstRtpMs).toBeGreaterThanOrEqual(0);
    console.info(
      `echo: INVITE → 200 OK ${call.snapshot().setupMs} ms; ` +
        `200 OK → first RTP at the echo peer ${stats.firstRtpMs} ms; ` +
        `answer → first echoed packet at the caller ${Math.round(media.firstReceivedAt()! - answeredAt)} ms`,
    );

    call.hangup();
    await call.ended;
    await media.close();
  });

  it('hears the DTMF keys 1, 5, # once each (end packets sent three times) and echoes none of them', async () => {
    const { media, call } = await connectedCall();
    await media.sendAudio(Buffer.from('before the keys'));
    for (const event of [1, 5, 11]) {
      await media.sendDigit(event);
      await media.sendAudio(Buffer.from(`after key ${event}`));
    }
    await expect.poll(() => echo.stats().lastCall?.digits, DEADLINE).toBe('15#');
    await expect.poll(() => media.received.length, DEADLINE).toBe(4);
    expect(media.received.map((p) => p.payload.toString())).toEqual(
      expect.arrayContaining(['before the keys', 'after key 1', 'after key 5', 'after key 11']),
    );
    expect(echo.stats().lastCall!.dtmfPackets).toBe(3 * 7);
    expect(events.filter((e) => e.callId === call.id && e.kind === 'digit').map((e) => e.message)).toEqual([
      'heard key 1 (1 so far)',
      'heard key 5 (15 so far)',
      'heard key # (15# so far)',
    ]);

    // BYE from the caller closes the echo side's peer connection.
    call.hangup();
    await call.ended;
    await expect.poll(() => echo.stats().inProgress, DEADLINE).toBe(0);
    expect(echo.stats().calls.find((c) => c.id === call.id)).toMatchObject({
      state: 'ended',
      connection: 'closed',
      digits: '15#',
    });
    await media.close();
  });

  it('answers hold and resume (re-INVITE) from the same peer connection, silent while held', async () => {
    const { media, call } = await connectedCall();
    const heard = () => media.received.map((p) => p.payload.toString());
    await media.sendAudio(Buffer.from('before hold'));
    await expect.poll(heard, DEADLINE).toEqual(['before hold']);

    const held = await call.updateMedia(await media.reoffer('sendonly'));
    expect(held).toMatch(/^a=recvonly\r?$/m);
    await media.accept(held);
    await media.sendAudio(Buffer.from('on hold'));
    await expect.poll(() => echo.stats().lastCall?.rtpReceived, DEADLINE).toBe(2);

    const resumed = await call.updateMedia(await media.reoffer('sendrecv'));
    expect(resumed).toMatch(/^a=sendrecv\r?$/m);
    await media.accept(resumed);
    await media.sendAudio(Buffer.from('after resume'));
    // In order on loopback: had 'on hold' been echoed, it would have come before this one.
    await expect.poll(heard, DEADLINE).toEqual(['before hold', 'after resume']);
    call.hangup();
    await media.close();
  });

  it("refuses the command line's placeholder offer with 488 and a reason a person can read", async () => {
    const refusedBefore = echo.stats().refused;
    const call = alice.dial(echoAor(), { sdp: placeholderSdp('127.0.0.1') });
    expect(await call.answered).toBe(false);
    expect(call.end).toMatchObject({ status: 488 });
    expect(call.end!.reason).toMatch(/Opus|WebRTC/);
    expect(echo.stats().refused).toBe(refusedBefore + 1);
  });

  it('survives malicious offers, and the next caller is echoed as before', async () => {
    const media = await webrtcCaller();
    const webrtcish = (body: string) =>
      [
        'v=0',
        'o=- 1 1 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        'a=fingerprint:sha-256 00:11',
        'a=ice-ufrag:abcd',
        'a=ice-pwd:0123456789abcdefghijkl',
        body,
        '',
      ].join('\r\n');
    const offers = [
      // Passes the WebRTC check, then nonsense for werift.
      webrtcish('m=audio abc UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=candidate:x'),
      webrtcish('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=setup:nonsense'),
      webrtcish('m=audio 9 UDP/TLS/RTP/SAVPF\r\na=rtpmap:111 opus/48000/2\r\nm=video 9 RTP/AVP 96'),
      webrtcish(
        [
          'm=audio 70000 UDP/TLS/RTP/SAVPF 99999 111',
          'a=rtpmap:99999 opus/48000/2',
          'a=rtpmap:111 opus/48000/2',
          'a=fmtp:111 ' + 'x'.repeat(3000),
          'a=ssrc:notanumber cname:x',
          'a=candidate:1 1 udp 1 127.0.0.1 99999999 typ host',
          'a=mid:' + '\u00ff'.repeat(50),
        ].join('\r\n'),
      ),
      // The real offer with its fingerprint torn out, and one with every line doubled.
      media.offer.replace(/^a=fingerprint:.*\r\n/m, ''),
      media.offer.replace(/^(a=.*\r\n)/gm, '$1$1'),
      'v=0\r\n' + 'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n'.repeat(1000),
      '\u0000\u0001\u0002 not even text',
    ];
    for (const sdp of offers) {
      const call = alice.dial(echoAor(), { sdp, ringTimeoutMs: 20_000 });
      if (await call.answered) call.hangup();
      const end = await call.ended;
      // Refused with a reason, or answered (werift took it) and hung up: never a crash, never 5xx.
      if (end.status !== 200) expect(end.status, end.reason).toBe(488);
    }
    await media.close();
    await expect.poll(() => echo.stats().inProgress, DEADLINE).toBe(0);

    const { media: next, call } = await connectedCall();
    await next.sendAudio(Buffer.from('still there?'));
    await expect
      .poll(() => next.received.map((p) => p.payload.toString()), DEADLINE)
      .toEqual(['still there?']);
    call.hangup();
    await next.close();
  });

  it('garbage datagrams at its media port do not stop it echoing', async () => {
    const { media, call } = await connectedCall();
    const ports = [
      ...call.remoteSdp!.matchAll(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/gm),
    ].map((m) => Number(m[1]));
    const socket = createSocket('udp4');
    const junk = [
      Buffer.alloc(0),
      Buffer.from([0x80]),
      Buffer.from([0x80, 0x6f, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xff]), // RTP-looking, not SRTP
      Buffer.from([0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), // a broken DTLS record
      Buffer.from([0, 1, 0, 8, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3]), // a truncated STUN binding request
      Buffer.alloc(1400, 0xab),
    ];
    for (const port of ports) {
      for (const datagram of junk)
        await new Promise((resolve) => socket.send(datagram, port, '127.0.0.1', resolve));
    }
    socket.close();
    await media.sendAudio(Buffer.from('after the junk'));
    await expect
      .poll(() => media.received.map((p) => p.payload.toString()), DEADLINE)
      .toContain('after the junk');
    call.hangup();
    await media.close();
  });

  it('hangs up a call whose caller vanished without BYE: its media stopped', async () => {
    await echo.close();
    echo = attachEcho(echoNode, { mediaTimeoutMs: 1000, onEvent: (e) => events.push(e) });
    try {
      const { media, call } = await connectedCall();
      for (let i = 0; i < 5; i++) await media.sendAudio(Buffer.from(`still here ${i}`));
      await expect.poll(() => media.received.length, DEADLINE).toBe(5);
      // The caller's computer sleeps: no more packets, no BYE. The echo test notices and hangs up.
      expect(await call.ended).toMatchObject({ status: 200, by: 'remote' });
      expect(events.find((e) => e.callId === call.id && e.kind === 'no-media')?.message).toMatch(
        /hanging up: the caller's media stopped for 1 s/,
      );
      expect(echo.stats()).toMatchObject({ inProgress: 0 });
      await media.close();
    } finally {
      await echo.close();
      echo = attachEcho(echoNode, { onEvent: (e) => events.push(e) });
    }
  });

  it('hangs up a call whose media never arrives, with a log line', async () => {
    await echo.close();
    echo = attachEcho(echoNode, { mediaTimeoutMs: 1000, onEvent: (e) => events.push(e) });
    try {
      // The caller offers, and then never applies the answer: no DTLS, no RTP.
      const media = await webrtcCaller();
      const call = alice.dial(echoAor(), { sdp: media.offer });
      expect(await call.answered).toBe(true);
      expect(await call.ended).toMatchObject({ status: 200, by: 'remote' });
      expect(events.find((e) => e.callId === call.id && e.kind === 'no-media')?.message).toMatch(
        /hanging up: no media arrived within 1 s of the answer/,
      );
      expect(echo.stats()).toMatchObject({ inProgress: 0 });
      await media.close();
    } finally {
      await echo.close();
      echo = attachEcho(echoNode, { onEvent: (e) => events.push(e) });
    }
  });
});
