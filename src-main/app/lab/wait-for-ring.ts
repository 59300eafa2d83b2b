import { checkRing } from '../../overlay/chord/index.ts';
import type { RingProblem } from '../../overlay/chord/index.ts';
import type { JoinedMember, LabNetwork } from './lab-network.ts';
import { waitUntil } from './wait-until.ts';

export interface RingCheck {
  correct: boolean;
  /** What is still wrong when the wait gave up (empty when correct). */
  problems: RingProblem[];
}

/**
 * Every node's predecessor, successor list and fingers compared with what the sorted NodeIDs of
 * `members` say they must be (checkRing), against the ring's own r and finger count.
 */
export function ringProblems(network: LabNetwork, members: readonly JoinedMember[]): RingProblem[] {
  return checkRing(
    members.map((m) => m.overlay.state()),
    { successors: network.chord.successors, fingers: network.chord.fingers },
  );
}

/**
 * Waits, at most `timeoutMs`, until the ring of `members` is exactly right. Checked again
 * whenever a node announces new tables (at most every 50 ms: a check of 200 nodes costs a few
 * milliseconds), and every half second regardless.
 */
export async function waitForRing(
  network: LabNetwork,
  members: readonly JoinedMember[],
  options: {
    timeoutMs: number;
    signal?: AbortSignal;
    /** Sees every check's findings (to note when only fingers were still wrong). */
    onCheck?: (problems: readonly RingProblem[]) => void;
  },
): Promise<RingCheck> {
  let problems: RingProblem[] = [];
  const check = () => {
    problems = ringProblems(network, members);
    options.onCheck?.(problems);
    return problems.length === 0;
  };
  const correct = await waitUntil(check, {
    timeoutMs: options.timeoutMs,
    pollMs: 500,
    minGapMs: 50,
    onChange: (wake) => network.changes.subscribe(wake),
    signal: options.signal,
  });
  return { correct, problems };
}
