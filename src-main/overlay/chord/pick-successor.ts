import type { ChordCore } from './chord-core.ts';
import { firstAtOrAfter } from './finger-table.ts';
import type { Peer } from './peer.ts';
import { distance } from './ring.ts';

/**
 * The node stabilize notifies: my successor, unless another node in my tables (a finger, my
 * predecessor) that I have not declared dead lies nearer clockwise. Then that node is taken into
 * the successor list and asked instead, and stabilize walks back from it through predecessors.
 *
 * Chord only does this when every successor is gone (more than r - 1 neighbours died at once):
 * the nearest node I still know stands in. After a mass failure it is needed sooner: my
 * successor list may hold live nodes far ahead (copied from a successor whose own neighbours
 * died), while a finger knows a live node in between; without this check the list would only be
 * corrected once a node in between notices me, which, if nobody lists it either, never happens.
 */
export function pickSuccessor(core: ChordCore): Peer | null {
  const { tables, self } = core;
  const first = tables.successors.first;
  const known = tables.known().filter((node) => node.id !== self.id && !core.isDead(node.id));
  if (known.length === 0) return first;
  const nearest = firstAtOrAfter(self.position + 1n, known, self);
  if (first && distance(self.position, first.position) <= distance(self.position, nearest.position))
    return first;
  tables.successors.insert(nearest);
  return nearest;
}
