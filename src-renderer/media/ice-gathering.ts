/**
 * SIP carries the whole session description in one INVITE or 200 (no trickle ICE, RFC 8838), so
 * an offer or answer goes out once candidate gathering is complete. A STUN or TURN server that
 * does not answer would hold the call for its own timeout (tens of seconds): after `capMs` the
 * call goes with the candidates gathered so far (host candidates come within milliseconds).
 */
export function iceGathered(pc: RTCPeerConnection, capMs = 3000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', changed);
      pc.removeEventListener('icecandidate', candidate);
      resolve();
    };
    const changed = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    // A null candidate also means "no more candidates" (older Chromium fires it first).
    const candidate = (event: RTCPeerConnectionIceEvent) => {
      if (event.candidate === null) done();
    };
    const timer = setTimeout(done, capMs);
    pc.addEventListener('icegatheringstatechange', changed);
    pc.addEventListener('icecandidate', candidate);
  });
}
