import { BindingStore } from '../binding-store.ts';
import { storeAsOwner } from '../binding-requests.ts';
import { readBinding, readNodes } from '../message-fields.ts';
import { toRef } from '../peer.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * Store a binding as its owner. A node whose predecessor has taken the key over (a join the
 * sender's lookup did not see yet) redirects there instead of keeping a copy nobody will ask.
 */
export const putBinding: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const binding = readBinding(message, 'binding');
  const avoid = new Set(readNodes(message, 'avoid').map((node) => node.id));
  const pred = core.tables.predecessor;
  if (pred && !core.tables.isResponsible(BindingStore.keyOf(binding.aor), avoid)) {
    return answer({ kind: 'Redirect', next: toRef(pred) });
  }
  storeAsOwner(core, binding);
  return answer({ kind: 'Ack' });
};
