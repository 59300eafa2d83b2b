// Calls: INVITEs routed hop by hop through the identity overlay (call-router.ts) and this
// device's user agent for the calls it places and takes (call-agent.ts). Media is a later
// milestone: the SDP travels untouched, beside the signature.

export { Call } from './call.ts';
export type { CallDirection, CallEnd, CallSnapshot, CallState } from './call.ts';
export { CallAgent, NOBODY_HERE } from './call-agent.ts';
export { CallRouter, CALL_HOP_TIMEOUT_MS } from './call-router.ts';
export type { DialOptions } from './outgoing-call.ts';
export { placeholderSdp } from './placeholder-sdp.ts';
