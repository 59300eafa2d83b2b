import { emptyMessageCodec } from './empty-message.ts';

/**
 * Identity layer, chord: a node that has joined asks another to consider it for each of its
 * fingers and its successor list. Answered with FingersUpdated.
 *
 * Paper, section 4.2 (Figure 3 (d)): the joining node ends by "sending out requests to update
 * finger table entries of other relevant nodes". **[not in the paper]** the message's name.
 */
export interface UpdateFingers {
  readonly kind: 'UpdateFingers';
}

export const updateFingersCodec = emptyMessageCodec<UpdateFingers>({ kind: 'UpdateFingers' });
