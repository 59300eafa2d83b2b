/**
 * What the ring benchmark's parent (run.ts) asks each peer host (peer-host-worker.ts) over the IPC
 * channel: one operation name and its argument and answer types. A host runs up to 50 PeerNodes,
 * each with its own UDP socket and key store; peers in other hosts join through the NodeRefs the
 * parent passes.
 */
import type { NodeRef, OverlayState } from '../../src-main/overlay/overlay.ts';

export interface RingAccount {
  name: string;
  aor: string;
  password: string;
}

/** `open`: the host's peers (key pairs generated) and the ring's Chord settings. */
export interface OpenArgs {
  /** A folder the parent made and removes: a host killed with SIGKILL cleans nothing. */
  folder: string;
  peers: RingAccount[];
  refreshMs: number;
  hopTimeoutMs: number;
}

/** `login`: Figure 2 (b) for one peer; kept out of the join so that a join's messages are the overlay's alone. */
export interface LoginArgs {
  name: string;
  loginServer: string;
  caFingerprint: string;
}

/** `join`: joinIdentityLayer through these bootstrap nodes (peers of any host). */
export interface JoinArgs {
  name: string;
  bootstrap: NodeRef[];
}

/** The SIP counters (SipStack.stats) of every peer of the host, summed. */
export interface TrafficReading {
  /** Peers in the ring (the others have sent nothing but their login). */
  peers: number;
  /** Datagrams: requests, responses and retransmissions. */
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  /** Requests this host's peers sent (client transactions). */
  requests: number;
}

/** `lookups`: `perPeer` random keys from each joined peer, one at a time, checked against `ids`. */
export interface LookupArgs {
  /** Every live peer's NodeID: the owner of a key is the first at or after it. */
  ids: string[];
  perPeer: number;
  seed: number;
  /** Stop at the first wrong or failed lookup (while waiting for a ring to heal). */
  stopAtFirstFailure?: boolean;
}

export interface LookupAnswer {
  lookups: number;
  failures: number;
  /** FindSuccessor requests of each lookup that found the right owner. */
  hops: number[];
  latenciesMs: number[];
  /** The first few failures, as sentences. */
  failed: string[];
}

/** `registrations`: each `aor` fetched with overlay.get from the peer `asker`; found when a binding names `nodeId`. */
export interface RegistrationArgs {
  items: Array<{ asker: string; aor: string; nodeId: string }>;
}

export interface RegistrationAnswer {
  checked: number;
  found: number;
  missing: string[];
}

/** `stretchRefresh`: every peer's Chord refresh timer runs `factor` times its period from now on. */
export interface StretchArgs {
  factor: number;
}

/**
 * `callSetup`: calls from this host's peers (the callers) to peers of any host, one at a time,
 * each INVITE routed hop by hop through the ring; every peer answers at once (like
 * `chordline peer --auto-answer`), and each caller hangs up as soon as its call is answered.
 */
export const CALL_SETUP_OPERATION = 'callSetup';

export interface CallSetupArgs {
  /** Caller and callee peer names, and how many calls to place. */
  pairs: Array<{ caller: string; callee: string }>;
}

export interface CallSetupAnswer {
  calls: number;
  failures: number;
  /** INVITE sent to 200 OK received, per call that succeeded. */
  setupMs: number[];
  /** Peers between caller and callee (as the callee counted them), per call that succeeded. */
  hops: number[];
  /** The first few failures, as sentences. */
  failed: string[];
}

export type { NodeRef, OverlayState };
