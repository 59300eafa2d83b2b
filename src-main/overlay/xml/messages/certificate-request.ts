import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkBase64, checkNodeId, readChildren, requiredText } from '../fields.ts';

/**
 * Trust layer, login-server: the joining node asks the login server for a certificate.
 *
 * Paper, section 4.1 (Figure 2 (b)): "a joining node sends a SIP REGISTER method that includes
 * its public key and node identity as the body." Section 5.1 shows the element names kept here.
 */
export interface CertificateRequest {
  readonly kind: 'CertificateRequest';
  /** SHA-1 over the DER SubjectPublicKeyInfo in `pubKey`, 40 lowercase hex digits. */
  readonly nodeId: string;
  /** The DER SubjectPublicKeyInfo of the node's RSA key, base64. */
  readonly pubKey: string;
}

export const certificateRequestCodec: MessageCodec<CertificateRequest> = {
  element: 'CertificateRequest',

  build(parent, message) {
    const element = parent.ele('CertificateRequest');
    addLeaf(element, 'NodeID', checkNodeId(message.nodeId, 'CertificateRequest/NodeID'));
    addLeaf(element, 'PubKey', checkBase64(message.pubKey, 'CertificateRequest/PubKey'));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'NodeID' }, { name: 'PubKey' }]);
    return {
      kind: 'CertificateRequest',
      nodeId: checkNodeId(requiredText(children, 'NodeID', path), `${path}/NodeID`),
      pubKey: checkBase64(requiredText(children, 'PubKey', path), `${path}/PubKey`),
    };
  },
};
