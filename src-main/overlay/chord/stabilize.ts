import type { NodeRef, OverlayMessage } from '../overlay.ts';
import { failureKind, isPeerFailure, isRouteFailure, type ChordCore } from './chord-core.ts';
import { UnexpectedReplyError } from './chord-errors.ts';
import type { StoredBinding } from './chord-messages.ts';
import { firstAtOrAfter, isCloser } from './finger-table.ts';
import { findSuccessor } from './lookup.ts';
import { readBindings, readNodes, readOptionalNode } from './message-fields.ts';
import { toPeer, type Peer } from './peer.ts';
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
    const successor = tables.successors.first ?? recoverSuccessor(core);
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
    if (
      x &&
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
 * Every successor is gone (more than r - 1 neighbours died at once): the nearest node I still
 * know clockwise stands in, and stabilize walks back from it through predecessors.
 */
function recoverSuccessor(core: ChordCore): Peer | null {
  const { tables, self } = core;
  const known = tables.known().filter((node) => node.id !== self.id && !core.isDead(node.id));
  if (known.length === 0) return null;
  const nearest = firstAtOrAfter(self.position + 1n, known, self);
  if (nearest.id === self.id) return null;
  tables.successors.insert(nearest);
  return nearest;
}

/** Chord's check_predecessor, as the refresh toward the predecessor. */
export async function checkPredecessor(core: ChordCore): Promise<void> {
  const pred = core.tables.predecessor;
  if (!pred || core.state !== 'joined') return;
  try {
    await core.call(pred, { kind: 'Ping' });
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    core.refreshFailed(pred, error);
  }
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
    if (between(self.position, start, successor.position, '(]')) {
      fingers.set(i, successor);
    } else if (previous && between(self.position, start, previous.position, '(]')) {
      fingers.set(i, previous);
    } else if (pred && between(pred.position, start, self.position, '(]')) {
      fingers.set(i, self);
    } else {
      spent++;
      await fixFinger(core, i);
    }
  }
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
  try {
    fingers.set(i, (await findSuccessor(core, start)).owner);
  } catch (error) {
    if (!isRouteFailure(error)) throw error; // the next cycle tries again
    if (closer) fingers.set(i, closer);
  }
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
