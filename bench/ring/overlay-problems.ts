import { checkRing } from '../../src-main/overlay/chord/index.ts';
import type { RingProblem } from '../../src-main/overlay/chord/index.ts';
import { checkMembers } from '../../src-main/overlay/onehop/index.ts';
import type { OverlayState } from '../../src-main/overlay/overlay.ts';

/** The identity ring's successor list length (chord-settings.ts default), for the ring check. */
const SUCCESSORS = 4;

/**
 * What is wrong in the live peers' identity overlays, whichever algorithm runs them: for chord,
 * every predecessor, successor list and finger against the sorted NodeIDs (checkRing); for
 * onehop, every member table against the set of live peers (checkMembers). A peer whose layer
 * runs another algorithm than `algorithm` (a switch not over there) is wrong before anything else.
 */
export function overlayProblems(states: readonly OverlayState[], algorithm: string): RingProblem[] {
  const elsewhere = states
    .filter((s) => s.algorithm !== algorithm)
    .map((s) => ({ node: s.self.id, what: 'algorithm', expected: algorithm, actual: s.algorithm }));
  if (elsewhere.length > 0) return elsewhere;
  if (algorithm === 'onehop') {
    return checkMembers(states).map((p) => ({
      node: p.node,
      what: `members (${p.missing.length} missing, ${p.extra.length} not live)`,
      expected: 'every live peer, no other',
      actual: [
        ...p.missing.map((id) => `-${id.slice(0, 8)}`),
        ...p.extra.map((id) => `+${id.slice(0, 8)}`),
      ].join(' '),
    }));
  }
  return checkRing(states, { successors: SUCCESSORS });
}
