import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';
import { addRingNode, addRingNodes, parseOptionalRingNode, parseRingNodes } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, chord: a node leaves gracefully, in a REGISTER with Expires: 0. Receivers drop
 * the sender and link its predecessor and successors together; its successor takes its bindings.
 * Answered with Ack.
 *
 * Paper, section 4.2: "A node gracefully exiting the P2P network sends a REGISTER message to the
 * peers in the finger table." **[not in the paper]** the message's name and fields.
 */
export interface Leave {
  readonly kind: 'Leave';
  /** The leaving node's predecessor; absent if unknown. */
  readonly predecessor?: RingNode;
  /** The leaving node's successor list, nearest first. */
  readonly successors: readonly RingNode[];
  /** Every binding the leaving node held; non-empty only in the message to its successor. */
  readonly bindings: readonly StoredBinding[];
}

const PATH = 'Leave';

export const leaveCodec: MessageCodec<Leave> = {
  element: 'Leave',

  build(parent, message) {
    const element = parent.ele('Leave');
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
    const leave: Leave = {
      kind: 'Leave',
      successors: parseRingNodes(children, 'Successor', path),
      bindings: parseBindings(children, path),
    };
    const predecessor = parseOptionalRingNode(children, 'Predecessor', path);
    return predecessor === undefined ? leave : { ...leave, predecessor };
  },
};
