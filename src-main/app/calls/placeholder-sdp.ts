/**
 * A session description for calls placed before media exists (the command line's `dial`, the
 * lab, `--auto-answer` peers): a valid SDP (RFC 4566) offering one audio stream that is
 * `inactive`, so that a real SIP phone receiving it would not send media either. Voice
 * arrives with WebRTC in a later milestone; until then the SDP only has to travel untouched.
 */
export function placeholderSdp(address: string, sessionId: number = Date.now()): string {
  const family = address.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=chordline ${sessionId} 1 IN ${family} ${address}`,
    's=Chordline call',
    `c=IN ${family} ${address}`,
    't=0 0',
    'm=audio 9 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    'a=inactive',
    '',
  ].join('\r\n');
}
