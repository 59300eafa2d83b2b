import type { NodeRef, OverlayMessage } from '../overlay.ts';
import { isPeerFailure, isRouteFailure, type ChordCore } from './chord-core.ts';
import {
  ChordError,
  JoinFailedError,
  PeerRefusedError,
  TooManyHopsError,
  UnexpectedReplyError,
} from './chord-errors.ts';
import { findSuccessor } from './lookup.ts';
import { readBootstrapOk, readId, readText, type BootstrapPlace } from './message-fields.ts';
import { toRef, type Peer } from './peer.ts';
import { replicate } from './replication.ts';
import { between } from './ring.ts';
import { stabilize } from './stabilize.ts';
import { updateOthers } from './update-others.ts';

/**
 * Joining the ring, paper section 4.2 and Figure 3: ask a bootstrap node, follow its forwards
 * until one answers BootstrapOK, take the place it names, then tell the nodes concerned.
 */
export async function join(core: ChordCore, bootstrap: readonly NodeRef[]): Promise<void> {
  core.state = 'joining';
  const tried: Array<{ node: NodeRef; reason: string }> = [];
  let status = 480;
  for (const node of bootstrap) {
    if (node.url === core.self.url || node.id === core.self.id) continue;
    try {
      const ok = await findPlace(core, node);
      await takePlace(core, ok);
      return;
    } catch (error) {
      if (!(error instanceof ChordError) && !isPeerFailure(error)) throw error;
      tried.push({ node: toRef(node), reason: error.message });
      status = error instanceof ChordError ? error.status : 408;
      // 409: our NodeID is in the ring already; another bootstrap node will say the same.
      if (status === 409) break;
    }
  }
  core.state = 'failed';
  throw new JoinFailedError(status, tried);
}

/**
 * Figure 3 (a)-(c): "If it is a P2P forward message Figure 3 (c) then the joining node, sends a
 * REGISTER message to the address obtained in the P2P body of the REGISTER reply. This step is
 * continued until the joining node receives a P2P success or a failure in its REGISTER reply."
 * Each REGISTER carries one Max-Forwards less. A node named in a forward that does not answer
 * (it died, and the ring has not noticed yet) is stepped around with a lookup of our own id.
 */
async function findPlace(core: ChordCore, bootstrap: NodeRef): Promise<BootstrapPlace> {
  const { self, settings } = core;
  const request = { kind: 'BootstrapRegRequest' as const, nodeId: self.id, nodeUrl: self.url };
  const avoid = new Map<string, NodeRef>();
  let at: NodeRef = bootstrap;
  for (let forwards = 0; ;) {
    let reply: OverlayMessage;
    try {
      reply = await core.call(at, request, { maxForwards: settings.maxForwards - forwards });
    } catch (error) {
      if (at === bootstrap || !isPeerFailure(error) || error instanceof PeerRefusedError) throw error;
      avoid.set(at.id, toRef(at));
      at = (await findSuccessor(core, self.position, { start: bootstrap, avoid })).owner;
      forwards++;
      continue;
    }
    if (reply.kind === 'BootstrapOK') return readBootstrapOk(reply);
    if (reply.kind !== 'BootstrapForward')
      throw new UnexpectedReplyError(at, 'BootstrapOK or BootstrapForward', reply.kind);
    forwards++;
    if (forwards >= settings.maxForwards) throw new TooManyHopsError('Join', forwards);
    const next = { id: readId(reply, 'nodeId'), url: readText(reply, 'nodeUrl') };
    if (next.id === self.id) {
      throw new PeerRefusedError(
        at,
        409,
        'this NodeID is still in the ring (an earlier run?); try again after it expires',
      );
    }
    at = next;
  }
}

/**
 * Figure 3 (b) to (d): "If it is a P2P success reply Figure 3 (b) then it inserts itself into the
 * P2P structure by updating its predecessor and successor nodes, its finger table and by sending
 * out requests to update finger table entries of other relevant nodes (Figure 3 (d))."
 * Every step after taking the place is best effort: the refresh repairs what a lost datagram
 * leaves undone.
 */
async function takePlace(core: ChordCore, place: BootstrapPlace): Promise<void> {
  const { self, tables } = core;
  if (place.successor.id === self.id)
    throw new UnexpectedReplyError(place.successor, 'another node as successor', 'this node');
  const predecessor = place.predecessor?.id === self.id ? null : place.predecessor;
  core.resetTables();
  tables.successors.adopt(place.successor, []);
  core.setPredecessor(predecessor);
  // Section 5.2: "It also receives a copy of the [...] finger table as a starting point to build
  // its finger table": each of my fingers starts as the first node it names at or after its start.
  const named = place.fingers.filter((node) => node.id !== self.id);
  tables.fingers.fill([place.successor, ...(predecessor ? [predecessor] : []), ...named]);
  if (place.refreshRate >= 1) core.refreshMs = place.refreshRate * 1000;
  core.state = 'joined';

  // Tell my successor (its Notify answer hands over my keys and gives me its successor list),
  // then build my fingers, then tell the nodes whose fingers should point to me (my predecessor
  // first: its successor is me now).
  await stabilize(core);
  await buildFingers(core);
  await updateOthers(core);
  await replicate(core);
}

/**
 * init_finger_table: one lookup per distinct finger. A finger whose start lies before the
 * previous finger's node is that node again, so a ring of N nodes costs about log2(N) lookups
 * of about log2(N)/2 hops: the O(log² N) messages of a Chord join.
 */
export async function buildFingers(core: ChordCore): Promise<void> {
  const { fingers } = core.tables;
  const me = core.self.position;
  let previous: Peer | null = null;
  for (let i = fingers.first; i <= fingers.last && core.state === 'joined'; i++) {
    const start = fingers.start(i);
    if (previous && between(me, start, previous.position, '(]')) {
      fingers.set(i, previous);
      continue;
    }
    try {
      previous = (await findSuccessor(core, start)).owner;
      fingers.set(i, previous);
    } catch (error) {
      if (!isRouteFailure(error)) throw error;
      previous = null; // keep the starting guess; fixFingers comes back to it
    }
  }
}
