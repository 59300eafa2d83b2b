import { RequestTimeoutError, requestDestination } from '../../sip/index.ts';
import type { SipRequest, SipResponse } from '../../sip/index.ts';
import type { Sender } from '../../trust/trust-layer.ts';
import type { Call } from './call.ts';
import { hangupActive, inDialogRequest, sendAck } from './dialog.ts';
import type { CallContext, Dialog } from './dialog.ts';
import { resendUntilAcked } from './resend-until-acked.ts';

/** How long the person's device may take to answer a new offer before the other side gets 488. */
export const OFFER_ANSWER_MS = 10_000;

/** A new offer the other side could not take; `status` is the SIP status it answered. */
export class MediaChangeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MediaChangeError';
  }
}

/**
 * A new offer in an answered call, from this side (RFC 3261 section 14, RFC 3264 section 8):
 * hold, resume, a new microphone. The re-INVITE is signed like the first one and goes straight
 * to the other device; its 2xx must be signed by the other party, and carries the answer.
 *
 * ```
 *   re-INVITE (signed, SDP) ──▶ 2xx signed by the peer ──ACK──▶ answer returned
 *                           ──▶ 491 (they changed it too) ──wait, once more (twice at most)
 *                           ──▶ 481 / 408 / no answer ──▶ the dialog is gone: BYE, call ended
 *                           ──▶ 488 / other ──▶ MediaChangeError (the call goes on as before)
 * ```
 */
export async function sendReinvite(
  context: CallContext,
  dialog: Dialog,
  call: Call,
  sdp: string,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    // Their last change was answered here and waits for its ACK (milliseconds, normally).
    for (let waited = 0; dialog.offering === 'remote' && waited < 4000; waited += 20) await delay(20);
    if (dialog.offering) {
      throw new MediaChangeError(491, 'The call is already changing: try again in a moment');
    }
    dialog.offering = 'local';
    let response: SipResponse;
    try {
      response = await exchange(context, dialog, call, sdp);
    } catch (error) {
      dialog.offering = undefined;
      if (!(error instanceof RequestTimeoutError)) throw error;
      await endDialog(context, dialog, call, 'the other side stopped answering');
      throw new MediaChangeError(408, 'The other side did not answer: the call has ended');
    }
    dialog.offering = undefined;
    if (response.status < 300) {
      const verified = context.trust.verifyResponse(response);
      if (!verified.ok || verified.sender.aor !== dialog.remoteAor || !verified.sdp) {
        const why = verified.ok ? `not signed by ${dialog.remoteAor}, or no answer in it` : verified.reason;
        await endDialog(context, dialog, call, `its answer to the change was refused (${why})`, 403);
        throw new MediaChangeError(403, `The answer to the change is not the other party's (${why})`);
      }
      call.markMedia(sdp, verified.sdp, 'local');
      return verified.sdp;
    }
    if (response.status === 491 && attempt < 2) {
      // RFC 3261 section 14.1: the Call-ID's owner waits 2.1-4 s, the other side 0-2 s.
      const owner = call.direction === 'outgoing';
      await delay(owner ? 2100 + Math.random() * 1900 : Math.random() * 2000);
      if (call.state !== 'active') throw new MediaChangeError(481, 'The call ended meanwhile');
      continue;
    }
    if (response.status === 481 || response.status === 408) {
      await endDialog(context, dialog, call, `the other side no longer knows the call (${response.status})`);
      throw new MediaChangeError(response.status, 'The other side no longer knows this call: it has ended');
    }
    throw new MediaChangeError(response.status, `The other side refused the change: ${response.reason}`);
  }
}

