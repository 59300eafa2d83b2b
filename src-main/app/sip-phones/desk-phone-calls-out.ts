import { canonicalAor } from '../../sip/index.ts';
import type { SipRequest } from '../../sip/index.ts';
import { resendUntilAcked } from '../calls/index.ts';
import { byePhone } from './bridge-context.ts';
import type { BridgeContext } from './bridge-context.ts';
import { closeMedia } from './bridged-call.ts';
import type { BridgedCall } from './bridged-call.ts';
import {
  answerDirection,
  G711_PAYLOAD_TYPE,
  parsePlainAudio,
  plainSdp,
  TELEPHONE_EVENT_PT,
} from './plain-sdp.ts';
import { PlainRtpLeg } from './plain-rtp-leg.ts';
import { RtpRelay } from './rtp-relay.ts';
import { WebRtcLeg } from './webrtc-leg.ts';

/**
 * The desk phone places a call (the B2BUA's UAS side). Its INVITE was digest-authenticated; the
 * bridge places the same call into the overlay as this peer, signed, with a WebRTC offer in the
 * phone's G.711 codec, and tells the phone how it goes:
 *
 * ```
 *   phone ─INVITE (RTP/AVP, PCMU…)─▶ bridge ─signed INVITE (WebRTC offer, PCMU only)─▶ overlay
 *   overlay ─signed 180─▶ bridge ─180─▶ phone
 *   overlay ─signed 200 (WebRTC answer)─▶ bridge ─200 (plain answer, resent until ACK)─▶ phone
 *   overlay ─404/480/486/488/…─▶ bridge ─the same status and reason─▶ phone
 *   phone CANCEL ─▶ 487 to the phone, the overlay call is cancelled;  BYE either side ─▶ BYE on the other
 * ```
 */
export async function placeFromDeskPhone(
  context: BridgeContext,
  request: SipRequest,
  bridged: BridgedCall,
): Promise<void> {
  const target = canonicalAor(request.requestUri);
  if (!/^sips?:[^@]+@/.test(target)) {
    return request.respond(404, { reason: `Not Found: dial a user (sip:name@domain), not ${target}` });
  }
  if (target === context.aor) {
    return request.respond(486, { reason: 'Busy Here: this desk phone is the user you are calling' });
  }
  const offer = parsePlainAudio(request.body);
  if (!offer.ok) return request.respond(488, { reason: `Not Acceptable Here: ${offer.reason}` });
  const codec = offer.audio.g711[0];
  const dialog = bridged.phone;
  let webrtc: WebRtcLeg;
  let webrtcOffer: string;
  try {
    ({ leg: webrtc, sdp: webrtcOffer } = await WebRtcLeg.offer(codec, context.hostAddresses));
  } catch (error) {
    context.onError(error);
    return request.respond(500, { reason: 'Server Internal Error: the bridge could not start WebRTC media' });
  }
  bridged.webrtc = webrtc;
  const rtp = (bridged.rtp = await PlainRtpLeg.open(context.stack.endpoint.address));
  if (request.cancelled) {
    await closeMedia(bridged);
    return request.respond(487, { reason: 'Request Terminated' });
  }
  const call = (bridged.overlay = context.dial(target, { sdp: webrtcOffer }));
  context.emit({ kind: 'ringing', callId: dialog.callId, message: `the desk phone calls ${target}` });
  request.onCancel(() => {
    if (call.state === 'active' || call.state === 'ended') return;
    call.hangup();
    request.respond(487, { reason: 'Request Terminated' });
  });
  call.onChange((c) => {
    if (c.state === 'ringing') request.respond(180);
  });
  call.onOffer = (newOffer) => webrtc.answerAgain(newOffer).catch(() => undefined);

  const answered = await call.answered;
  if (!answered) {
    await closeMedia(bridged);
    const end = call.end;
    if (!request.finalSent) {
      request.respond(end?.status && end.status >= 300 ? end.status : 480, {
        reason: end?.reason ?? 'Temporarily Unavailable',
      });
    }
    context.emit({
      kind: 'ended',
      callId: dialog.callId,
      message: `not answered: ${end?.status} ${end?.reason}`,
    });
    return;
  }
  try {
    await webrtc.accept(call.remoteSdp ?? '');
  } catch (error) {
    call.hangup();
    await closeMedia(bridged);
    return request.respond(488, {
      reason: `Not Acceptable Here: ${target} answered without ${codec} (${(error as Error).message.split('\n')[0]})`,
    });
  }
  const telephoneEvent = offer.audio.telephoneEvent !== undefined && webrtc.telephoneEvent;
  rtp.connect(
    { address: offer.audio.address, port: offer.audio.port },
    request.source.address,
    G711_PAYLOAD_TYPE[codec],
    telephoneEvent ? offer.audio.telephoneEvent : undefined,
  );
  const relay = (bridged.relay = new RtpRelay(webrtc, rtp));
  relay.onFirstPacket(() => context.emit({ kind: 'media', callId: dialog.callId, message: 'media flows' }));
  dialog.remoteTarget = request.contacts[0]?.uri;
  bridged.phoneSdp = plainSdp({
    address: rtp.address,
    port: rtp.port,
    codec,
    // RFC 3264 section 6.1: the answer uses the offerer's payload type for telephone-event.
    telephoneEvent: telephoneEvent ? (offer.audio.telephoneEvent ?? TELEPHONE_EVENT_PT) : undefined,
    direction: answerDirection(offer.audio.direction),
    sessionId: Date.now(),
    version: 1,
  });
  request.respond(200, {
    body: bridged.phoneSdp,
    contentType: 'application/sdp',
    headers: [['Contact', `<${context.stack.uri}>`]],
  });
  const stopResending = resendUntilAcked(
    request,
    () => !bridged.ended,
    () => call.hangup(),
  );
  bridged.acked = stopResending;
  context.emit({ kind: 'answered', callId: dialog.callId, message: `${target} answered (${codec})` });
  await call.ended;
  stopResending();
  if (!bridged.ended) {
    await byePhone(context, dialog);
    await closeMedia(bridged);
  }
  context.emit({ kind: 'ended', callId: dialog.callId, message: `ended: ${call.end?.reason ?? 'hung up'}` });
}
