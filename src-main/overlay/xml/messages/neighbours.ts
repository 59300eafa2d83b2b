import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNode, addRingNodes, parseOptionalRingNode, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, chord: a node's view of its neighbours, the answer to Notify and GetNeighbours.
 * For the notifying node it is Chord's stabilize: "is there a node between my successor and me?"
 * **[not in the paper]**
 */
export interface Neighbours {
  readonly kind: 'Neighbours';
  /** Absent while the answering node knows no predecessor. */
  readonly predecessor?: RingNode;
  /** The answering node's successor list, nearest first, without itself. */
  readonly successors: readonly RingNode[];
  /**
   * In the answer to a Notify whose sender has just become the answering node's predecessor (or
   * that asks with handover 1): every binding it holds outside (sender, answering node], which the
   * sender must now hold. Empty otherwise.
   */
  readonly bindings: readonly StoredBinding[];
}

const PATH = 'Neighbours';

export const neighboursCodec: MessageCodec<Neighbours> = {
  element: 'Neighbours',

  build(parent, message) {
    const element = parent.ele('Neighbours');
    if (message.predecessor !== undefined) {
      addRingNode(element, 'Predecessor', message.predecessor, `${PATH}/Predecessor`);
    }
    addRingNodes(element, 'Successor', message.successors, PATH);
    addBindings(element, message.bindings, PATH);
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'Predecessor', min: 0 },
      { name: 'Successor', min: 0, max: Infinity },
      { name: 'Binding', min: 0, max: Infinity },
    ]);
    const neighbours: Neighbours = {
      kind: 'Neighbours',
      successors: parseRingNodes(children, 'Successor', path),
      bindings: parseBindings(children, path),
    };
    const predecessor = parseOptionalRingNode(children, 'Predecessor', path);
    return predecessor === undefined ? neighbours : { ...neighbours, predecessor };
  },
};
