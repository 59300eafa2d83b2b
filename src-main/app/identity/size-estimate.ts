import type { Overlay } from '../../overlay/overlay.ts';

const RING = 1n << 160n;
/** Nearest known nodes the density estimate uses: Chord's successor list (its fingers are farther). */
const NEAREST = 4;

/**
 * How many peers the identity overlay holds, from this node's own tables, asking nobody. One-hop
 * knows every member: it counts them. Chord knows O(log N) nodes, of which the nearest after me
 * are its successor list: its k-th successor at distance d, on a ring of 2^160 where SHA-1
 * NodeIDs fall evenly, means about (k-1)·2^160/d nodes in all (the unbiased form; with k = 4 one
 * node's estimate is often off by half, so a caller that decides on it should allow for that). A
 * node that knows at most 4 others is in a ring small enough that it knows them all, and
 * counts them.
 */
export function estimatePeers(overlay: Overlay): number {
  const others = (overlay.knownNodes?.() ?? []).filter((n) => n.id !== overlay.self.id);
  const counted = others.length + 1;
  if (overlay.algorithm === 'onehop' || others.length <= NEAREST) return counted;
  const from = BigInt(`0x${overlay.self.id}`);
  const gaps = others
    .map((n) => (BigInt(`0x${n.id}`) - from + RING) % RING)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const span = gaps[NEAREST - 1]!;
  const density = Number((BigInt(NEAREST - 1) * RING) / (span === 0n ? 1n : span));
  return Math.max(counted, Math.round(density));
}
