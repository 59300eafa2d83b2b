import type { RingView } from '../../src-main/ipc/contract.ts';

export interface FingerRange {
  /** 1-based finger numbers, inclusive. */
  from: number;
  to: number;
  /** The first of these fingers' starts (self + 2^(from-1)). */
  start: string;
  node: RingView['fingers'][number]['node'];
}

/**
 * Consecutive fingers that point at the same node, as one row. In a ring of a few dozen peers
 * most of the 160 fingers land on the successor; listing them one by one would hide the rest.
 */
export function fingerRanges(fingers: RingView['fingers']): FingerRange[] {
  const ranges: FingerRange[] = [];
  fingers.forEach((finger, index) => {
    const last = ranges[ranges.length - 1];
    if (last && last.node.id === finger.node.id) last.to = index + 1;
    else ranges.push({ from: index + 1, to: index + 1, start: finger.start, node: finger.node });
  });
  return ranges;
}
