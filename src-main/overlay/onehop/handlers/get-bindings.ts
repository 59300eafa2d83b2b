import { BindingStore } from '../../chord/binding-store.ts';
import { readNodes, readText } from '../../chord/message-fields.ts';
import { toRef } from '../../chord/peer.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/** The live bindings of an AOR, from the owner, or from a replica when the sender avoids the owner. */
export const getBindings: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const aor = readText(message, 'aor');
  const avoid = new Set(readNodes(message, 'avoid').map((node) => node.id));
  const owner = core.members.owner(BindingStore.keyOf(aor), avoid);
  if (owner.id !== core.self.id) return answer({ kind: 'Redirect', next: toRef(owner) });
  return answer({ kind: 'Bindings', bindings: core.store.live(aor, core.now()) });
};
