import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import {
  addRingNode,
  addRingNodes,
  parseOptionalRingNode,
  parseRingNode,
  parseRingNodes,
} from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: the answer to FindSuccessor when the answering node knows the key's owner
 * (the key lies between it and one of its successors). **[not in the paper]**
 */
export interface FindSuccessorOK {
  readonly kind: 'FindSuccessorOK';
  /** The node responsible for the key. */
  readonly owner: RingNode;
  /** The node just before the owner, as far as the answering node knows; absent if unknown. */
  readonly predecessor?: RingNode;
  /** The nodes after the owner in the answering node's successor list: where replicas live. */
  readonly successors: readonly RingNode[];
}

const PATH = 'FindSuccessorOK';

export const findSuccessorOkCodec: MessageCodec<FindSuccessorOK> = {
  element: 'FindSuccessorOK',

  build(parent, message) {
    const element = parent.ele('FindSuccessorOK');
    addRingNode(element, 'Owner', message.owner, `${PATH}/Owner`);
    if (message.predecessor !== undefined) {
      addRingNode(element, 'Predecessor', message.predecessor, `${PATH}/Predecessor`);
    }
    addRingNodes(element, 'Successor', message.successors, PATH);
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'Owner' },
      { name: 'Predecessor', min: 0 },
      { name: 'Successor', min: 0, max: Infinity },
    ]);
    const ok: FindSuccessorOK = {
      kind: 'FindSuccessorOK',
      owner: parseRingNode(children.get('Owner')![0]!, `${path}/Owner`),
      successors: parseRingNodes(children, 'Successor', path),
    };
    const predecessor = parseOptionalRingNode(children, 'Predecessor', path);
    return predecessor === undefined ? ok : { ...ok, predecessor };
  },
};
