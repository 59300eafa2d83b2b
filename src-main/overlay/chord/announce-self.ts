import type { OverlayMessage } from '../overlay.ts';
import { isRouteFailure, type ChordCore } from './chord-core.ts';
import { findSuccessor } from './lookup.ts';
import { readNodes } from './message-fields.ts';
import type { Peer } from './peer.ts';
import { distance } from './ring.ts';

/*
 * Chord's invariant seen from a node: its predecessor's successor is itself. After a mass failure
 * it can break for good. The live node before a run of dead ones may take as successor a node
 * beyond me, while I keep as predecessor a live node that notified me once and no longer does; or
 * I have no predecessor at all. Then nobody lists me, lookups of my keys end elsewhere, and no
 * stabilize ever reaches me. So check_predecessor asks the predecessor for its successor list
 * (GetNeighbours rather than a Ping: the same one request, a longer answer), and a node with no
 * predecessor, or whose predecessor does not point back to it, checks that the ring still
 * reaches it (announceSelf).
 */

/** Whether a GetNeighbours answer from my predecessor names me as its successor. */
export function pointsToMe(core: ChordCore, reply: OverlayMessage): boolean {
  return reply.kind === 'Neighbours' && readNodes(reply, 'successors')[0]?.id === core.self.id;
}

/**
 * Checks that the ring still reaches me: a lookup of my own id, asked at my predecessor (or, with
 * none, at the farthest node I know: my own tables would answer me), must end here. No hop
 * forwards a lookup of my id to me; it ends at the node whose list covers my id. If that list
 * names another owner, the node (the answer's predecessor, whose list skips me) is told with
 * UpdateFingers, which takes me into its successor list; its next stabilize notifies me and the
 * ring runs through me again. A lookup that cannot finish is tried again next period.
 */
export async function announceSelf(core: ChordCore): Promise<void> {
  const { self, tables } = core;
  if (core.state !== 'joined' || tables.isAlone()) return;
  const via = tables.predecessor ?? farthest(core);
  if (!via) return;
  let found;
  try {
    found = await findSuccessor(core, self.position, { start: via });
  } catch (error) {
    if (!isRouteFailure(error)) throw error;
    return;
  }
  const skipping = found.predecessor;
  if (found.owner.id === self.id || !skipping || skipping.id === self.id) return;
  await core.call(skipping, { kind: 'UpdateFingers' }).catch((error: unknown) => {
    if (!isRouteFailure(error)) throw error;
    core.suspect(skipping, error);
  });
}

/** The known node farthest round the ring from me (not declared dead). */
function farthest(core: ChordCore): Peer | null {
  const me = core.self.position;
  let best: Peer | null = null;
  for (const node of core.tables.known()) {
    if (node.id === core.self.id || core.isDead(node.id)) continue;
    if (!best || distance(me, node.position) > distance(me, best.position)) best = node;
  }
  return best;
}
