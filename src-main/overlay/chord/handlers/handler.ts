import type { OverlayMessage, OverlayReply } from '../../overlay.ts';
import type { ChordCore } from '../chord-core.ts';
import type { ChordAnswer } from '../chord-messages.ts';
import type { Peer } from '../peer.ts';

/** Answers one kind of request. `from` is the sender as the transport (and trust layer) vouch for it. */
export type Handler = (
  core: ChordCore,
  from: Peer,
  message: OverlayMessage,
) => OverlayReply | Promise<OverlayReply>;

export function answer(message: ChordAnswer): OverlayReply {
  return { ok: true, message: { ...message } };
}

export function refuse(status: number, reason: string): OverlayReply {
  return { ok: false, status, reason };
}

/**
 * Only a joined node speaks for the ring (docs/PROTOCOL.md section 6, codes in use): 480 from a
 * node that is not (yet) in it, 503 from one that is leaving.
 */
export function refuseUnlessMember(core: ChordCore): OverlayReply | null {
  if (core.state === 'joined') return null;
  if (core.state === 'leaving') return refuse(503, 'Leaving the ring; ask your successor');
  return refuse(480, 'Not in the ring');
}
