import { readBindings } from '../../chord/message-fields.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/** A replica push from an owner, or a binding handed back: merge, the newer write wins. */
export const storeBindings: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  core.mergeBindings(readBindings(message, 'bindings'));
  return answer({ kind: 'Ack' });
};
