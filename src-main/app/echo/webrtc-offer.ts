/** Larger than any offer a browser makes, smaller than what would hurt to parse. */
export const MAX_OFFER_BYTES = 32 * 1024;

export type OfferCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether an SDP offer is one the echo peer can answer with WebRTC media: DTLS-SRTP (a
 * fingerprint, RFC 8122), ICE (ufrag and pwd, RFC 8839) and an audio stream offering Opus
 * (RFC 7587). The phone's placeholder offer (RTP/AVP, PCMU, inactive) and plain SIP phones fail
 * here, with a reason the caller can read, before werift sees anything. A new offer inside the
 * call (hold, resume) may hold the audio inactive; a call that starts inactive has nothing to echo.
 */
export function checkWebRtcOffer(sdp: string | undefined, initial = true): OfferCheck {
  if (sdp === undefined || sdp.trim() === '') {
    return refuse('the call offers no session description; the echo test needs WebRTC audio');
  }
  if (Buffer.byteLength(sdp) > MAX_OFFER_BYTES) {
    return refuse(`the session description is larger than ${MAX_OFFER_BYTES} bytes`);
  }
  if (!/^v=0\r?$/m.test(sdp)) return refuse('the session description is not SDP (no v=0 line)');
  const sections = sdp.split(/\r?\n(?=m=)/);
  const audio = sections.filter((s) => s.startsWith('m=audio '));
  if (audio.length === 0) return refuse('the offer has no audio stream');
  const session = sections[0];
  const opus = audio.find((section) => /^a=rtpmap:\d+ opus\/48000(\/2)?\r?$/im.test(section));
  if (!opus) return refuse('the offer does not offer Opus audio (only WebRTC calls can be echoed)');
  const has = (attribute: string) =>
    new RegExp(`^a=${attribute}:\\S`, 'm').test(opus) || new RegExp(`^a=${attribute}:\\S`, 'm').test(session);
  if (!has('fingerprint')) {
    return refuse('the offer has no DTLS fingerprint (plain RTP; the echo test needs WebRTC)');
  }
  if (!has('ice-ufrag') || !has('ice-pwd')) {
    return refuse('the offer has no ICE credentials (plain RTP; the echo test needs WebRTC)');
  }
  if (initial && /^a=inactive\r?$/m.test(opus)) return refuse('the offer holds its audio inactive');
  return { ok: true };
}

function refuse(reason: string): OfferCheck {
  return { ok: false, reason };
}
