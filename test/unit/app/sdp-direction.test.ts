import { describe, expect, it } from 'vitest';
import { audioDirection, holdsOtherSide, placeholderSdp } from '../../../src-main/app/calls/index.ts';

const sdp = (...lines: string[]) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', ...lines, ''].join('\r\n');

describe('who holds a call, read from its SDP (RFC 3264)', () => {
  it("takes the audio stream's own direction, else the session's, else sendrecv", () => {
    expect(audioDirection(sdp('m=audio 9 RTP/AVP 0', 'a=sendonly'))).toBe('sendonly');
    expect(audioDirection(sdp('a=inactive', 'm=audio 9 RTP/AVP 0'))).toBe('inactive');
    expect(audioDirection(sdp('a=recvonly', 'm=audio 9 RTP/AVP 0', 'a=sendrecv'))).toBe('sendrecv');
    expect(audioDirection(sdp('m=audio 9 RTP/AVP 0'))).toBe('sendrecv');
    // A video stream's direction is not the audio's; a rejected stream (port 0) is inactive.
    expect(audioDirection(sdp('m=audio 9 RTP/AVP 0', 'm=video 9 RTP/AVP 96', 'a=sendonly'))).toBe('sendrecv');
    expect(audioDirection(sdp('m=audio 0 RTP/AVP 0', 'a=sendrecv'))).toBe('inactive');
  });

  it('an offer that stops this side receiving holds the other side', () => {
    expect(holdsOtherSide(sdp('m=audio 9 RTP/AVP 0', 'a=sendonly'))).toBe(true);
    expect(holdsOtherSide(sdp('m=audio 9 RTP/AVP 0', 'a=inactive'))).toBe(true);
    expect(holdsOtherSide(sdp('m=audio 9 RTP/AVP 0', 'a=recvonly'))).toBe(false);
    expect(holdsOtherSide(placeholderSdp('127.0.0.1'))).toBe(true);
  });
});
