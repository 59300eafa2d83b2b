import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNode, parseRingNode } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: the answer to PutBinding or GetBindings from a node that is not
 * responsible for the AOR's key: "ask `next`" (its predecessor, which is). The sender repeats its
 * request there. **[not in the paper]**
 */
export interface Redirect {
  readonly kind: 'Redirect';
  readonly next: RingNode;
}

export const redirectCodec: MessageCodec<Redirect> = {
  element: 'Redirect',

  build(parent, message) {
    addRingNode(parent.ele('Redirect'), 'Next', message.next, 'Redirect/Next');
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Next' }]);
    return { kind: 'Redirect', next: parseRingNode(children.get('Next')![0]!, `${path}/Next`) };
  },
};
