import type { Id, NodeRef, Overlay } from '../../overlay/overlay.ts';

/**
 * Who answers for `key` as the rendezvous node, asked by a node of the presence ring that got a
 * publication or a subscription for it: `undefined` for "this node", or the node to send the
 * requester on to (a Redirect).
 *
 * Publishers and watchers go straight to the node they found last time (rendezvous-cache.ts), so
 * the node they reach may have lost the key since (a node joined just before it and took the
 * key over). It must say so, or the publisher and the watchers of an AOR could stay at different
 * nodes. Its own tables tell it in the common cases:
 * - `here`: the key is in its range;
 * - `owner`: the key lies between it and one of its successors: not its own, and that node's;
 * - `closer`: either its predecessor took the key over, or it does not know its predecessor
 *   (a ring repairing itself). Only a lookup from here can tell, so it makes one; this is the
 *   rare case, right after the ring changed.
 * When it cannot tell (not in the ring, or no route), it serves, as every node did before
 * requests went to cached nodes: soft state at a wrong node lapses within its lifetime.
 */
export async function responsibleNode(ring: Overlay, key: Id): Promise<NodeRef | undefined> {
  let hop;
  try {
    hop = ring.nextHop(key);
  } catch {
    return undefined;
  }
  switch (hop.kind) {
    case 'here':
    case 'none':
      return undefined;
    case 'owner':
      return hop.node.id === ring.self.id ? undefined : hop.node;
    case 'closer':
      try {
        const { owner } = await ring.route(key);
        return owner.id === ring.self.id ? undefined : owner;
      } catch {
        return undefined;
      }
  }
}
