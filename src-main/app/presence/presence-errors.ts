/** The rendezvous node (or a watcher) refused a presence request; `status` is its SIP status. */
export class PresenceRefusedError extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(`Presence request refused: ${status} ${reason}`);
    this.name = 'PresenceRefusedError';
  }
}

/** An answer that is not the one the request calls for (a buggy or hostile peer). */
export class UnexpectedPresenceReplyError extends Error {
  constructor(expected: string, got: string) {
    super(`Expected ${expected} in answer, got ${got}`);
    this.name = 'UnexpectedPresenceReplyError';
  }
}

/**
 * No node answered as the rendezvous node of a key this round: the cached one and the one a
 * fresh lookup named did not answer, or they sent the request round in a circle (a ring still
 * repairing itself). The last known status stands; the next refresh tries again.
 */
export class RendezvousUnreachableError extends Error {
  constructor(key: string, why: string) {
    super(`Could not reach the presence rendezvous node of ${key.slice(0, 8)}: ${why}`);
    this.name = 'RendezvousUnreachableError';
  }
}
