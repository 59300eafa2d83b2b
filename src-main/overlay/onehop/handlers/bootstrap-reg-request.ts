import { readId, readText } from '../../chord/message-fields.ts';
import { toPeer, toRef } from '../../chord/peer.ts';
import type { NodeRef } from '../../overlay.ts';
import { isDeparture, isPeerFailure, type OneHopCore } from '../onehop-core.ts';
import { MemberRefusedError } from '../onehop-errors.ts';
import { answer, refuse, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * A node asks to join (paper, section 4.2, Figure 3 (a)). I know every member, so I know its
 * successor: if that is me I take it in and answer with my whole table and the bindings it must
 * hold (Figure 3 (b)); otherwise I name its successor (Figure 3 (c)), so that the bindings are
 * handed over by the node that holds them, as in chord.
 */
export const bootstrapRegRequest: Handler = async (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const joiner = toPeer({ id: readId(message, 'nodeId'), url: readText(message, 'nodeUrl') });
  if (joiner.id !== from.id) return refuse(403, 'NodeID is not the sender’s');
  if (joiner.id === core.self.id) return refuse(409, 'NodeID is a member already');

  const { members } = core;
  const successor = members.after(joiner.position, 1, new Set([joiner.id]))[0] ?? core.self;
  if (successor.id !== core.self.id) {
    return answer({ kind: 'BootstrapForward', nodeId: successor.id, nodeUrl: successor.url });
  }

  const held = members.get(joiner.id);
  if (held?.status === 'alive' && (await stillThere(core, held))) {
    // A stale entry is not proof that the other holder of this key is gone: it was asked.
    return refuse(409, 'NodeID is a member already, and it answers');
  }
  // Its incarnation starts above anything known of an earlier run (a tombstone must not win).
  const incarnation = Math.max(Math.floor(core.now()), (held?.incarnation ?? 0) + 1);
  core.learn({ alive: [{ id: joiner.id, url: joiner.url, incarnation }], failed: [], left: [] });
  // Everything I hold outside (joiner, me]: its own range, and the replicas it now holds for the
  // members before it (I held them as the next member after them).
  const bindings = core.store.outside(joiner.position, core.self.position);
  if (core.handoverTo?.id === joiner.id) core.handoverTo = null; // it is in this answer
  return answer(core.memberList(bindings));
};

/** Whether the member holding this NodeID still answers as a member (one try). */
async function stillThere(core: OneHopCore, held: NodeRef): Promise<boolean> {
  try {
    await core.call(toRef(held), core.gossipFor(held), { attempts: 1 });
    return true;
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    // Silent, or "not a member" (a restarted node joining from the same address): gone.
    return error instanceof MemberRefusedError && !isDeparture(error);
  }
}
