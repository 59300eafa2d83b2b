import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, chord: the answer to GetBindings, the live registrations of the AOR (several
 * devices may register one AOR; none is an empty list). **[not in the paper]**
 */
export interface Bindings {
  readonly kind: 'Bindings';
  readonly bindings: readonly StoredBinding[];
}

export const bindingsCodec: MessageCodec<Bindings> = {
  element: 'Bindings',

  build(parent, message) {
    addBindings(parent.ele('Bindings'), message.bindings, 'Bindings');
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Binding', min: 0, max: Infinity }]);
    return { kind: 'Bindings', bindings: parseBindings(children, path) };
  },
};
