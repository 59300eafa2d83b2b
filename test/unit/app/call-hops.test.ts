import { describe, expect, it } from 'vitest';
import { countHops, deliveredHops } from '../../../src-main/app/calls/hops.ts';
import { placeholderSdp } from '../../../src-main/app/calls/placeholder-sdp.ts';

describe('how far a call travelled', () => {
  it('counts the peers between caller and callee from the Via headers, top first', () => {
    // Alice's UAC, Alice's own proxy role, two peers, then the responsible node.
    const path = ['10.0.0.4:5060', '10.0.0.3:5060', '10.0.0.2:5060', '10.0.0.1:5060', '10.0.0.1:5060'];
    expect(countHops(path, '10.0.0.9:5060')).toBe(3);
    // The callee was itself the responsible node and proxied the call to its own device.
    expect(countHops(['10.0.0.9:5060', ...path], '10.0.0.9:5060')).toBe(3);
    // The caller found the callee by itself.
    expect(countHops(['10.0.0.1:5060', '10.0.0.1:5060'], '10.0.0.9:5060')).toBe(0);
  });

  it('reads the hop count the callee signed into its answer', () => {
    const doc = {
      overlays: [
        { layer: 'identity', algorithm: 'chord', messages: [{ kind: 'Delivered' as const, hops: 2 }] },
      ],
      signature: 'x',
    };
    expect(deliveredHops(doc)).toBe(2);
    expect(deliveredHops({ overlays: [], signature: 'x' })).toBeUndefined();
  });

  it('offers an inactive audio stream until media exists (RFC 4566 lines, CRLF)', () => {
    const sdp = placeholderSdp('::1', 7);
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=chordline 7 1 IN IP6 ::1',
      's=Chordline call',
      'c=IN IP6 ::1',
      't=0 0',
      'm=audio 9 RTP/AVP 0',
      'a=rtpmap:0 PCMU/8000',
      'a=inactive',
      '',
    ]);
  });
});