/** One re-INVITE transaction: ACKs its 2xx (again for each retransmission). */
async function exchange(context: CallContext, dialog: Dialog, call: Call, sdp: string): Promise<SipResponse> {
  const cseq = ++dialog.localCseq;
  const invite = inDialogRequest(context, dialog, 'INVITE', cseq, sdp);
  const destination = await requestDestination(dialog.remoteTarget ?? '', undefined);
  let ackText: string | undefined;
  return context.stack.sendRequest(invite, destination, {
    // A device that does not even say 100 Trying within Timer B's first rounds is gone.
    firstResponseMs: 8000,
    onFinal: (final) => {
      if (final.status >= 300 || call.state !== 'active') return;
      if (ackText) {
        void context.stack.sendRaw(ackText, destination).catch(context.onError);
        return;
      }
      sendAck(context, dialog, cseq)
        .then((text) => (ackText = text))
        .catch(context.onError);
    },
  });
}

/**
 * The other side's new offer (its re-INVITE, signature already verified). Answered with a
 * signed 2xx carrying this side's answer, kept alive until the ACK; refused with:
 * 403 (not the other party), 481 (not this dialog), 500 (out of order, or their last offer is
 * still open: Retry-After), 491 (ours is in flight: both changed the call at once), 488 (no
 * SDP, nobody here takes offers, or the device could not answer within 10 s).
 */
export function takeReinvite(
  context: CallContext,
  dialog: Dialog,
  call: Call,
  request: SipRequest,
  sender: Sender,
  offer: string | undefined,
  onAcked: (acked: () => void) => void,
): void {
  const credential = { peerKey: `call:${dialog.remoteAor}`, fullCertificate: false };
  const refuse = (status: number, reason: string, headers?: Array<[string, string]>) =>
    context.trust.respond(request, status, [], reason, { ...credential, headers });
  if (sender.aor !== dialog.remoteAor) {
    return void request.respond(403, { reason: `Forbidden: only ${dialog.remoteAor} can change this call` });
  }
  if (request.fromTag !== dialog.remoteTag) {
    return void request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
  }
  if (request.cseq <= dialog.remoteCseq) {
    return refuse(500, 'Server Internal Error: request out of order (CSeq)');
  }
  dialog.remoteCseq = request.cseq;
  if (call.state !== 'active') return refuse(491, 'Request Pending: the call is not answered yet');
  if (dialog.offering === 'local') return refuse(491, 'Request Pending: this side is changing the call too');
  if (dialog.offering === 'remote') {
    const seconds = String(Math.floor(Math.random() * 10));
    return refuse(500, 'Server Internal Error: your last change is not finished', [['Retry-After', seconds]]);
  }
  if (!offer) {
    return refuse(488, 'Not Acceptable Here: a change needs an offer (SDP) in the re-INVITE');
  }
  const answerer = call.onOffer;
  if (!answerer) return refuse(488, 'Not Acceptable Here: this device takes no new offers');
  dialog.offering = 'remote';

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), OFFER_ANSWER_MS);
    timer.unref();
  });
  Promise.race([answerer(offer).catch(() => undefined), timeout])
    .then((answer) => {
      clearTimeout(timer);
      if (call.state !== 'active') {
        dialog.offering = undefined;
        return void request.respond(481, { reason: 'Call/Transaction Does Not Exist: the call ended' });
      }
      if (!answer) {
        dialog.offering = undefined;
        return refuse(488, 'Not Acceptable Here: the device could not take the new offer');
      }
      context.trust.respond(request, 200, [], 'OK', {
        ...credential,
        sdp: answer,
        headers: [['Contact', `<${context.stack.uri}>`]],
      });
      call.markMedia(answer, offer, 'remote');
      const stop = resendUntilAcked(
        request,
        () => call.state === 'active',
        () => {
          dialog.offering = undefined;
          void endDialog(context, dialog, call, 'it never confirmed the change (no ACK)', 408);
        },
      );
      onAcked(() => {
        stop();
        dialog.offering = undefined;
      });
    })
    .catch(context.onError);
}

/** Ends a dialog that cannot go on: BYE, and the call ends with why. */
async function endDialog(
  context: CallContext,
  dialog: Dialog,
  call: Call,
  why: string,
  status = 408,
): Promise<void> {
  if (call.state === 'ended') return;
  call.markEnded({ status, reason: `Call ended: ${why}`, by: 'network' });
  await hangupActive(context, dialog).catch(context.onError);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
