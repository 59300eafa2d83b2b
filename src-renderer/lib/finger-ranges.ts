import type { RingView } from '../../src-main/ipc/contract.ts';

/** The last finger: identifiers are 160 bits. */
const LAST_FINGER = 160;

export interface FingerRange {
  /** 1-based finger numbers, inclusive. */
  from: number;
  to: number;
  /** The first of these fingers' starts (self + 2^(from-1)). */
  start: string;
  node: RingView['fingers'][number]['node'];
}

/**
 * The fingers as ranges that point at one node each. The core sends a row where the node
 * changes (each row stands for the fingers up to the next); rows that name the same node one
 * after the other are merged too. In a ring of a few dozen peers most of the 160 fingers land on
 * the successor; listing them one by one would hide the rest.
 */
export function fingerRanges(fingers: RingView['fingers']): FingerRange[] {
  const ranges: FingerRange[] = [];
  fingers.forEach((row, index) => {
    const to = (fingers[index + 1]?.finger ?? LAST_FINGER + 1) - 1;
    const last = ranges[ranges.length - 1];
    if (last && last.node.id === row.node.id) last.to = to;
    else ranges.push({ from: row.finger, to, start: row.start, node: row.node });
  });
  return ranges;
}

/** How many fingers the ranges stand for. */
export function fingerCount(ranges: readonly FingerRange[]): number {
  return ranges.reduce((count, range) => count + range.to - range.from + 1, 0);
}
