/**
 * The calls in progress, as the shell sees them through `callChanged`: enough to draw the tray,
 * ring the notification and aim the Call menu's shortcuts. The core stays the one source of
 * truth; this is a view of its events.
 */
import type { CallView } from '../ipc/contract.ts';

export class CallBook {
  private readonly calls = new Map<string, CallView>();

  /** Replaces everything (at start, from listCalls). */
  reset(calls: readonly CallView[]): void {
    this.calls.clear();
    for (const call of calls) this.update(call);
  }

  update(call: CallView): void {
    if (call.state === 'ended') this.calls.delete(call.id);
    else this.calls.set(call.id, call);
  }

  list(): CallView[] {
    return [...this.calls.values()];
  }

  /** The call Answer and Decline act on: the oldest incoming call still ringing. */
  ringing(): CallView | null {
    return this.oldest((c) => c.direction === 'incoming' && c.state === 'ringing');
  }

  /** The call Hang Up acts on: the call in progress, else the outgoing call still being set up. */
  current(): CallView | null {
    return (
      this.oldest((c) => c.state === 'active') ??
      this.oldest((c) => c.direction === 'outgoing' && (c.state === 'calling' || c.state === 'ringing'))
    );
  }

  private oldest(match: (call: CallView) => boolean): CallView | null {
    let found: CallView | null = null;
    for (const call of this.calls.values()) {
      if (match(call) && (found === null || call.startedAt < found.startedAt)) found = call;
    }
    return found;
  }
}

/** Who the other party is, for a person: the contact's name, else the AOR without "sip:". */
export function partyName(call: Pick<CallView, 'peer' | 'peerName'>): string {
  return call.peerName ?? call.peer.replace(/^sips?:/, '');
}

/** The OS notification for a call, or null when it deserves none (only incoming calls ringing). */
export function incomingCallNotice(call: CallView): { title: string; body: string } | null {
  if (call.direction !== 'incoming' || call.state !== 'ringing') return null;
  const name = partyName(call);
  const aor = call.peer.replace(/^sips?:/, '');
  return {
    title: `${name} is calling`,
    // The AOR the caller's certificate proves, so a contact name cannot pass for someone else.
    body: name === aor ? 'Verified by their certificate' : `${aor}, verified by their certificate`,
  };
}
