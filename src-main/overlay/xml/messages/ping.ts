import { emptyMessageCodec } from './empty-message.ts';

/**
 * Identity layer, chord: the refresh a node sends its predecessor every RefreshRate seconds (the
 * paper's REGISTER refresh, docs/PROTOCOL.md section 6): is it still alive and in the ring?
 * Answered with Pong, or with a Failure (480, 503) from a node that is no longer in the ring.
 * **[not in the paper]** the message.
 */
export interface Ping {
  readonly kind: 'Ping';
}

export const pingCodec = emptyMessageCodec<Ping>({ kind: 'Ping' });
