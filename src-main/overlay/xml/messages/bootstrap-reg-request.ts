import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkNodeId, checkSipUrl, readChildren, requiredText } from '../fields.ts';

/**
 * Identity layer, chord: a joining node asks a bootstrap node for its place in the ring.
 *
 * Paper, section 4.2 (Figure 3 (a)): "The joining node sends a REGISTER message to the bootstrap
 * node." Section 5.2 carries Certificate and Signature inside this element; here they live in the
 * envelope, shared by every overlay part of the body.
 */
export interface BootstrapRegRequest {
  readonly kind: 'BootstrapRegRequest';
  /** The joining node's identifier (the SHA-1 of its public key). */
  readonly nodeId: string;
  /** Where the joining node receives SIP requests. */
  readonly nodeUrl: string;
}

export const bootstrapRegRequestCodec: MessageCodec<BootstrapRegRequest> = {
  element: 'BootstrapRegRequest',

  build(parent, message) {
    const element = parent.ele('BootstrapRegRequest');
    addLeaf(element, 'NodeID', checkNodeId(message.nodeId, 'BootstrapRegRequest/NodeID'));
    addLeaf(element, 'NodeURL', checkSipUrl(message.nodeUrl, 'BootstrapRegRequest/NodeURL'));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'NodeID' }, { name: 'NodeURL' }]);
    return {
      kind: 'BootstrapRegRequest',
      nodeId: checkNodeId(requiredText(children, 'NodeID', path), `${path}/NodeID`),
      nodeUrl: checkSipUrl(requiredText(children, 'NodeURL', path), `${path}/NodeURL`),
    };
  },
};
