import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkNodeId, readChildren, requiredText } from '../fields.ts';
import { addRingNodes, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: one hop of an iterative lookup, "which node is responsible for `key`, or
 * who is closer to it?" Answered with FindSuccessorOK or FindSuccessorForward.
 *
 * The paper's forward model, as for joins (section 4.2, Figure 3 (c)): the asking node sends each
 * REGISTER itself and follows the node named in the answer. **[not in the paper]** the message.
 */
export interface FindSuccessor {
  readonly kind: 'FindSuccessor';
  /** The ring position looked up, written like a NodeID (SHA-1 of an AOR, or a finger's start). */
  readonly key: string;
  /** Nodes the asker found dead during this lookup; the answer never names them. */
  readonly avoid: readonly RingNode[];
}

const PATH = 'FindSuccessor';

export const findSuccessorCodec: MessageCodec<FindSuccessor> = {
  element: 'FindSuccessor',

  build(parent, message) {
    const element = parent.ele('FindSuccessor');
    addLeaf(element, 'Key', checkNodeId(message.key, `${PATH}/Key`));
    addRingNodes(element, 'Avoid', message.avoid, PATH);
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Key' }, { name: 'Avoid', min: 0, max: Infinity }]);
    return {
      kind: 'FindSuccessor',
      key: checkNodeId(requiredText(children, 'Key', path), `${path}/Key`),
      avoid: parseRingNodes(children, 'Avoid', path),
    };
  },
};
