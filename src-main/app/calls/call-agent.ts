import { canonicalAor } from '../../sip/index.ts';
import type { SipRequest } from '../../sip/index.ts';
import type { Verified } from '../../trust/trust-layer.ts';
import type { Call, CallSnapshot } from './call.ts';
import type { CallContext, Dialog } from './dialog.ts';
import { countHops } from './hops.ts';
import { takeCall } from './incoming-call.ts';
import { placeCall } from './outgoing-call.ts';
import { takeReinvite } from './re-invite.ts';
import type { DialOptions } from './outgoing-call.ts';

type Admitted = Extract<Verified, { ok: true }>;

interface Entry {
  call: Call;
  dialog: Dialog;
  /** The 2xx this device keeps sending until the ACK of that CSeq arrives. */
  awaitingAck?: { cseq: number; acked: () => void };
}

/** What a peer does with a call when nobody decided otherwise: a headless peer has no one to ring. */
export const NOBODY_HERE = 'Temporarily Unavailable: nobody takes calls on this peer';

/**
 * This device's user agent for calls: places them, takes the ones delivered to it, and owns
 * their dialogs (BYE and ACK in both directions). Routing is not its business (call-router.ts).
 */
export class CallAgent {
  private readonly calls = new Map<string, Entry>();
  /** Decides about each incoming call: answer, reject, or let it ring and decide later. */
  onIncoming: (call: Call) => void = (call) => call.reject(480, NOBODY_HERE);
  readonly stats = { placed: 0, received: 0, answered: 0 };

  constructor(private readonly context: CallContext) {}

  /** Calls an AOR; the returned call says how it goes (`answered`, `ended`, `snapshot()`). */
  dial(target: string, options: DialOptions): Call {
    this.stats.placed++;
    const { call, dialog } = placeCall(this.context, target, options);
    this.keep(call, dialog);
    return call;
  }

  /** An INVITE meant for this device, already verified. */
  deliver(request: SipRequest, verified: Admitted): void {
    const { context } = this;
    const aor = canonicalAor(request.requestUri);
    if (aor !== context.self.aor && !request.requestUri.startsWith(context.stack.uri)) {
      request.respond(404, { reason: `Not Found: this device is ${context.self.aor}, not ${aor}` });
      return;
    }
    if (request.toTag !== undefined) {
      const known = this.calls.get(request.callId);
      if (!known || request.toTag !== known.dialog.localTag) {
        request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
        return;
      }
      const { call, dialog } = known;
      takeReinvite(context, dialog, call, request, verified.sender, verified.sdp, (acked) => {
        known.awaitingAck = { cseq: request.cseq, acked };
      });
      return;
    }
    if (this.calls.has(request.callId)) {
      request.respond(482, { reason: 'Loop Detected: this call already reached this device' });
      return;
    }
    this.stats.received++;
    const hops = countHops(request.viaPath, context.stack.hostport);
    const taken = takeCall(context, request, verified.sender, hops, verified.sdp);
    this.keep(taken.call, taken.dialog, { cseq: request.cseq, acked: taken.acked });
    if (taken.call.state !== 'ringing') return;
    taken.call.onChange((call) => {
      if (call.state === 'active') this.stats.answered++;
    });
    try {
      this.onIncoming(taken.call);
    } catch (error) {
      context.onError(error);
      taken.call.reject(500, 'Server Internal Error');
    }
  }

  /** BYE from the other party, already verified: 200 (signed), and the call ends. */
  onBye(request: SipRequest, verified: Admitted): void {
    const entry = this.calls.get(request.callId);
    const dialog = entry?.dialog;
    if (!entry || !dialog || request.toTag !== dialog.localTag || request.fromTag !== dialog.remoteTag) {
      request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
      return;
    }
    if (verified.sender.aor !== dialog.remoteAor) {
      request.respond(403, { reason: `Forbidden: only ${dialog.remoteAor} can end this call` });
      return;
    }
    this.context.trust.respond(request, 200, [], 'OK', { peerKey: `call:${dialog.remoteAor}` });
    entry.awaitingAck?.acked();
    entry.call.markEnded({ status: 200, reason: 'Call ended: the other side hung up', by: 'remote' });
  }

  /** The ACK for a 2xx this device sent (outside any transaction). Its signature must be the caller's. */
  onAck(ack: SipRequest): void {
    const entry = this.calls.get(ack.callId);
    const waiting = entry?.awaitingAck;
    if (!entry || !waiting || ack.toTag !== entry.dialog.localTag || ack.cseq !== waiting.cseq) return;
    const verified = this.context.trust.verifyRequest(ack);
    // A retransmitted ACK repeats a signature already seen: the first one confirmed the call.
    if (!verified.ok || verified.sender.aor !== entry.dialog.remoteAor) return;
    entry.awaitingAck = undefined;
    waiting.acked();
  }

  list(): CallSnapshot[] {
    return [...this.calls.values()].map((entry) => entry.call.snapshot());
  }

  /** Hangs up every call (the peer is leaving). */
  hangupAll(): void {
    for (const { call } of this.calls.values()) call.hangup();
  }

  private keep(call: Call, dialog: Dialog, awaitingAck?: Entry['awaitingAck']): void {
    this.calls.set(call.id, { call, dialog, awaitingAck });
    void call.ended.then(() => {
      // Late retransmissions of BYE are absorbed by their server transaction; a new BYE gets 481.
      this.calls.delete(call.id);
    });
  }
}
