import { isPeerFailure, type ChordCore } from './chord-core.ts';
import type { Leave } from './chord-messages.ts';
import { toRef, type Peer } from './peer.ts';

/**
 * Graceful leave (paper, section 4.2: "A node gracefully exiting the P2P network sends a REGISTER
 * message to the peers in the finger table"; over SIP, a REGISTER with Expires: 0). The successor
 * gets every binding this node held (it becomes the owner of this node's keys and already holds
 * their replicas; the rest is merged, never lost), then the predecessor, the other successors and
 * the fingers are told. While leaving the node refuses requests with 503, so that nobody routes
 * through it meanwhile.
 */
export async function leaveRing(core: ChordCore): Promise<void> {
  const { tables } = core;
  core.state = 'leaving';
  const successors = [...tables.successors.list()];
  const predecessor = tables.predecessor;
  const base: Leave = {
    kind: 'Leave',
    ...(predecessor ? { predecessor: toRef(predecessor) } : {}),
    successors: successors.map(toRef),
    bindings: [],
  };

  let heir: Peer | null = null;
  const bindings = core.store.all();
  for (const successor of successors) {
    try {
      await core.call(successor, { ...base, bindings });
      heir = successor;
      break;
    } catch (error) {
      if (!isPeerFailure(error)) throw error; // dead or leaving too: the next successor inherits
    }
  }

  // The predecessor links up with my successors: worth the usual retries. The rest would find
  // out on their next refresh anyway: one try each.
  if (predecessor && predecessor.id !== heir?.id) await core.call(predecessor, base).catch(() => undefined);
  const others = new Map<string, Peer>();
  for (const node of [...successors, ...tables.fingers.distinct()]) {
    if (node.id !== core.self.id && node.id !== heir?.id && node.id !== predecessor?.id)
      others.set(node.id, node);
  }
  await Promise.all(
    [...others.values()].map((node) => core.call(node, base, { attempts: 1 }).catch(() => undefined)),
  );

  core.resetTables();
  core.store.clear();
  core.state = 'left';
}
