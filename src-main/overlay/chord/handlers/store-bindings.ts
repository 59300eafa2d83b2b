import { readBindings } from '../message-fields.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * A replica push from an owner (or a handover): merge, newer write wins. With `handBack: 1` the
 * sender took the write for a key outside its range; I put it again at the owner later, should
 * the sender die before doing so.
 */
export const storeBindings: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const bindings = readBindings(message, 'bindings');
  core.mergeBindings(bindings);
  if (message.handBack === 1) core.holdForOwner(bindings);
  return answer({ kind: 'Ack' });
};
