import type { OverlayReply } from '../../overlay.ts';
import type { ChordCore } from '../chord-core.ts';
import type { BootstrapOKMessage } from '../chord-messages.ts';
import { readId, readText } from '../message-fields.ts';
import { toPeer, type Peer } from '../peer.ts';
import { between, toId } from '../ring.ts';
import { answer, refuse, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * A node asks for its place in the ring (paper, section 4.2, Figure 3 (a)). The answering node
 * does not take the newcomer as its predecessor yet: that happens when the newcomer's Notify
 * arrives, together with the handover of its keys, so that a lost BootstrapOK can simply be
 * asked for again and no key is ever without a node answering for it.
 */
export const bootstrapRegRequest: Handler = (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const joiner = toPeer({ id: readId(message, 'nodeId'), url: readText(message, 'nodeUrl') });
  if (joiner.id !== from.id) return refuse(403, 'NodeID is not the sender’s');
  if (joiner.id === core.self.id) return refuse(409, 'NodeID already in the ring');

  // Figure 3 (b): "it checks the identity to see if joining node will be its neighbor. In that
  // case, it updates its finger table with the user identity information from the registration
  // and sends out a reply to the REGISTER message with a successXML body".
  if (isSuccessorOf(core, joiner)) {
    core.tables.fingers.consider(joiner);
    return welcome(core);
  }

  // Figure 3 (c): "Otherwise it forwards the address and identity of the closest successor from
  // its finger table." My successor when it is the newcomer's; else the closest node before it.
  const successor = core.tables.successor();
  const next = between(core.self.position, joiner.position, successor.position, '(]')
    ? successor
    : (core.tables.closestPreceding(joiner.position, new Set()) ?? successor);
  return answer({ kind: 'BootstrapForward', nodeId: next.id, nodeUrl: next.url });
};

/**
 * Whether the newcomer's id falls in (predecessor, me]. Without a predecessor (it just died) the
 * nearest node before me that I know stands in for it; stabilization corrects any error.
 */
function isSuccessorOf(core: ChordCore, joiner: Peer): boolean {
  const { tables } = core;
  if (tables.isAlone()) return true;
  const before = tables.predecessor ?? tables.closestPreceding(core.self.position, new Set());
  return !before || between(before.position, joiner.position, core.self.position, '(]');
}

/**
 * The successXML. Section 5.2: "the joining node gets its position in the chord network through
 * the predecessor and successor information. It also receives a copy of the [...] finger table
 * as a starting point to build its finger table." The table is mine (I am the successor; its
 * far fingers are the newcomer's too), sent where the node changes (docs/PROTOCOL.md).
 */
function welcome(core: ChordCore): OverlayReply {
  const { tables, self } = core;
  const predecessor = tables.predecessor ?? (tables.isAlone() ? self : null);
  const ok: BootstrapOKMessage = {
    kind: 'BootstrapOK',
    nodeId: self.id,
    successor: { nodeId: self.id, nodeUrl: self.url },
    ...(predecessor ? { predecessor: { nodeId: predecessor.id, nodeUrl: predecessor.url } } : {}),
    refreshRate: Math.max(1, Math.round(core.refreshMs / 1000)),
    fingerTable: tables.fingers.entries().map((entry) => ({
      start: toId(entry.start),
      nodeId: entry.node.id,
      nodeUrl: entry.node.url,
    })),
  };
  return answer(ok);
}
