import { describe, expect, it } from 'vitest';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import { checkWebRtcOffer } from '../../../src-main/app/echo/webrtc-offer.ts';

/** The shape of a browser's audio offer (trimmed). */
const browserOffer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 126',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:4ZcD',
  'a=ice-pwd:2/1muCWoOi3uLifh0NuRHlbn',
  'a=fingerprint:sha-256 12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:126 telephone-event/8000',
  '',
].join('\r\n');

describe('which offers the echo test answers', () => {
  it("takes a browser's WebRTC audio offer", () => {
    expect(checkWebRtcOffer(browserOffer)).toEqual({ ok: true });
  });

  it('refuses, saying why, what is not WebRTC audio', () => {
    const reason = (sdp: string | undefined) => {
      const check = checkWebRtcOffer(sdp);
      return check.ok ? 'ok' : check.reason;
    };
    expect(reason(undefined)).toMatch(/no session description/);
    expect(reason(placeholderSdp('127.0.0.1'))).toMatch(/does not offer Opus/);
    expect(reason(browserOffer.replace(/^a=fingerprint.*\r\n/m, ''))).toMatch(/no DTLS fingerprint/);
    expect(reason(browserOffer.replace(/^a=ice-pwd.*\r\n/m, ''))).toMatch(/no ICE credentials/);
    expect(reason(browserOffer.replace('a=sendrecv', 'a=inactive'))).toMatch(/inactive/);
    expect(reason(browserOffer.replace('m=audio', 'm=video'))).toMatch(/no audio stream/);
    expect(reason('hello')).toMatch(/not SDP/);
    expect(reason(browserOffer + 'a=x:' + 'y'.repeat(40_000))).toMatch(/larger than/);
  });

  it('a new offer inside the call may hold the audio inactive', () => {
    expect(checkWebRtcOffer(browserOffer.replace('a=sendrecv', 'a=inactive'), false)).toEqual({ ok: true });
  });
});
