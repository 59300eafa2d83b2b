/**
 * What the ring benchmark's parent (run.ts, and bench/identity) asks each peer host
 * (peer-host-worker.ts) over the IPC channel: one operation name and its argument and answer
 * types. A host runs up to 50 PeerNodes, each with its own UDP socket and key store; peers in
 * other hosts join through the NodeRefs the parent passes. The identity layer runs either of its
 * algorithms (chord, onehop) and can be switched from one to the other while it runs.
 */
import type { NodeRef, OverlayState } from '../../src-main/overlay/overlay.ts';
import type { SwitchLayer } from '../../src-main/overlay/xml/index.ts';

export interface RingAccount {
  name: string;
  aor: string;
  password: string;
}

/** `open`: the host's peers (key pairs generated) and the identity layer's settings (both algorithms). */
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

/** `join`: joinIdentity through these bootstrap nodes (peers of any host). */
export interface JoinArgs {
  name: string;
  bootstrap: NodeRef[];
  /** The algorithm the identity layer runs now (the one its peers run): default chord. */
  algorithm?: string;
}

/** `leave`: a graceful leave (each overlay tells its peers and hands its bindings over), then the peer stops. */
export interface LeaveArgs {
  name: string;
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
  /** overlay.get(AOR) to its answer, per binding found. */
  latenciesMs: number[];
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

/**
 * `announce`: a CA-signed SwitchLayer handed to one peer as from the operator's tool on its
 * machine (IdentityLayer.announce); it floods from there. Answers whether that peer accepted it.
 */
export interface AnnounceArgs {
  name: string;
  message: SwitchLayer;
}

export type AnnounceAnswer = { ok: true } | { ok: false; status: number; reason: string };

/** `switchStatus`: where each joined peer of the host stands in the switch of `epoch`. */
export interface SwitchStatusArgs {
  epoch: number;
  /** Date.now() of the announcement: phase changes before it belong to an earlier switch. */
  since: number;
}

export interface PeerSwitchStatus {
  name: string;
  /** The identity layer's active algorithm now. */
  algorithm: string;
  /** SwitchPhase name: steady, joining, checking, moved. */
  phase: string;
  /** The IdentityLayer's news for this epoch, once it has some. */
  outcome?: 'done' | 'aborted';
  reason?: string;
  /** Date.now() when this peer entered each phase of this switch (absent: not yet); `joining` is when it accepted the news. */
  heardAt?: number;
  joinedAt?: number;
  movedAt?: number;
  steadyAt?: number;
}

export type { NodeRef, OverlayState, SwitchLayer };
