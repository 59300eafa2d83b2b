import type { Peer } from '../../chord/peer.ts';
import type { OverlayMessage, OverlayReply } from '../../overlay.ts';
import type { OneHopCore } from '../onehop-core.ts';
import type { OneHopAnswer } from '../onehop-messages.ts';

/** Answers one kind of request. `from` is the sender as the transport (and trust layer) vouch for it. */
export type Handler = (
  core: OneHopCore,
  from: Peer,
  message: OverlayMessage,
) => OverlayReply | Promise<OverlayReply>;

export function answer(message: OneHopAnswer): OverlayReply {
  return { ok: true, message: { ...message } };
}

export function refuse(status: number, reason: string): OverlayReply {
  return { ok: false, status, reason };
}

/** Only a joined node speaks for the overlay: 480 from one that is not a member, 503 from one leaving. */
export function refuseUnlessMember(core: OneHopCore): OverlayReply | null {
  if (core.state === 'joined') return null;
  if (core.state === 'leaving') return refuse(503, 'Leaving the overlay; ask another member');
  return refuse(480, 'Not a member of the overlay');
}
