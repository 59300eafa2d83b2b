import { emptyMessageCodec } from './empty-message.ts';

/**
 * Identity layer, chord: "who are your neighbours?", answered with Neighbours (without bindings).
 * A node asks one of its fingers, to learn whether a node closer to the finger's start has
 * joined. **[not in the paper]**
 */
export interface GetNeighbours {
  readonly kind: 'GetNeighbours';
}

export const getNeighboursCodec = emptyMessageCodec<GetNeighbours>({ kind: 'GetNeighbours' });
