import type { NodeRef } from '../overlay.ts';

/**
 * Named failures of the Chord algorithm. Each carries the SIP status that sip/ should answer or
 * report with (docs/PROTOCOL.md section 6, "Codes in use"), so that no caller parses messages.
 */
export abstract class ChordError extends Error {
  abstract readonly status: number;
}

/** route/put/get/leave on a node that is not (or no longer) in the ring. */
export class NotJoinedError extends ChordError {
  readonly status = 480;
  constructor(what: string) {
    super(`Cannot ${what}: this node is not in the ring (join first)`);
    this.name = 'NotJoinedError';
  }
}

/** A join or lookup asked maxForwards nodes without an answer (SIP 483 Too Many Hops). */
export class TooManyHopsError extends ChordError {
  readonly status = 483;
  constructor(what: string, hops: number) {
    super(`${what} gave up after asking ${hops} nodes (Max-Forwards exhausted)`);
    this.name = 'TooManyHopsError';
  }
}

/** No live node is known that could get a lookup closer to its key (every candidate failed). */
export class NoRouteError extends ChordError {
  readonly status = 480;
  constructor(key: string, tried: number) {
    super(`No route toward key ${key.slice(0, 8)}: ${tried} nodes failed to answer`);
    this.name = 'NoRouteError';
  }
}

/** Every bootstrap node refused, did not answer, or forwarded too often. */
export class JoinFailedError extends ChordError {
  constructor(
    readonly status: number,
    readonly attempts: ReadonlyArray<{ node: NodeRef; reason: string }>,
  ) {
    super(
      `Could not join the ring: ${attempts.map((a) => `${a.node.url}: ${a.reason}`).join('; ') || 'no bootstrap node other than this one to ask'}`,
    );
    this.name = 'JoinFailedError';
  }
}

/** Another node refused a request with a status (the Failure it answered). */
export class PeerRefusedError extends ChordError {
  constructor(
    readonly node: NodeRef,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`Node ${node.id.slice(0, 8)} at ${node.url} refused: ${status} ${reason}`);
    this.name = 'PeerRefusedError';
  }
}

/** An incoming message whose fields are missing or of the wrong type (answered with 400). */
export class BadChordMessageError extends ChordError {
  readonly status = 400;
  constructor(kind: string, why: string) {
    super(`Malformed ${kind}: ${why}`);
    this.name = 'BadChordMessageError';
  }
}

/** A node answered a request with a message kind that does not fit it. */
export class UnexpectedReplyError extends ChordError {
  readonly status = 502;
  constructor(node: NodeRef, expected: string, got: string) {
    super(`Node ${node.id.slice(0, 8)} answered ${got} where ${expected} was expected`);
    this.name = 'UnexpectedReplyError';
  }
}
