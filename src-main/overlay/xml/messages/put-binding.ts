import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNodes, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';
import { addBinding, parseBinding } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, chord: put(). A device stores its registration at the node responsible for
 * SHA-1(AOR), which replicates it. Answered with Ack, or with Redirect when the receiver is not
 * (or no longer) responsible for that key. **[not in the paper]**
 */
export interface PutBinding {
  readonly kind: 'PutBinding';
  readonly binding: StoredBinding;
  /** Nodes the sender found dead while looking for the owner. */
  readonly avoid: readonly RingNode[];
}

const PATH = 'PutBinding';

export const putBindingCodec: MessageCodec<PutBinding> = {
  element: 'PutBinding',

  build(parent, message) {
    const element = parent.ele('PutBinding');
    addBinding(element, message.binding, `${PATH}/Binding`);
    addRingNodes(element, 'Avoid', message.avoid, PATH);
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'Binding' },
      { name: 'Avoid', min: 0, max: Infinity },
    ]);
    return {
      kind: 'PutBinding',
      binding: parseBinding(children.get('Binding')![0]!, `${path}/Binding`),
      avoid: parseRingNodes(children, 'Avoid', path),
    };
  },
};
