import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkSipUrl, readChildren, requiredText } from '../fields.ts';
import { addRingNodes, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Identity layer, chord: get(). A caller asks the node responsible for SHA-1(AOR) for the live
 * bindings of that AOR. Answered with Bindings, or with Redirect. **[not in the paper]**
 */
export interface GetBindings {
  readonly kind: 'GetBindings';
  /** The address of record, sip:user@domain. */
  readonly aor: string;
  /** Nodes the sender found dead while looking for the owner. */
  readonly avoid: readonly RingNode[];
}

const PATH = 'GetBindings';

export const getBindingsCodec: MessageCodec<GetBindings> = {
  element: 'GetBindings',

  build(parent, message) {
    const element = parent.ele('GetBindings');
    addLeaf(element, 'AOR', checkSipUrl(message.aor, `${PATH}/AOR`));
    addRingNodes(element, 'Avoid', message.avoid, PATH);
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'AOR' }, { name: 'Avoid', min: 0, max: Infinity }]);
    return {
      kind: 'GetBindings',
      aor: checkSipUrl(requiredText(children, 'AOR', path), `${path}/AOR`),
      avoid: parseRingNodes(children, 'Avoid', path),
    };
  },
};
