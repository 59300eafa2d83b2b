// Calls: INVITEs routed hop by hop through the identity overlay (call-router.ts) and this
// device's user agent for the calls it places and takes (call-agent.ts), with re-INVITEs for
// new offers (re-invite.ts). Media itself runs elsewhere (WebRTC in the UI, the echo peer); the
// SDP travels signed, beside the signature's other parts, and is not interpreted here beyond
// its direction (hold).

export { Call } from './call.ts';
export type { CallDirection, CallEnd, CallSnapshot, CallState } from './call.ts';
export { CallAgent, NOBODY_HERE } from './call-agent.ts';
export { CallRouter, CALL_HOP_TIMEOUT_MS } from './call-router.ts';
export type { DialOptions } from './outgoing-call.ts';
export { placeholderSdp } from './placeholder-sdp.ts';
export { MediaChangeError, OFFER_ANSWER_MS } from './re-invite.ts';
export { resendUntilAcked } from './resend-until-acked.ts';
export { audioDirection, holdsOtherSide } from './sdp-direction.ts';
