import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';

/**
 * Identity layer: how a request that travelled hop by hop through the overlay reached the
 * device that answers it (a call's INVITE, paper section 4.2). The device counts the peers that
 * proxied the request and says so in its signed 180 and 200, so that the caller can tell how far
 * its call travelled. **[not in the paper]**
 */
export interface Delivered {
  readonly kind: 'Delivered';
  /** Peers between caller and callee that proxied the request (0: the caller found the callee). */
  readonly hops: number;
}

export const deliveredCodec: MessageCodec<Delivered> = {
  element: 'Delivered',

  build(parent, message) {
    const element = parent.ele('Delivered');
    addLeaf(element, 'Hops', String(checkUint32(message.hops, 'Delivered/Hops')));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Hops' }]);
    return { kind: 'Delivered', hops: parseUint32(requiredText(children, 'Hops', path), `${path}/Hops`) };
  },
};
