import { randomUUID } from 'node:crypto';
import { cancelFor, nameAddrUri, newTag, requestDestination } from '../../sip/index.ts';
import type { OutgoingRequest, SipResponse } from '../../sip/index.ts';
import type { Call } from '../calls/index.ts';
import { ackPhone, byePhone } from './bridge-context.ts';
import type { BridgeContext } from './bridge-context.ts';
import { closeMedia } from './bridged-call.ts';
import type { BridgedCall, PhoneDialog } from './bridged-call.ts';
import { G711_PAYLOAD_TYPE, parsePlainAudio, plainSdp, TELEPHONE_EVENT_PT } from './plain-sdp.ts';
import { PlainRtpLeg } from './plain-rtp-leg.ts';
import { RtpRelay } from './rtp-relay.ts';
import { WebRtcLeg } from './webrtc-leg.ts';

/**
 * A signed call to this peer's user rings the desk phone (the B2BUA's UAC side):
 *
 * ```
 *   overlay ─signed INVITE (WebRTC offer)─▶ bridge: werift answers in G.711 (not sent yet)
 *   bridge  ─INVITE (plain RTP/AVP offer, that codec only)──────────────────▶ desk phone
 *   desk phone ─180─▶ (the overlay caller already hears the peer's signed 180)
 *   desk phone ─200 + SDP─▶ bridge ─ACK─▶ phone;  bridge ─signed 200 (werift's answer)─▶ overlay
 *   desk phone ─486/603/…─▶ bridge ─signed 486/603/… with the phone's reason─▶ overlay
 *   overlay CANCEL ─▶ bridge ─CANCEL─▶ phone;   BYE either side ─▶ BYE on the other
 * ```
 *
 * The WebRTC answer is made before the phone rings, so that the phone is offered exactly the
 * codec the WebRTC side will send: nothing is transcoded.
 */
export async function ringDeskPhone(
  context: BridgeContext,
  call: Call,
  contact: string,
  bridged: BridgedCall,
): Promise<void> {
  const refuse = (status: number, reason: string) => {
    context.emit({ kind: 'refused', callId: call.id, message: `${status} ${reason}` });
    call.reject(status, reason);
    void closeMedia(bridged);
  };
  let webrtc: WebRtcLeg;
  let answer: string;
  try {
    ({ leg: webrtc, sdp: answer } = await WebRtcLeg.answer(call.remoteSdp ?? '', context.hostAddresses));
  } catch (error) {
    return refuse(488, `Not Acceptable Here: the desk phone takes G.711 only, and ${oneLine(error)}`);
  }
  bridged.webrtc = webrtc;
  if (call.state !== 'ringing') return void closeMedia(bridged);
  const rtp = (bridged.rtp = await PlainRtpLeg.open(context.stack.endpoint.address));
  const codec = webrtc.sendingCodec();
  const dialog = bridged.phone;
  bridged.phoneSdp = plainSdp({
    address: rtp.address,
    port: rtp.port,
    codec,
    telephoneEvent: webrtc.telephoneEvent ? TELEPHONE_EVENT_PT : undefined,
    direction: 'sendrecv',
    sessionId: Date.now(),
    version: 1,
  });
  const invite: OutgoingRequest = context.stack.buildRequest({
    method: 'INVITE',
    uri: contact,
    from: dialog.localUri,
    fromTag: dialog.localTag,
    to: dialog.remoteUri,
    callId: dialog.callId,
    cseq: dialog.localCseq,
    contact: context.stack.uri,
    body: bridged.phoneSdp,
    contentType: 'application/sdp',
  });
  const destination = await requestDestination(contact, undefined);
  let provisional = false;
  let cancelWanted = false;
  const cancel = () => {
    if (!provisional) return void (cancelWanted = true);
    context.stack.sendRequest(cancelFor(invite, context.stack.hostport), destination).catch(() => undefined);
  };
  void call.ended.then(async () => {
    if (bridged.ended) return;
    if (dialog.remoteTag !== undefined) await byePhone(context, dialog);
    else cancel();
    await closeMedia(bridged);
    context.emit({ kind: 'ended', callId: call.id, message: `ended: ${call.end?.reason ?? 'hung up'}` });
  });

  const onAnswer = async (response: SipResponse) => {
    if (dialog.remoteTag !== undefined) {
      // A retransmission of the 2xx (our ACK was lost), or a second fork: ACK it either way.
      if (response.toTag === dialog.remoteTag) await ackPhone(context, dialog, 1);
      return;
    }
    dialog.remoteTag = response.toTag;
    dialog.remoteTarget = nameAddrUri(response.headers('contact')[0] ?? '') || contact;
    await ackPhone(context, dialog, 1);
    const parsed = parsePlainAudio(response.body);
    const accepted = parsed.ok && parsed.audio.g711.includes(codec) ? parsed.audio : undefined;
    if (!accepted || call.state !== 'ringing') {
      await byePhone(context, dialog);
      await closeMedia(bridged);
      if (call.state === 'ringing') {
        call.reject(
          488,
          `Not Acceptable Here: the desk phone did not accept ${codec} (${parsed.ok ? 'another codec' : parsed.reason})`,
        );
      }
      return;
    }
    rtp.connect(
      { address: accepted.address, port: accepted.port },
      response.source.address,
      G711_PAYLOAD_TYPE[codec],
      accepted.telephoneEvent ?? (webrtc.telephoneEvent ? TELEPHONE_EVENT_PT : undefined),
    );
    const relay = (bridged.relay = new RtpRelay(webrtc, rtp));
    relay.onFirstPacket(() => context.emit({ kind: 'media', callId: call.id, message: 'media flows' }));
    call.onOffer = (offer) => webrtc.answerAgain(offer).catch(() => undefined);
    call.answer(answer);
    context.emit({ kind: 'answered', callId: call.id, message: `answered on the desk phone (${codec})` });
  };

  try {
    const final = await context.stack.sendRequest(invite, destination, {
      onProvisional: (response) => {
        provisional = true;
        if (cancelWanted) {
          cancelWanted = false;
          cancel();
        }
        if (response.status === 180)
          context.emit({ kind: 'ringing', callId: call.id, message: 'the desk phone rings' });
      },
      onFinal: (response) => {
        if (response.status >= 200 && response.status < 300) onAnswer(response).catch(context.onError);
      },
    });
    if (final.status >= 300 && call.state === 'ringing') {
      // The phone's own words go to the caller, prefixed so that they know who said them.
      const status = final.status === 487 ? 480 : final.status;
      refuse(status, `${final.reason || 'Refused'} (the desk phone of ${context.aor})`);
    }
  } catch (error) {
    if (call.state === 'ringing')
      refuse(480, `Temporarily Unavailable: the desk phone did not answer (${oneLine(error)})`);
  }
}

/** The phone's side of a new call to it: the overlay caller as From, the peer's AOR as To. */
export function phoneDialogFor(call: Call, aor: string): PhoneDialog {
  return {
    callId: randomUUID(),
    localTag: newTag(),
    remoteTag: undefined,
    remoteTarget: undefined,
    localUri: call.peer,
    remoteUri: aor,
    localCseq: 1,
  };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 160);
}
