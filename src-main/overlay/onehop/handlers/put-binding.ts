import { BindingStore } from '../../chord/binding-store.ts';
import { readBinding, readNodes } from '../../chord/message-fields.ts';
import { toRef } from '../../chord/peer.ts';
import { storeAsOwner } from '../bindings.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * Store a binding as its owner. If by my table another member owns the key (one the sender has
 * not heard of yet), redirect there; the nodes the sender found silent are skipped, so that the
 * next member in id order answers for a dead owner.
 */
export const putBinding: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const binding = readBinding(message, 'binding');
  const avoid = new Set(readNodes(message, 'avoid').map((node) => node.id));
  const owner = core.members.owner(BindingStore.keyOf(binding.aor), avoid);
  if (owner.id !== core.self.id) return answer({ kind: 'Redirect', next: toRef(owner) });
  storeAsOwner(core, binding);
  return answer({ kind: 'Ack' });
};
