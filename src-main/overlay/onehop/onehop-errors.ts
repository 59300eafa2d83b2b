import type { NodeRef } from '../overlay.ts';

/**
 * Named failures of the onehop algorithm, each with the SIP status that sip/ should answer or
 * report with (docs/PROTOCOL.md sections 6 and 9), so that no caller parses messages.
 */
export abstract class OneHopError extends Error {
  abstract readonly status: number;
}

/** route/put/get on a node that is not (or no longer) a member. */
export class NotAMemberError extends OneHopError {
  readonly status = 480;
  constructor(what: string) {
    super(`Cannot ${what}: this node is not a member of the overlay (join first)`);
    this.name = 'NotAMemberError';
  }
}

/** A join, put or get asked maxForwards nodes without an answer (SIP 483 Too Many Hops). */
export class TooManyHopsError extends OneHopError {
  readonly status = 483;
  constructor(what: string, hops: number) {
    super(`${what} gave up after asking ${hops} nodes (Max-Forwards exhausted)`);
    this.name = 'TooManyHopsError';
  }
}

/** Every bootstrap node refused, did not answer, or forwarded too often. */
export class OneHopJoinFailedError extends OneHopError {
  constructor(
    readonly status: number,
    readonly attempts: ReadonlyArray<{ node: NodeRef; reason: string }>,
  ) {
    super(
      `Could not join the overlay: ${attempts.map((a) => `${a.node.url}: ${a.reason}`).join('; ') || 'no bootstrap node other than this one to ask'}`,
    );
    this.name = 'OneHopJoinFailedError';
  }
}

/** Another node refused a request with a status (the Failure it answered). */
export class MemberRefusedError extends OneHopError {
  constructor(
    readonly node: NodeRef,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`Node ${node.id.slice(0, 8)} at ${node.url} refused: ${status} ${reason}`);
    this.name = 'MemberRefusedError';
  }
}

/** An incoming membership message whose fields are missing or of the wrong type (answered with 400). */
export class BadMemberMessageError extends OneHopError {
  readonly status = 400;
  constructor(kind: string, why: string) {
    super(`Malformed ${kind}: ${why}`);
    this.name = 'BadMemberMessageError';
  }
}

/** A node answered a request with a message kind that does not fit it. */
export class UnexpectedAnswerError extends OneHopError {
  readonly status = 502;
  constructor(node: NodeRef, expected: string, got: string) {
    super(`Node ${node.id.slice(0, 8)} answered ${got} where ${expected} was expected`);
    this.name = 'UnexpectedAnswerError';
  }
}
