import type { Call } from '../calls/index.ts';
import type { PlainRtpLeg } from './plain-rtp-leg.ts';
import type { RtpRelay } from './rtp-relay.ts';
import type { WebRtcLeg } from './webrtc-leg.ts';

/**
 * The desk phone's side of one bridged call: the plain SIP dialog between this peer and the
 * phone (RFC 3261 section 12), which shares nothing with the signed overlay dialog but the
 * moment it starts and ends.
 */
export interface PhoneDialog {
  callId: string;
  localTag: string;
  remoteTag: string | undefined;
  /** The phone's Contact. */
  remoteTarget: string | undefined;
  /** Who the phone sees at the other end (the overlay caller's or callee's AOR). */
  localUri: string;
  /** The phone's own address of record (the peer's AOR). */
  remoteUri: string;
  localCseq: number;
}

/**
 * One call between the desk phone and the overlay.
 *
 * ```
 *   overlay ──signed INVITE──▶ ringing ──phone's 200──▶ active ──BYE either side──▶ ended
 *   phone   ──plain INVITE──▶  calling ──signed 200───▶ active ──BYE either side──▶ ended
 *   either: refused, cancelled, no answer ──▶ ended (the other leg hears why, as a SIP status)
 * ```
 */
export interface BridgedCall {
  direction: 'to-phone' | 'from-phone';
  overlay: Call | undefined;
  phone: PhoneDialog;
  webrtc: WebRtcLeg | undefined;
  rtp: PlainRtpLeg | undefined;
  relay: RtpRelay | undefined;
  /** The bridge's current SDP toward the phone, for its re-INVITEs. */
  phoneSdp: string | undefined;
  ended: boolean;
  /** Stops resending the 2xx to the phone's INVITE: its ACK arrived. */
  acked?: () => void;
}

/** Plain data for the logs, `peer state` and the tests. */
export interface BridgedCallStats {
  id: string;
  direction: BridgedCall['direction'];
  peer: string | undefined;
  state: string;
  codec: string | undefined;
  toPhone: number;
  fromPhone: number;
  telephoneEvents: number;
  dropped: number;
  connection: string;
}

export function callStats(call: BridgedCall): BridgedCallStats {
  const counters = call.relay?.counters;
  let codec: string | undefined;
  try {
    codec = call.webrtc?.sendingCodec();
  } catch {
    codec = undefined;
  }
  return {
    id: call.phone.callId,
    direction: call.direction,
    peer: call.overlay?.peer,
    state: call.ended ? 'ended' : (call.overlay?.state ?? 'calling'),
    codec,
    toPhone: counters?.toPhone ?? 0,
    fromPhone: counters?.fromPhone ?? 0,
    telephoneEvents: counters?.telephoneEvents ?? 0,
    dropped: (counters?.dropped ?? 0) + (call.rtp?.counters.dropped ?? 0),
    connection: call.webrtc?.connectionState ?? 'none',
  };
}

/** Closes both media legs. Safe twice. */
export async function closeMedia(call: BridgedCall): Promise<void> {
  call.ended = true;
  call.rtp?.close();
  await call.webrtc?.close();
}
