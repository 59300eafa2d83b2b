import { toRef } from '../peer.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * Figure 3 (d): a newcomer asks me to point my fingers at it where it fits. I answer with my
 * predecessor, the next node that may need the same update (Chord's update_finger_table
 * recursion, driven by the newcomer: the paper's forward model).
 */
export const updateFingers: Handler = (core, from) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const changed = core.tables.fingers.consider(from);
  core.tables.successors.insert(from);
  const pred = core.tables.predecessor;
  return answer({ kind: 'FingersUpdated', changed, ...(pred ? { predecessor: toRef(pred) } : {}) });
};
