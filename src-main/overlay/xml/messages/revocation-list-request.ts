import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';

/**
 * Trust layer, login-server: a node asks for the revocation list newer than the version it holds.
 * The paper is silent on revocation; see docs/PROTOCOL.md, "Revocation".
 */
export interface RevocationListRequest {
  readonly kind: 'RevocationListRequest';
  /** The Version of the newest RevocationList the node holds; 0 when it holds none. */
  readonly since: number;
}

export const revocationListRequestCodec: MessageCodec<RevocationListRequest> = {
  element: 'RevocationListRequest',

  build(parent, message) {
    const element = parent.ele('RevocationListRequest');
    addLeaf(element, 'Since', String(checkUint32(message.since, 'RevocationListRequest/Since')));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Since' }]);
    return {
      kind: 'RevocationListRequest',
      since: parseUint32(requiredText(children, 'Since', path), `${path}/Since`),
    };
  },
};
