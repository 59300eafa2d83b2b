import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkNodeId, checkSipUrl, readChildren, requiredText } from '../fields.ts';

/**
 * Identity layer, chord: "not here, ask that node" (the joining node repeats its
 * BootstrapRegRequest there).
 *
 * Paper, section 4.2 (Figure 3 (c)): "Otherwise it forwards the address and identity of the
 * closest successor from its finger table." As in Chord's find_successor, the node named is the
 * closest node preceding the joining NodeID that the answering node knows.
 */
export interface BootstrapForward {
  readonly kind: 'BootstrapForward';
  readonly nodeId: string;
  readonly nodeUrl: string;
}

export const bootstrapForwardCodec: MessageCodec<BootstrapForward> = {
  element: 'BootstrapForward',

  build(parent, message) {
    const element = parent.ele('BootstrapForward');
    addLeaf(element, 'NodeID', checkNodeId(message.nodeId, 'BootstrapForward/NodeID'));
    addLeaf(element, 'NodeURL', checkSipUrl(message.nodeUrl, 'BootstrapForward/NodeURL'));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'NodeID' }, { name: 'NodeURL' }]);
    return {
      kind: 'BootstrapForward',
      nodeId: checkNodeId(requiredText(children, 'NodeID', path), `${path}/NodeID`),
      nodeUrl: checkSipUrl(requiredText(children, 'NodeURL', path), `${path}/NodeURL`),
    };
  },
};
