// The chord algorithm of the identity layer (paper, sections 3.1, 4.2 and 5.2).

export { chord } from './chord.ts';
export { ChordNode } from './chord-node.ts';
export type { RingPosition } from './chord-node.ts';
export type { ChordNodeState } from './chord-node-state.ts';
export { resolveChordSettings, InvalidChordSettingsError } from './chord-settings.ts';
export type { ChordSettings, ResolvedChordSettings } from './chord-settings.ts';
export {
  BadChordMessageError,
  ChordError,
  JoinFailedError,
  NoRouteError,
  NotJoinedError,
  PeerRefusedError,
  TooManyHopsError,
  UnexpectedReplyError,
} from './chord-errors.ts';
export type * from './chord-messages.ts';
export { between, distance, fingerStart, idOf, toId, toPosition, ID_BITS, RING_SIZE } from './ring.ts';
export { checkRing, idealRing } from './check-ring.ts';
export type { RingProblem, IdealNode } from './check-ring.ts';
