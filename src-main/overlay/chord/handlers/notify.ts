import type { StoredBinding } from '../chord-messages.ts';
import { toRef } from '../peer.ts';
import { between } from '../ring.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * The refresh from the node behind me (the paper's REGISTER refresh; Chord's notify). It answers
 * with my neighbours, which is the sender's stabilize.
 */
export const notify: Handler = (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const { tables, self } = core;
  // Chord's notify: "if predecessor is nil or n' in (predecessor, n), predecessor = n'".
  const pred = tables.predecessor;
  const takesOver = !pred || between(pred.position, from.position, self.position, '()');
  if (takesOver) core.setPredecessor(from);
  // In a ring smaller than r + 1 my predecessor is also in my successor list (the second node
  // of a ring becomes its first node's successor this way).
  core.consider(from);

  // Responsibility for (old predecessor, newcomer] moves to the newcomer now, in the same step
  // as the predecessor pointer, so no put can fall between the two. It also becomes a replica
  // holder of what I held for the nodes before it: it gets everything I hold outside my range.
  // It asks (handover: 1) until it has it, in case this answer is lost.
  let bindings: StoredBinding[] = [];
  if ((takesOver || message.handover === 1) && tables.predecessor?.id === from.id) {
    bindings = core.store.outside(from.position, self.position);
  }
  return answer({
    kind: 'Neighbours',
    ...(tables.predecessor ? { predecessor: toRef(tables.predecessor) } : {}),
    successors: tables.successors.list().map(toRef),
    bindings,
  });
};
