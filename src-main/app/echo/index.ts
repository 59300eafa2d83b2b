// The echo test peer: answers WebRTC calls with werift media that sends back what it hears, and
// notes the DTMF keys pressed. `chordline peer --echo` runs one; the phone that creates a network
// runs one inside itself with attachEcho().

import type { Call } from '../calls/index.ts';
import type { PeerNode } from '../peer-node.ts';
import { EchoResponder } from './echo-responder.ts';
import type { EchoResponderOptions } from './echo-responder.ts';
import type { EchoStats } from './echo-stats.ts';
import { loopbackHostAddresses } from './host-addresses.ts';

export { EchoResponder, DEFAULT_MEDIA_TIMEOUT_MS } from './echo-responder.ts';
export type { EchoEvent, EchoResponderOptions } from './echo-responder.ts';
export type { EchoCallState, EchoCallStats, EchoStats } from './echo-stats.ts';
export { DtmfReceiver, parseTelephoneEvent } from './dtmf-receiver.ts';
export { checkWebRtcOffer } from './webrtc-offer.ts';
export { loopbackHostAddresses } from './host-addresses.ts';
export { forgetEchoState, readEchoState, writeEchoState } from './echo-state-file.ts';

export interface EchoHandle {
  stats(): EchoStats;
  /** Hangs up the echo calls and gives the peer's incoming calls back to whoever had them. */
  close(): Promise<void>;
}

/**
 * Makes a logged-in peer the echo test: every call to its user is answered by an EchoResponder.
 * ICE candidates go on the machine's interfaces, plus loopback when the peer listens there or
 * the machine has nothing else (loopbackHostAddresses), unless `hostAddresses` says otherwise.
 */
export function attachEcho(node: PeerNode, options: EchoResponderOptions = {}): EchoHandle {
  const agent = node.calls;
  const responder = new EchoResponder({
    ...options,
    hostAddresses: options.hostAddresses ?? loopbackHostAddresses(node.stack.endpoint.address),
  });
  const previous: (call: Call) => void = agent.onIncoming;
  agent.onIncoming = responder.take;
  return {
    stats: () => responder.stats(),
    close: async () => {
      if (agent.onIncoming === responder.take) agent.onIncoming = previous;
      await responder.close();
    },
  };
}
