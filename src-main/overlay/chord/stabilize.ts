import type { NodeRef, OverlayMessage } from '../overlay.ts';
import { failureKind, isPeerFailure, isRouteFailure, type ChordCore } from './chord-core.ts';
import { announceSelf, pointsToMe } from './announce-self.ts';
import { UnexpectedReplyError } from './chord-errors.ts';
import type { StoredBinding } from './chord-messages.ts';
import { isCloser } from './finger-table.ts';
import { findSuccessor } from './lookup.ts';
import { readBindings, readNodes, readOptionalNode } from './message-fields.ts';
import { toPeer, type Peer } from './peer.ts';
import { pickSuccessor } from './pick-successor.ts';
import { between } from './ring.ts';

/**
 * The periodic refresh (paper, section 4.2: "Nodes exiting ungracefully must be discovered
 * through REGISTER refresh messages. When a node (a predecessor or a successor) discovers a
 * failure, it enters a recovery mode where it tries to form the P2P structure again"). Each
 * period a node refreshes toward its successor (Chord's stabilize and notify), toward its
 * predecessor (check_predecessor), and checks a few fingers (fix_fingers).
 */

interface NeighboursReply {
  predecessor: Peer | null;
  successors: Peer[];
  bindings: StoredBinding[];
}

function readNeighbours(from: NodeRef, reply: OverlayMessage): NeighboursReply {
  if (reply.kind !== 'Neighbours') throw new UnexpectedReplyError(from, 'Neighbours', reply.kind);
  return {
    predecessor: readOptionalNode(reply, 'predecessor'),
    successors: readNodes(reply, 'successors'),
    bindings: readBindings(reply, 'bindings'),
  };
}

/**
 * Chord's stabilize: "x = successor.predecessor; if x in (n, successor), successor = x;
 * successor.notify(n)", with the notify and the question in one request, and the successor's
 * list copied into mine. A successor that misses settings.failures refreshes in a row is dropped
 * and the next one in the list takes its place (the ring repairs itself from the successor list).
 */
export async function stabilize(core: ChordCore): Promise<void> {
  const { tables, self } = core;
  for (let round = 0; round <= core.settings.successors + 1 && core.state === 'joined'; round++) {
    const successor = pickSuccessor(core);
    if (!successor) return;
    let reply: NeighboursReply;
    try {
      const handover = core.handoverFrom === successor.id ? 0 : 1;
      const message = await core.call(successor, { kind: 'Notify', handover });
      reply = readNeighbours(successor, message);
    } catch (error) {
      if (!isPeerFailure(error)) throw error;
      const gone = core.refreshFailed(successor, error);
      // Probe the rest of the list now, so that a run of dead successors is dropped in the
      // same period rather than one per period.
      if (failureKind(error) === 'silent') await probeSuccessors(core);
      if (!gone && tables.successors.first?.id === successor.id) return;
      continue;
    }
    const x = reply.predecessor;
    // The successor took me as its predecessor: what it handed over is mine to hold (as
    // owner of the keys between us, or as replica of the nodes before me).
    if (x?.id === self.id && core.handoverFrom !== successor.id) {
      core.mergeBindings(reply.bindings);
      core.handoverFrom = successor.id;
    }
    // My predecessor as successor: right in a ring of two (and then x is me). Otherwise it
    // stands in because I know nobody ahead, and walking back from it would go round the
    // nodes behind me and close them into a ring of their own. It stays until the node after
    // me finds me again (announce-self.ts).
    const standIn = successor.id === tables.predecessor?.id;
    if (
      x &&
      !standIn &&
      x.id !== self.id &&
      between(self.position, x.position, successor.position, '()') &&
      core.consider(x)
    ) {
      continue; // x is my successor now: notify it in the next round
    }
    tables.successors.adopt(
      successor,
      reply.successors.filter((node) => !core.isDead(node.id)),
    );
    return;
  }
}

/** Pings every successor after the first; each silence counts as a miss. */
async function probeSuccessors(core: ChordCore): Promise<void> {
  const rest = core.tables.successors.list().slice(1);
  await Promise.all(
    rest.map(async (node) => {
      try {
        await core.call(node, { kind: 'Ping' });
      } catch (error) {
        if (!isPeerFailure(error)) throw error;
        core.refreshFailed(node, error);
      }
    }),
  );
}

