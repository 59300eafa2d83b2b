import { BindingStore } from '../binding-store.ts';
import { readNodes, readText } from '../message-fields.ts';
import { toRef } from '../peer.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * The live bindings of an AOR. With the asker's list of dead nodes, the successor of a dead
 * owner answers from its replica (its predecessor is among them).
 */
export const getBindings: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const aor = readText(message, 'aor');
  const avoid = new Set(readNodes(message, 'avoid').map((node) => node.id));
  const pred = core.tables.predecessor;
  if (pred && !core.tables.isResponsible(BindingStore.keyOf(aor), avoid)) {
    return answer({ kind: 'Redirect', next: toRef(pred) });
  }
  return answer({ kind: 'Bindings', bindings: core.store.live(aor, core.now()) });
};
