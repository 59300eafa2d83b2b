import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, optionalText, parseUint32, readChildren } from '../fields.ts';
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
  /**
   * 1: writes the sender took for keys outside its range (the owner was unreachable for the
   * putter); the receiver puts them again at the owner, should the sender die first.
   */
  readonly handBack?: number;
}

export const storeBindingsCodec: MessageCodec<StoreBindings> = {
  element: 'StoreBindings',

  build(parent, message) {
    const element = parent.ele('StoreBindings');
    if (message.handBack !== undefined) {
      addLeaf(element, 'HandBack', String(checkUint32(message.handBack, 'StoreBindings/HandBack')));
    }
    addBindings(element, message.bindings, 'StoreBindings');
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'HandBack', min: 0 },
      { name: 'Binding', min: 0, max: Infinity },
    ]);
    const handBack = optionalText(children, 'HandBack', path);
    const bindings = parseBindings(children, path);
    return handBack === undefined
      ? { kind: 'StoreBindings', bindings }
      : { kind: 'StoreBindings', bindings, handBack: parseUint32(handBack, `${path}/HandBack`) };
  },
};
