import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';
import { addRingNode, parseOptionalRingNode } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: the answer to UpdateFingers. The newcomer goes on to `predecessor`, as
 * Chord's update_finger_table recursion does, but driven by the newcomer (the paper's forward
 * model). **[not in the paper]**
 */
export interface FingersUpdated {
  readonly kind: 'FingersUpdated';
  /** How many of the answering node's fingers now point to the sender. */
  readonly changed: number;
  /** The answering node's predecessor: the next node that may need the update; absent if unknown. */
  readonly predecessor?: RingNode;
}

const PATH = 'FingersUpdated';

export const fingersUpdatedCodec: MessageCodec<FingersUpdated> = {
  element: 'FingersUpdated',

  build(parent, message) {
    const element = parent.ele('FingersUpdated');
    addLeaf(element, 'Changed', String(checkUint32(message.changed, `${PATH}/Changed`)));
    if (message.predecessor !== undefined) {
      addRingNode(element, 'Predecessor', message.predecessor, `${PATH}/Predecessor`);
    }
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Changed' }, { name: 'Predecessor', min: 0 }]);
    const updated: FingersUpdated = {
      kind: 'FingersUpdated',
      changed: parseUint32(requiredText(children, 'Changed', path), `${path}/Changed`),
    };
    const predecessor = parseOptionalRingNode(children, 'Predecessor', path);
    return predecessor === undefined ? updated : { ...updated, predecessor };
  },
};
