import type { MessageCodec } from '../message-codec.ts';
import { neighbourhoodCodec } from './neighbourhood.ts';
import type { RingNode } from './ring-node.ts';
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

export const leaveCodec: MessageCodec<Leave> = neighbourhoodCodec('Leave');
