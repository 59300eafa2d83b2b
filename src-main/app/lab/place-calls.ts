import type { Prng } from '../../overlay/sim/prng.ts';
import { placeholderSdp } from '../calls/index.ts';
import { LabInterruptedError } from './lab-errors.ts';
import type { JoinedMember } from './lab-network.ts';

/** A call that is not answered by then counts as failed (a hop's timeout is 2 s; detours add up). */
const RING_TIMEOUT_MS = 15_000;

/** What a round of calls found. */
export interface CallRound {
  calls: number;
  failures: number;
  /** INVITE to 200 OK, in milliseconds, of each answered call. */
  setupMs: number[];
  /** Peers between caller and callee (as the callee counted them) of each answered call. */
  hops: number[];
  /** The first few failures, as sentences. */
  failed: string[];
}

export interface CallOptions {
  count: number;
  prng: Prng;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * `count` calls between random pairs of members, one at a time (so that setup time is a call's,
 * not a queue's). Every member answers at once (like `chordline peer --auto-answer`); each
 * caller hangs up as soon as its call is answered, and the round waits for the BYE's answer.
 */
export async function placeCalls(members: readonly JoinedMember[], options: CallOptions): Promise<CallRound> {
  const round: CallRound = { calls: 0, failures: 0, setupMs: [], hops: [], failed: [] };
  for (const m of members) m.node.calls.onIncoming = (call) => call.answer(placeholderSdp('127.0.0.1'));
  for (let i = 0; i < options.count; i++) {
    if (options.signal?.aborted) throw new LabInterruptedError();
    const from = members[options.prng.below(members.length)];
    let to = members[options.prng.below(members.length - 1)];
    if (to === from) to = members[members.length - 1];
    round.calls++;
    const call = from.node.dial(to.node.identity.aor, {
      sdp: placeholderSdp('127.0.0.1'),
      ringTimeoutMs: RING_TIMEOUT_MS,
    });
    if (await call.answered) {
      const { setupMs } = call.snapshot();
      round.setupMs.push(setupMs ?? 0);
      if (call.hops !== undefined) round.hops.push(call.hops);
      call.hangup();
    } else {
      round.failures++;
      const end = await call.ended;
      if (round.failed.length < 5)
        round.failed.push(`${from.name} called ${to.name}: ${end.status} ${end.reason}`);
    }
    await call.ended;
    options.onProgress?.(round.calls, options.count);
  }
  return round;
}
