import type { RingProblem } from '../../src-main/overlay/chord/index.ts';
import type { Prng } from '../../src-main/overlay/sim/prng.ts';
import type { RingCluster, RingMember } from './ring-cluster.ts';

/** How often the parent reads every peer's tables while it waits for a ring to be right. */
const POLL_MS = 1_000;

/**
 * Each member logs in and joins, one after another in the order given, through three random
 * peers already in the ring (the first creates it), as `chordline lab` does.
 */
export async function growRing(
  cluster: RingCluster,
  members: readonly RingMember[],
  prng: Prng,
  onJoined?: (done: number) => void,
): Promise<void> {
  for (const [i, member] of members.entries()) {
    await cluster.login(member);
    await cluster.join(member, cluster.bootstrapFor(prng));
    onJoined?.(i + 1);
  }
}

export interface RingWait {
  correct: boolean;
  /** Until every table was right (and stayed so to the end); null when they are not. */
  ms: number | null;
  /** Until every predecessor and successor list was first right (fingers may still be wrong). */
  linksMs: number | null;
  /** What was still wrong at the end (empty when correct). */
  problems: RingProblem[];
}

/**
 * Waits, at most `timeoutMs`, until every live peer's predecessor, successor list and fingers are
 * what the sorted NodeIDs say. `onCheck` sees each check's findings (and may run lookups); it
 * returns true to stop waiting.
 */
export async function waitForRing(
  cluster: RingCluster,
  timeoutMs: number,
  onCheck?: (problems: readonly RingProblem[], elapsedMs: number) => Promise<boolean> | boolean,
): Promise<RingWait> {
  const started = performance.now();
  const wait: RingWait = { correct: false, ms: null, linksMs: null, problems: [] };
  for (;;) {
    const checkedAt = performance.now();
    wait.problems = await cluster.problems();
    const elapsed = checkedAt - started;
    if (wait.linksMs === null && wait.problems.every((p) => p.what.startsWith('finger')))
      wait.linksMs = elapsed;
    if (wait.problems.length > 0) {
      wait.correct = false;
      wait.ms = null;
    } else if (!wait.correct) {
      wait.correct = true;
      wait.ms = elapsed;
    }
    const stop = (await onCheck?.(wait.problems, elapsed)) ?? wait.correct;
    if (stop || performance.now() - started >= timeoutMs) return wait;
    await sleep(Math.max(0, checkedAt + POLL_MS - performance.now()));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
