import type { OverlayPart } from '../../overlay/xml/index.ts';
import type { SipRequest } from '../../sip/index.ts';
import type { Sender } from '../../trust/trust-layer.ts';
import { Call } from './call.ts';
import type { CallActions } from './call.ts';
import { hangupActive } from './dialog.ts';
import type { CallContext, Dialog } from './dialog.ts';
import { sendReinvite } from './re-invite.ts';
import { resendUntilAcked } from './resend-until-acked.ts';

/** Which identity overlay delivered the call, for the Delivered part; chord when unsaid. */
export interface DeliveredBy {
  identityOverlay?(): { layer: string; algorithm: string };
}

export interface IncomingCall {
  call: Call;
  dialog: Dialog;
  /** The caller's ACK for our 2xx arrived: stop retransmitting it. */
  acked(): void;
}

/**
 * Takes a call delivered to this device (the UAS side). The INVITE's signature was verified
 * before it got here. Every answer is signed and carries the whole certificate (it crosses
 * peers that may not know this device), plus the identity layer's Delivered message, so the
 * caller learns how many peers carried the call:
 *
 *   INVITE ─▶ 180 Ringing (signed) ─┬─ answer(sdp) ─▶ 200 OK + SDP (signed), resent until ACK
 *                                   ├─ reject()     ─▶ 486 / 603 … (signed)
 *                                   └─ CANCEL       ─▶ 487 Request Terminated
 *
 * A 200 that gets no ACK for 64*T1 ends the call with BYE (RFC 3261 section 13.3.1.4).
 */
export function takeCall(
  context: CallContext & DeliveredBy,
  request: SipRequest,
  caller: Sender,
  hops: number,
  remoteSdp: string | undefined,
): IncomingCall {
  const dialog: Dialog = {
    callId: request.callId,
    localAor: context.self.aor,
    localTag: request.localTag,
    remoteAor: caller.aor,
    remoteTag: request.fromTag,
    remoteTarget: request.contacts[0]?.uri,
    localCseq: 0,
    remoteCseq: request.cseq,
    offering: undefined,
  };
  const { layer, algorithm } = context.identityOverlay?.() ?? { layer: 'identity', algorithm: 'chord' };
  const delivered: OverlayPart[] = [{ layer, algorithm, messages: [{ kind: 'Delivered', hops }] }];
  const credential = { peerKey: `call:${caller.aor}`, fullCertificate: true };
  let stopResending = () => undefined as void;

  const actions: CallActions = {
    hangup: (c) => {
      if (c.state === 'active') {
        stopResending();
        void hangupActive(context, dialog, c).catch(context.onError);
      } else {
        actions.reject(c, 480, 'Temporarily Unavailable: the callee hung up');
      }
    },
    answer: (c, sdp) => {
      c.localSdp = sdp;
      context.trust.respond(request, 200, delivered, 'OK', {
        ...credential,
        sdp,
        headers: [['Contact', `<${context.stack.uri}>`]],
      });
      c.markActive();
      stopResending = resendUntilAcked(
        request,
        () => c.state === 'active',
        () => {
          void hangupActive(context, dialog).catch(context.onError);
          c.markEnded({
            status: 408,
            reason: 'Request Timeout: the caller never confirmed (no ACK)',
            by: 'network',
          });
        },
      );
    },
    updateMedia: (c, sdp) => sendReinvite(context, dialog, c, sdp),
    reject: (c, status, reason) => {
      context.trust.respond(request, status, [], reason, credential);
      c.markEnded({ status, reason, by: 'local' });
    },
  };

  const call = new Call(dialog.callId, 'incoming', caller.aor, actions);
  call.hops = hops;
  call.remoteSdp = remoteSdp;
  if (!dialog.remoteTarget) {
    actions.reject(call, 400, 'Bad Request: an INVITE needs a Contact');
    return { call, dialog, acked: () => undefined };
  }
  context.trust.respond(request, 180, delivered, 'Ringing', credential);
  request.onCancel(() => {
    if (call.state !== 'ringing') return;
    request.respond(487, { reason: 'Request Terminated' });
    call.markEnded({ status: 487, reason: 'Request Terminated: the caller hung up', by: 'remote' });
  });

  return {
    call,
    dialog,
    acked: () => stopResending(),
  };
}
