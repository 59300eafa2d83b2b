import { randomUUID } from 'node:crypto';
import { MediaChangeError, placeholderSdp } from '../app/calls/index.ts';
import type { Call, CallAgent } from '../app/calls/index.ts';
import type { CallView, MediaOffer } from '../ipc/contract.ts';
import { PHONE_ERROR_CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import type { NewHistoryEntry } from './call-history.ts';

export interface CallDeskContext {
  agent: CallAgent;
  /** This device's address for the SDP (voice is issue 5; until then the SDP says "inactive"). */
  address: () => string;
  nameOf: (aor: string) => string | null;
  changed: (view: CallView) => void;
  ended: (entry: NewHistoryEntry) => void;
  /** The other side sent a new offer: the UI answers it with answerMedia. */
  offered: (offer: MediaOffer) => void;
}

/**
 * The phone's calls as the UI sees them: incoming calls ring here until the person answers or
 * declines (a headless peer would refuse them), every change is an event, and every call that
 * ends goes into the history. The call's own state machine is app/calls/call.ts:
 *
 * ```
 *   outgoing:  calling ──▶ ringing ──▶ active ──▶ ended
 *   incoming:              ringing ──answer()──▶ active ──hangup() / BYE──▶ ended
 *                          ringing ──decline() / caller cancels──▶ ended (missed)
 * ```
 */
export class CallDesk {
  private readonly calls = new Map<string, Call>();
  /** New offers waiting for the UI's answer, by offerId. */
  private readonly offers = new Map<string, { callId: string; answer: (sdp: string | undefined) => void }>();

  constructor(private readonly context: CallDeskContext) {
    context.agent.onIncoming = (call) => this.track(call);
  }

  /** Without an SDP (a call placed without media), the offer is inactive audio. */
  dial(aor: string, sdp?: string): CallView {
    const call = this.context.agent.dial(aor, { sdp: sdp ?? placeholderSdp(this.context.address()) });
    this.track(call);
    return this.view(call);
  }

  answer(id: string, sdp?: string): void {
    const call = this.find(id);
    if (call.direction !== 'incoming' || call.state !== 'ringing') {
      throw new PhoneCommandError(
        PHONE_ERROR_CODES.noSuchCall,
        `That call cannot be answered: it is ${call.state === 'active' ? 'already answered' : call.state}`,
      );
    }
    call.answer(sdp ?? placeholderSdp(this.context.address()));
  }

  /** Sends the UI's new offer (hold, resume) as a re-INVITE; resolves with the other side's answer. */
  async updateMedia(id: string, sdp: string): Promise<{ sdp: string }> {
    const call = this.find(id);
    try {
      return { sdp: await call.updateMedia(sdp) };
    } catch (error) {
      if (error instanceof MediaChangeError) {
        throw new PhoneCommandError(PHONE_ERROR_CODES.mediaRefused, error.message);
      }
      throw new PhoneCommandError(PHONE_ERROR_CODES.mediaRefused, (error as Error).message);
    }
  }

  /** The UI's answer to a `mediaOffer` (none: it cannot take the offer). */
  answerMedia(offerId: string, sdp?: string): void {
    const offer = this.offers.get(offerId);
    if (!offer) {
      throw new PhoneCommandError(
        PHONE_ERROR_CODES.noSuchCall,
        'That change of the call is over (the other side gave up waiting, or the call ended)',
      );
    }
    this.offers.delete(offerId);
    offer.answer(sdp);
  }

  decline(id: string): void {
    const call = this.find(id);
    if (call.direction !== 'incoming' || call.state !== 'ringing') {
      throw new PhoneCommandError(
        PHONE_ERROR_CODES.noSuchCall,
        'Only a ringing incoming call can be declined; hang up the others',
      );
    }
    call.reject(603, 'Decline');
  }

  hangup(id: string): void {
    this.find(id).hangup();
  }

  list(): CallView[] {
    return [...this.calls.values()].map((call) => this.view(call));
  }

  hangupAll(): void {
    for (const call of this.calls.values()) call.hangup();
  }

  private find(id: string): Call {
    const call = this.calls.get(id);
    if (!call) {
      throw new PhoneCommandError(
        PHONE_ERROR_CODES.noSuchCall,
        'That call is over (or never reached this phone)',
      );
    }
    return call;
  }

  private track(call: Call): void {
    this.calls.set(call.id, call);
    call.onOffer = (sdp) =>
      new Promise((resolve) => {
        const offerId = randomUUID();
        this.offers.set(offerId, { callId: call.id, answer: resolve });
        // The agent stops waiting after OFFER_ANSWER_MS; the entry goes with the call.
        void call.ended.then(() => this.offers.delete(offerId));
        setTimeout(() => this.offers.delete(offerId), 30_000).unref();
        this.context.offered({ callId: call.id, offerId, sdp });
      });
    call.onChange((changed) => {
      if (changed.state === 'ended') this.finish(changed);
      else this.context.changed(this.view(changed));
    });
    if (call.state === 'ended') this.finish(call);
    else this.context.changed(this.view(call));
  }

  private finish(call: Call): void {
    if (!this.calls.delete(call.id)) return;
    const view = this.view(call);
    this.context.ended({
      id: view.id,
      direction: view.direction,
      peer: view.peer,
      startedAt: view.startedAt,
      answeredAt: view.answeredAt,
      endedAt: view.endedAt ?? Date.now(),
      status: view.end?.status ?? 0,
      reason: view.end?.reason ?? '',
      missed: view.direction === 'incoming' && view.answeredAt === null,
    });
    this.context.changed(view);
  }

  private view(call: Call): CallView {
    return {
      id: call.id,
      direction: call.direction,
      state: call.state,
      peer: call.peer,
      peerName: this.context.nameOf(call.peer),
      hops: call.hops ?? null,
      startedAt: call.startedAt,
      answeredAt: call.answeredAt ?? null,
      endedAt: call.endedAt ?? null,
      end: call.end ? { ...call.end } : null,
      remoteSdp: call.remoteSdp ?? null,
      hold: call.heldByUs ? (call.heldByThem ? 'both' : 'local') : call.heldByThem ? 'remote' : 'none',
    };
  }
}
