import type { CallView } from '../../src-main/ipc/contract.ts';
import { userOf } from './address.ts';

/** The name to show for the other party: the contact's name, else the address's user part. */
export function peerLabel(call: Pick<CallView, 'peer' | 'peerName'>): string {
  return call.peerName ?? userOf(call.peer);
}

/** Where a call stands, in a few words (the timer takes over once it is answered). */
export function callStateText(call: CallView): string {
  switch (call.state) {
    case 'calling':
      return 'Calling…';
    case 'ringing':
      return call.direction === 'outgoing' ? 'Ringing…' : 'Incoming call';
    case 'active':
      return 'Connected';
    case 'ended':
      return callEndText(call);
  }
}

/** How a call ended: who hung up, or the core's reason when it never connected (busy, not found…). */
export function callEndText(call: CallView): string {
  const end = call.end;
  if (!end) return 'Call ended';
  if (call.answeredAt === null) return end.reason || 'Call ended';
  if (end.by === 'local') return 'You hung up';
  if (end.by === 'remote') return `${peerLabel(call)} hung up`;
  return end.reason || 'The connection was lost';
}

/** Who holds the call (CallView.hold), in words; null while nobody does. */
export function holdText(hold: CallView['hold']): string | null {
  switch (hold) {
    case 'none':
      return null;
    case 'local':
      return 'On hold';
    case 'remote':
      return 'The other side put you on hold';
    case 'both':
      return 'On hold, and the other side put you on hold too';
  }
}
