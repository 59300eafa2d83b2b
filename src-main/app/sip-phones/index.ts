// Ordinary SIP phones on the network: a peer serves its own user's desk phone (baresip,
// Linphone, a hardware phone) as its registrar and as a back-to-back user agent between the
// phone's plain SIP and G.711 RTP and the overlay's signed calls and WebRTC media.
// `chordline peer --sip-phone PASSWORD` runs one.

import { SipStack } from '../../sip/index.ts';
import type { Tracer } from '../../sip/index.ts';
import type { DigestAlgorithm } from '../../trust/digest/index.ts';
import type { Call } from '../calls/index.ts';
import { loopbackHostAddresses } from '../echo/index.ts';
import type { PeerNode } from '../peer-node.ts';
import type { BridgeEvent } from './bridge-context.ts';
import { PhoneAuth } from './phone-auth.ts';
import { SipPhoneBridge } from './sip-phone-bridge.ts';
import type { SipPhoneStats } from './sip-phone-bridge.ts';

export type { BridgeEvent } from './bridge-context.ts';
export type { BridgedCallStats } from './bridged-call.ts';
export type { SipPhoneStats } from './sip-phone-bridge.ts';
export { parsePlainAudio, plainSdp } from './plain-sdp.ts';
export { StreamRewriter } from './rtp-relay.ts';

/** The SIP port a desk phone is told to use when none is given (the overlay's is usually 5060). */
export const DEFAULT_SIP_PHONE_PORT = 5070;

export interface SipPhoneOptions {
  /** The local password the desk phone authenticates with (digest; not the network login's). */
  password: string;
  /** Where the desk phone's SIP is served. Default: the peer's address, port 5070. */
  host?: string;
  port?: number;
  /** Digest algorithms offered, preferred first. Default SHA-256 then MD5 (RFC 8760 section 2.4). */
  digest?: readonly DigestAlgorithm[];
  trace?: Tracer;
  onEvent?: (event: BridgeEvent) => void;
}

export interface SipPhoneHandle {
  /** sip:HOST:PORT: the registrar and outbound proxy to set in the desk phone. */
  readonly uri: string;
  /** The username the desk phone authenticates as (the user part of the peer's AOR). */
  readonly username: string;
  stats(): SipPhoneStats;
  /** Hangs up the bridged calls, gives the peer's incoming calls back, closes the port. Safe twice. */
  close(): Promise<void>;
}

/**
 * Makes a logged-in peer the bridge for its user's desk phone: every call to the user rings the
 * phone, and the phone's calls go into the overlay signed by this peer. The LAN leg to the
 * phone is plain RTP (unencrypted); the overlay leg keeps DTLS-SRTP.
 */
export async function attachSipPhone(node: PeerNode, options: SipPhoneOptions): Promise<SipPhoneHandle> {
  if (options.password === '') throw new Error('The desk phone needs a password (--sip-phone PASSWORD)');
  const aor = node.identity.aor;
  const auth = new PhoneAuth(aor, options.password, options.digest);
  const host = options.host ?? node.stack.endpoint.address;
  const stack = await SipStack.listen({
    host,
    port: options.port ?? DEFAULT_SIP_PHONE_PORT,
    userAgent: 'Chordline desk phone bridge',
    trace: options.trace,
  });
  const emit = (event: BridgeEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure is its own.
    }
  };
  const bridge = new SipPhoneBridge(
    {
      stack,
      aor,
      dial: (target, dial) => node.dial(target, dial),
      hostAddresses: loopbackHostAddresses(stack.endpoint.address),
      emit,
      onError: (error) => emit({ kind: 'refused', message: `bridge error: ${String(error)}` }),
    },
    auth,
  );
  const agent = node.calls;
  const previous: (call: Call) => void = agent.onIncoming;
  agent.onIncoming = bridge.take;
  let closed = false;
  return {
    uri: stack.uri,
    username: auth.username,
    stats: () => bridge.stats(),
    close: async () => {
      if (closed) return;
      closed = true;
      if (agent.onIncoming === bridge.take) agent.onIncoming = previous;
      await bridge.close();
      stack.close();
    },
  };
}
