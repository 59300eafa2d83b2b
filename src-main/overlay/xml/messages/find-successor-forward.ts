import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNode, parseRingNode } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: the answer to FindSuccessor when the answering node does not know the
 * key's owner; the asker repeats its FindSuccessor at `next`. As BootstrapForward does for a join
 * (paper, section 4.2, Figure 3 (c)), `next` is the closest node preceding the key that the
 * answering node knows. **[not in the paper]** the message.
 */
export interface FindSuccessorForward {
  readonly kind: 'FindSuccessorForward';
  readonly next: RingNode;
}

export const findSuccessorForwardCodec: MessageCodec<FindSuccessorForward> = {
  element: 'FindSuccessorForward',

  build(parent, message) {
    const element = parent.ele('FindSuccessorForward');
    addRingNode(element, 'Next', message.next, 'FindSuccessorForward/Next');
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Next' }]);
    return { kind: 'FindSuccessorForward', next: parseRingNode(children.get('Next')![0]!, `${path}/Next`) };
  },
};
