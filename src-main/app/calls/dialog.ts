import { randomBytes } from 'node:crypto';
import { MAGIC_COOKIE, requestDestination } from '../../sip/index.ts';
import type { OutgoingRequest, RequestSpec, SipStack } from '../../sip/index.ts';
import type { MessageTrust } from '../../trust/trust-layer.ts';
import type { Call } from './call.ts';

/**
 * The SIP dialog of a call (RFC 3261 section 12), from this side: who is who, and where
 * requests inside the dialog go. Once the INVITE found the callee through the overlay, BYE and
 * ACK go straight to the other device's Contact: the overlay routes the first request only
 * (paper, section 4.2), and no proxy inserts Record-Route.
 */
export interface Dialog {
  callId: string;
  localAor: string;
  localTag: string;
  remoteAor: string;
  remoteTag: string | undefined;
  /** The other device's Contact URI. */
  remoteTarget: string | undefined;
  /** The CSeq of the last request this side sent in the dialog. */
  localCseq: number;
  /** The CSeq of the last request the other side sent (a lower one is out of order: 500). */
  remoteCseq: number;
  /**
   * An offer in flight inside the dialog (RFC 3261 section 14): ours (a re-INVITE we sent, not
   * yet answered) or theirs (one we have not answered and had ACKed). A second offer meanwhile
   * gets 491 (both sides at once) or 500 (theirs still open).
   */
  offering: 'local' | 'remote' | undefined;
}

/** What every part of the call code needs. */
export interface CallContext {
  stack: SipStack;
  trust: MessageTrust;
  /** This peer's AOR (its certificate's) and NodeID. */
  self: { aor: string; nodeId: string };
  onError(error: unknown): void;
}

/** A request inside the dialog (BYE, ACK, a re-INVITE with its offer), signed, addressed to the other device. */
export function inDialogRequest(
  context: CallContext,
  dialog: Dialog,
  method: 'BYE' | 'ACK' | 'INVITE',
  cseq: number,
  sdp?: string,
): OutgoingRequest {
  if (!dialog.remoteTarget) throw new Error(`No remote target for ${method} in call ${dialog.callId}`);
  const spec: RequestSpec = {
    method,
    uri: dialog.remoteTarget,
    from: dialog.localAor,
    fromTag: dialog.localTag,
    to: dialog.remoteAor,
    toTag: dialog.remoteTag,
    callId: dialog.callId,
    cseq,
    contact: context.stack.uri,
  };
  return context.trust.signRequest(context.stack, spec, [], { peerKey: `call:${dialog.remoteAor}`, sdp });
}

/**
 * Sends the ACK for a 2xx (RFC 3261 section 13.2.2.4): outside any transaction, to the remote
 * target, with a Via of its own. Returns the text, to be sent again for each retransmitted 2xx.
 */
export async function sendAck(context: CallContext, dialog: Dialog, inviteCseq: number): Promise<string> {
  const ack = inDialogRequest(context, dialog, 'ACK', inviteCseq);
  ack.setViaHeader(`${MAGIC_COOKIE}${randomBytes(16).toString('hex')}`, 'UDP');
  const text = ack.toString();
  await context.stack.sendRaw(text, await requestDestination(dialog.remoteTarget ?? '', undefined));
  return text;
}

/** Sends BYE in an answered call (either side) and ends it, whatever the other side answers (or not). */
export async function hangupActive(context: CallContext, dialog: Dialog, call?: Call): Promise<void> {
  dialog.localCseq++;
  call?.markEnded({ status: 200, reason: 'Call ended: you hung up', by: 'local' });
  const bye = inDialogRequest(context, dialog, 'BYE', dialog.localCseq);
  const destination = await requestDestination(dialog.remoteTarget ?? '', undefined);
  await context.stack.sendRequest(bye, destination, { timeoutMs: 5000 }).catch(() => undefined);
}
