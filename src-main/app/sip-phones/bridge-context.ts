import { randomBytes } from 'node:crypto';
import { MAGIC_COOKIE, requestDestination } from '../../sip/index.ts';
import type { SipStack } from '../../sip/index.ts';
import type { Call, DialOptions } from '../calls/index.ts';
import type { PhoneDialog } from './bridged-call.ts';

/** Something that happened to a bridged call, in a line a person can read. */
export interface BridgeEvent {
  kind: 'registered' | 'unregistered' | 'refused' | 'ringing' | 'answered' | 'media' | 'ended';
  callId?: string;
  message: string;
}

/** What both directions of the bridge need. */
export interface BridgeContext {
  /** The stack the desk phone talks to (plain SIP, not the overlay's). */
  stack: SipStack;
  /** The peer's AOR, which the phone registers as. */
  aor: string;
  /** Places a signed call into the overlay as this peer. */
  dial(target: string, options: DialOptions): Call;
  /** ICE host addresses for the WebRTC leg, beside the machine's interfaces. */
  hostAddresses: string[];
  emit(event: BridgeEvent): void;
  onError(error: unknown): void;
}

/** Sends an ACK for the phone's 2xx (RFC 3261 section 13.2.2.4): outside any transaction, a Via of its own. */
export async function ackPhone(context: BridgeContext, dialog: PhoneDialog, cseq: number): Promise<void> {
  const ack = context.stack.buildRequest({
    method: 'ACK',
    uri: dialog.remoteTarget ?? '',
    from: dialog.localUri,
    fromTag: dialog.localTag,
    to: dialog.remoteUri,
    toTag: dialog.remoteTag,
    callId: dialog.callId,
    cseq,
  });
  ack.setViaHeader(`${MAGIC_COOKIE}${randomBytes(16).toString('hex')}`, 'UDP');
  await context.stack.sendRaw(ack.toString(), await requestDestination(dialog.remoteTarget ?? '', undefined));
}

/** Ends the phone's side of an answered call; whatever the phone answers (or not), it is over. */
export async function byePhone(context: BridgeContext, dialog: PhoneDialog): Promise<void> {
  if (!dialog.remoteTarget) return;
  dialog.localCseq++;
  await context.stack
    .request(
      {
        method: 'BYE',
        uri: dialog.remoteTarget,
        from: dialog.localUri,
        fromTag: dialog.localTag,
        to: dialog.remoteUri,
        toTag: dialog.remoteTag,
        callId: dialog.callId,
        cseq: dialog.localCseq,
      },
      { timeoutMs: 5000 },
    )
    .catch(() => undefined);
}
