import { emptyMessageCodec } from './empty-message.ts';

/** Identity layer, chord: the answer to Ping, "alive and in the ring". **[not in the paper]** */
export interface Pong {
  readonly kind: 'Pong';
}

export const pongCodec = emptyMessageCodec<Pong>({ kind: 'Pong' });
