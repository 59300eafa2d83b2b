import { randomUUID } from 'node:crypto';
import {
  cancelFor,
  canonicalAor,
  nameAddrUri,
  newTag,
  RequestTimeoutError,
  requestDestination,
} from '../../sip/index.ts';
import type { OutgoingRequest, SipResponse } from '../../sip/index.ts';
import { Call } from './call.ts';
import type { CallActions, CallEnd } from './call.ts';
import { hangupActive, sendAck } from './dialog.ts';
import type { CallContext, Dialog } from './dialog.ts';
import { deliveredHops } from './hops.ts';
import { sendReinvite } from './re-invite.ts';

export interface DialOptions {
  /** The session description offered (media arrives in a later milestone; it travels untouched). */
  sdp: string;
  /** Give up (CANCEL) when nobody answers within this time. Default 60 s. */
  ringTimeoutMs?: number;
  /** How many peers the INVITE may cross (SIP Max-Forwards; this peer's own proxy counts). Default 70. */
  maxForwards?: number;
}

/** Why a call ended, in words, for the statuses a caller meets. */
const FAILURE_WORDS: Record<number, string> = {
  404: 'nobody is registered under that address',
  408: 'no answer in time',
  480: 'registered, but the device did not answer',
  483: 'the call crossed too many peers',
  486: 'busy',
  487: 'cancelled',
  503: 'the overlay could not carry the call',
  603: 'declined',
};

/**
 * Places a call (the UAC side). The INVITE goes first to this peer's own proxy role, which
 * routes it through the identity overlay like any INVITE it carries (call-router.ts); the caller
 * itself only follows the answers:
 *
 * - 180 and 200 must be signed by the callee's certificate, for the AOR called;
 * - a 428 (a peer on the way did not know our certificate by its fingerprint) is answered by
 *   sending the INVITE once more with the whole certificate;
 * - every 2xx gets an ACK (retransmissions included); a 2xx that is not properly signed is
 *   ACKed and ended with BYE, and so is a second device's 2xx when a forked call was already
 *   answered.
 */