/**
 * Chord's check_predecessor, as the refresh toward the predecessor: it is asked for its
 * neighbours, and a node with no predecessor, or whose predecessor does not point back to it,
 * checks that the ring still reaches it (announce-self.ts).
 */
export async function checkPredecessor(core: ChordCore): Promise<void> {
  const pred = core.tables.predecessor;
  if (core.state !== 'joined') return;
  if (!pred) return announceSelf(core);
  let reply: OverlayMessage;
  try {
    reply = await core.call(pred, { kind: 'GetNeighbours' });
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    core.refreshFailed(pred, error);
    return;
  }
  if (!pointsToMe(core, reply)) await announceSelf(core);
}

/**
 * Chord's fix_fingers, a few per period (settings.fingersPerRefresh), cycling through the table.
 * A finger whose start lies before the previous finger's node is that node again, for free. Any
 * other is checked with one GetNeighbours to its node: if that node's predecessor still lies
 * before the finger's start, the finger is right. Only a finger found wrong (a newcomer is
 * closer, or the node is gone) costs a lookup.
 */
export async function fixFingers(core: ChordCore, budget = core.settings.fingersPerRefresh): Promise<void> {
  const { tables, self } = core;
  const { fingers } = tables;
  const count = fingers.last - fingers.first + 1;
  let spent = 0;
  for (let visited = 0; visited < count && spent < budget && core.state === 'joined'; visited++) {
    const i = core.nextFinger;
    core.nextFinger = i === fingers.last ? fingers.first : i + 1;
    const start = fingers.start(i);
    const previous = i > fingers.first ? fingers.node(i - 1) : null;
    const successor = tables.successor();
    const pred = tables.predecessor;
    let free: Peer | null = null;
    if (between(self.position, start, successor.position, '(]')) free = successor;
    else if (previous && between(self.position, start, previous.position, '(]')) free = previous;
    else if (pred && between(pred.position, start, self.position, '(]')) free = self;
    if (free && !contradicts(core, i, free)) {
      fingers.set(i, free);
    } else {
      spent++;
      await fixFinger(core, i);
    }
  }
}

/**
 * Whether finger i names a node nearer its start than `node`, the answer the other tables give
 * for free. Then they contradict each other: after mass failures my successor or predecessor may
 * stand in from far away until stabilize walks back, and overwriting the finger would lose the
 * only pointer to that part of the ring; or the finger's node is dead. fixFinger asks it.
 */
function contradicts(core: ChordCore, i: number, node: Peer): boolean {
  const { fingers } = core.tables;
  const current = fingers.node(i);
  return current.id !== core.self.id && isCloser(fingers.start(i), current, node);
}

async function fixFinger(core: ChordCore, i: number): Promise<void> {
  const { fingers } = core.tables;
  const start = fingers.start(i);
  const current = fingers.node(i);
  let closer: Peer | null = null;
  if (current.id !== core.self.id) {
    try {
      const reply = readNeighbours(current, await core.call(current, { kind: 'GetNeighbours' }));
      const y = reply.predecessor;
      if (!y || y.id === core.self.id || core.isDead(y.id) || !isCloser(start, y, current)) return;
      closer = y;
    } catch (error) {
      if (!isPeerFailure(error)) throw error;
      core.suspect(current, error);
    }
  }
  let owner: Peer;
  try {
    owner = (await findSuccessor(core, start)).owner;
  } catch (error) {
    if (!isRouteFailure(error)) throw error; // the next cycle tries again
    if (closer) fingers.set(i, closer);
    return;
  }
  // Not a node I declared dead: the node that named it may not have noticed yet, and a dead
  // name over a live finger would lose the live node.
  if (core.isDead(owner.id)) {
    if (closer) fingers.set(i, closer);
    return;
  }
  fingers.set(i, owner);
}

/**
 * Partition healing (not in the paper, nor in Chord's stabilization): once per period, one node
 * declared dead is pinged again. If it answers it is in the ring again, or in the ring the other
 * side of a partition formed meanwhile: each takes the other into its tables (UpdateFingers makes
 * it consider me), and stabilization interleaves the two rings from there.
 */
export async function probeGraveyard(core: ChordCore): Promise<void> {
  const node = core.nextGrave();
  if (!node || core.state !== 'joined') return;
  try {
    await core.call(node, { kind: 'Ping' }, { attempts: 1 });
    await core.call(node, { kind: 'UpdateFingers' }, { attempts: 1 });
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    return;
  }
  core.resurrected(node);
  core.consider(toPeer(node));
}
