import { emptyMessageCodec } from './empty-message.ts';

/**
 * Identity layer, chord: "done", the answer to Leave, StoreBindings and PutBinding.
 * **[not in the paper]**
 */
export interface Ack {
  readonly kind: 'Ack';
}

export const ackCodec = emptyMessageCodec<Ack>({ kind: 'Ack' });
