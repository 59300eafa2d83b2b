/**
 * The packet time this phone asks for: 10 ms of Opus per packet instead of WebRTC's 20.
 *
 * RFC 4566 §6: "a=ptime:<packet time> This gives the length of time in milliseconds represented
 * by the media in a packet." It is a wish about what the *other* side sends: Chromium takes the
 * remote description's ptime as the frame length of its encoder, so each side's description
 * asks for its own incoming audio, and both must say it for the call to gain both ways.
 *
 * Why: a sound waits for its packet to fill before it can leave. Measured on loopback
 * (docs/BENCHMARKS.md, Voice) 10 ms packets take ~20 ms off mouth-to-ear. The price is twice
 * the packets: at 100 packets a second the IP, UDP, RTP and SRTP headers (~60 bytes each) cost
 * ~48 kbit/s instead of ~24, so a call takes ~80 kbit/s each way instead of ~56, and a lost
 * packet takes 10 ms of speech instead of 20. That is a desktop phone on a broadband or LAN
 * link, which is where this phone runs; Opus' own minimum (RFC 7587 fmtp minptime=10) allows it.
 */
export const PACKET_TIME_MS = 10;

/**
 * Adds `a=ptime:10` to the audio section of a local description whose first codec is Opus, the
 * one the call will use; left alone: a section that already says a ptime, or that leads with
 * another codec (a desk phone's G.711 through the bridge keeps the packets the phone chose).
 */
export function withOpusPacketTime(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(new RegExp(`${eol}(?=m=)`));
  const out = sections.map((section) => {
    const m = /^m=audio \d+ \S+ (\d+)/.exec(section);
    if (!m) return section;
    const opus = new RegExp(`^a=rtpmap:${m[1]} opus/48000`, 'im').test(section);
    if (!opus || /^a=ptime:/m.test(section)) return section;
    const trimmed = section.endsWith(eol) ? section.slice(0, -eol.length) : section;
    return `${trimmed}${eol}a=ptime:${PACKET_TIME_MS}${section.endsWith(eol) ? eol : ''}`;
  });
  return out.join(eol);
}
