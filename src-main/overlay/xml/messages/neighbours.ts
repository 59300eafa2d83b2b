import type { MessageCodec } from '../message-codec.ts';
import { neighbourhoodCodec } from './neighbourhood.ts';
import type { RingNode } from './ring-node.ts';
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

export const neighboursCodec: MessageCodec<Neighbours> = neighbourhoodCodec('Neighbours');
