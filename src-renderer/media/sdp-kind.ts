/**
 * Whether a session description can start WebRTC media: a browser needs ICE credentials
 * (a=ice-ufrag, RFC 8839) and a DTLS fingerprint (a=fingerprint, RFC 8122) to connect at all.
 * An offer without them (the command line's placeholder with `a=inactive`, a plain RTP phone)
 * is answered without media rather than handed to setRemoteDescription, which would refuse it
 * with a message nobody could act on.
 */
export function isWebRtcSdp(sdp: string | null | undefined): sdp is string {
  if (!sdp) return false;
  const lines = sdp.split(/\r?\n/);
  const has = (prefix: string) => lines.some((line) => line.startsWith(prefix));
  return has('m=audio ') && has('a=ice-ufrag:') && has('a=fingerprint:');
}
