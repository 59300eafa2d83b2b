import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, chord: replication. The node responsible for some keys pushes their bindings to
 * its next k successors, which merge them (the newer write of a contact wins). Answered with Ack.
 * **[not in the paper]**
 */
export interface StoreBindings {
  readonly kind: 'StoreBindings';
  readonly bindings: readonly StoredBinding[];
}

export const storeBindingsCodec: MessageCodec<StoreBindings> = {
  element: 'StoreBindings',

  build(parent, message) {
    addBindings(parent.ele('StoreBindings'), message.bindings, 'StoreBindings');
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Binding', min: 0, max: Infinity }]);
    return { kind: 'StoreBindings', bindings: parseBindings(children, path) };
  },
};
