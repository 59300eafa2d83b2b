import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNode, addRingNodes, parseOptionalRingNode, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/** A predecessor if known, a successor list nearest first, and bindings (Neighbours, Leave). */
export interface Neighbourhood<K extends string> {
  readonly kind: K;
  readonly predecessor?: RingNode;
  readonly successors: readonly RingNode[];
  readonly bindings: readonly StoredBinding[];
}

/** The codec of a message shaped as docs/p2p.xsd's NeighbourhoodType, under element `kind`. */
export function neighbourhoodCodec<K extends string>(kind: K): MessageCodec<Neighbourhood<K>> {
  return {
    element: kind,

    build(parent, message) {
      const element = parent.ele(kind);
      if (message.predecessor !== undefined) {
        addRingNode(element, 'Predecessor', message.predecessor, `${kind}/Predecessor`);
      }
      addRingNodes(element, 'Successor', message.successors, kind);
      addBindings(element, message.bindings, kind);
    },

    parse(element, path) {
      const children = readChildren(element, path, [
        { name: 'Predecessor', min: 0 },
        { name: 'Successor', min: 0, max: Infinity },
        { name: 'Binding', min: 0, max: Infinity },
      ]);
      const message: Neighbourhood<K> = {
        kind,
        successors: parseRingNodes(children, 'Successor', path),
        bindings: parseBindings(children, path),
      };
      const predecessor = parseOptionalRingNode(children, 'Predecessor', path);
      return predecessor === undefined ? message : { ...message, predecessor };
    },
  };
}