export function placeCall(
  context: CallContext,
  target: string,
  options: DialOptions,
): { call: Call; dialog: Dialog } {
  const aor = canonicalAor(target);
  const dialog: Dialog = {
    callId: randomUUID(),
    localAor: context.self.aor,
    localTag: newTag(),
    remoteAor: aor,
    remoteTag: undefined,
    remoteTarget: undefined,
    localCseq: 1,
    remoteCseq: 0,
    offering: undefined,
  };
  let invite: OutgoingRequest | undefined;
  let ackText: string | undefined;
  let cancelWhy: CallEnd | undefined;
  /** CANCEL waits for a provisional response (RFC 3261 9.1). */
  let provisional = false;
  let cancelPending = false;

  const actions: CallActions = {
    hangup: (c) => {
      if (c.state === 'active') return void hangupActive(context, dialog, c);
      cancelWhy ??= { status: 487, reason: 'Request Terminated: you hung up before the answer', by: 'local' };
      cancel();
    },
    answer: () => undefined,
    reject: () => undefined,
    updateMedia: (c, sdp) => sendReinvite(context, dialog, c, sdp),
  };
  const call = new Call(dialog.callId, 'outgoing', aor, actions);
  call.localSdp = options.sdp;

  const cancel = () => {
    if (!invite || call.state === 'ended') return;
    if (!provisional) {
      cancelPending = true;
      return;
    }
    context.stack
      .sendRequest(cancelFor(invite, context.stack.hostport), context.stack.endpoint)
      .catch(() => undefined); // the INVITE's own transaction reports how the call ends
  };

  const ringTimer = setTimeout(() => {
    if (call.state === 'ended' || call.state === 'active') return;
    const seconds = Math.round((options.ringTimeoutMs ?? 60_000) / 1000);
    cancelWhy = { status: 408, reason: `Request Timeout: no answer within ${seconds} s`, by: 'network' };
    cancel();
  }, options.ringTimeoutMs ?? 60_000);
  ringTimer.unref();
  void call.ended.then(() => clearTimeout(ringTimer));

  const onAnswer = (response: SipResponse) => {
    const tag = response.toTag;
    const verified = context.trust.verifyResponse(response);
    const fromCallee = verified.ok && verified.sender.aor === aor;
    if (dialog.remoteTag !== undefined && tag === dialog.remoteTag) {
      // A retransmitted 2xx: our ACK was lost.
      if (ackText) {
        requestDestination(dialog.remoteTarget ?? '', undefined)
          .then((to) => context.stack.sendRaw(ackText ?? '', to))
          .catch(context.onError);
      }
      return;
    }
    const other: Dialog = {
      ...dialog,
      remoteTag: tag,
      remoteTarget: nameAddrUri(response.headers('contact')[0] ?? ''),
    };
    if (!fromCallee || call.state === 'active' || call.state === 'ended' || !other.remoteTarget) {
      // Every 2xx is ACKed, then a dialog we do not want is ended at once (RFC 3261 13.2.2.4).
      void sendAck(context, other, 1)
        .then(() => hangupActive(context, { ...other, localCseq: 1 }))
        .catch(context.onError);
      if (!fromCallee && call.state !== 'active') {
        const why = verified.ok ? `answered by ${verified.sender.aor}, not ${aor}` : verified.reason;
        call.markEnded({
          status: 403,
          reason: `Forbidden: the answer is not signed by ${aor} (${why})`,
          by: 'network',
        });
      }
      return;
    }
    Object.assign(dialog, other);
    call.remoteSdp = verified.sdp;
    call.hops ??= deliveredHops(verified.doc);
    call.markActive();
    sendAck(context, dialog, 1)
      .then((text) => (ackText = text))
      .catch(context.onError);
  };

  const send = async (fullCertificate: boolean): Promise<void> => {
    invite = context.trust.signRequest(
      context.stack,
      {
        method: 'INVITE',
        uri: aor,
        from: context.self.aor,
        fromTag: dialog.localTag,
        to: aor,
        callId: dialog.callId,
        cseq: dialog.localCseq,
        contact: context.stack.uri,
        maxForwards: options.maxForwards,
        destination: context.stack.endpoint,
      },
      [],
      { sdp: options.sdp, peerKey: `call:${aor}`, fullCertificate },
    );
    const response = await context.stack.sendRequest(invite, context.stack.endpoint, {
      onProvisional: (response) => {
        provisional = true;
        if (cancelPending) {
          cancelPending = false;
          cancel();
        }
        if (response.status === 100 || call.state !== 'calling') return;
        const verified = context.trust.verifyResponse(response);
        if (!verified.ok || verified.sender.aor !== aor) return;
        call.hops ??= deliveredHops(verified.doc);
        call.markRinging();
      },
      onFinal: (final) => {
        if (final.status >= 200 && final.status < 300) onAnswer(final);
      },
    });
    if (response.status < 300) return;
    if (response.status === 428 && !fullCertificate && call.state === 'calling') {
      dialog.localCseq++;
      return send(true);
    }
    if (cancelWhy && response.status === 487) return call.markEnded(cancelWhy);
    const words = FAILURE_WORDS[response.status];
    call.markEnded({
      status: response.status,
      // A reason that already explains itself ("Not Found: nobody is registered as …") stays as is.
      reason: words && !response.reason.includes(':') ? `${response.reason} (${words})` : response.reason,
      by: response.status >= 600 || response.status === 486 ? 'remote' : 'network',
    });
  };

  send(false).catch((error: unknown) => {
    if (error instanceof RequestTimeoutError) {
      call.markEnded({
        status: 408,
        reason: 'Request Timeout: the call got no answer at all',
        by: 'network',
      });
    } else {
      context.onError(error);
      call.markEnded({
        status: 500,
        reason: `Could not place the call: ${(error as Error).message}`,
        by: 'local',
      });
    }
  });
  return { call, dialog };
}
