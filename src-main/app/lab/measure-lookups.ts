import type { Id } from '../../overlay/overlay.ts';
import type { Prng } from '../../overlay/sim/prng.ts';
import { LabInterruptedError } from './lab-errors.ts';
import type { JoinedMember } from './lab-network.ts';
import { within } from './wait-until.ts';

/** One lookup may take this long before it counts as failed (a hop times out in 0.5 s). */
const LOOKUP_DEADLINE_MS = 10_000;

/** What a round of lookups found. */
export interface LookupRound {
  lookups: number;
  failures: number;
  /** Hops (FindSuccessor requests sent) of each lookup that found the right owner. */
  hops: number[];
  /** Milliseconds of each lookup that found the right owner. */
  latenciesMs: number[];
  /** The first few failures, as sentences. */
  failed: string[];
}

export interface LookupOptions {
  /** Keys looked up from each node. */
  perNode: number;
  prng: Prng;
  /** Stop at the first failure (while waiting for a ring to heal, one is enough to try later). */
  stopAtFirstFailure?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * From every member, `perNode` random keys through overlay.route(key); each owner found is
 * checked against successor(key) among the members' sorted NodeIDs. One lookup at a time, so
 * that the latency measured is a lookup's, not a queue's.
 */
export async function measureLookups(
  members: readonly JoinedMember[],
  options: LookupOptions,
): Promise<LookupRound> {
  const owner = ownerFinder(members.map((m) => m.overlay.self.id));
  const round: LookupRound = { lookups: 0, failures: 0, hops: [], latenciesMs: [], failed: [] };
  const total = members.length * options.perNode;
  const fail = (why: string) => {
    round.failures++;
    if (round.failed.length < 5) round.failed.push(why);
  };
  for (const member of members) {
    for (let k = 0; k < options.perNode; k++) {
      if (options.signal?.aborted) throw new LabInterruptedError();
      const key = options.prng.id();
      const want = owner(key);
      const started = performance.now();
      round.lookups++;
      try {
        const result = await within(member.overlay.route(key), LOOKUP_DEADLINE_MS, () => {
          throw new Error(`no answer within ${LOOKUP_DEADLINE_MS / 1000} s`);
        });
        const ms = performance.now() - started;
        if (result.owner.id === want) {
          round.hops.push(result.hops);
          round.latenciesMs.push(ms);
        } else {
          fail(
            `${member.name} looked up ${key.slice(0, 8)} and was told ${result.owner.id.slice(0, 8)}, but its owner is ${want.slice(0, 8)}`,
          );
        }
      } catch (error) {
        if (options.signal?.aborted) throw new LabInterruptedError();
        fail(`${member.name} could not look up ${key.slice(0, 8)}: ${(error as Error).message}`);
      }
      options.onProgress?.(round.lookups, total);
      if (options.stopAtFirstFailure && round.failures > 0) return round;
    }
  }
  return round;
}

/** successor(key): the first NodeID at or after the key, wrapping round (fixed-width hex sorts as numbers). */
export function ownerFinder(ids: readonly Id[]): (key: Id) => Id {
  const sorted = [...ids].sort();
  return (key) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return sorted[lo === sorted.length ? 0 : lo];
  };
}
