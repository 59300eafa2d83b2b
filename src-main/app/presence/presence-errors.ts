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
