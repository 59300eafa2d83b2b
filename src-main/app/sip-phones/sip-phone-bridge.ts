import { canonicalAor, checkAsUas, MemoryBindingStore, Registrar } from '../../sip/index.ts';
import type { SipRequest } from '../../sip/index.ts';
import type { Call } from '../calls/index.ts';
import type { BridgeContext } from './bridge-context.ts';
import { callStats, closeMedia } from './bridged-call.ts';
import type { BridgedCall, BridgedCallStats } from './bridged-call.ts';
import { placeFromDeskPhone } from './desk-phone-calls-out.ts';
import type { PhoneAuth } from './phone-auth.ts';
import { answerDirection, parsePlainAudio } from './plain-sdp.ts';
import { phoneDialogFor, ringDeskPhone } from './ring-desk-phone.ts';

/** Calls bridged at once; more are refused (486): one desk phone rarely holds more than two. */
const MAX_CALLS = 4;

/** What `peer state` and the tests read. */
export interface SipPhoneStats {
  /** The desk phone's Contact while it is registered. */
  registered: string | undefined;
  calls: BridgedCallStats[];
}

/**
 * A back-to-back user agent between one plain SIP desk phone and the signed overlay. It listens
 * on a SIP port of its own (the overlay's port accepts signed messages only, and answers a plain
 * phone 428), where it is the phone's registrar (RFC 3261 section 10.3) and the far end of every
 * call the phone makes or takes. Every request from the phone goes through one table:
 *
 *   REGISTER ─▶ digest ─▶ registrar (only the peer's own AOR)
 *   INVITE   ─▶ digest ─▶ a new call into the overlay (desk-phone-calls-out.ts), or a re-INVITE
 *   BYE      ─▶ the call's dialog ─▶ 200, and the overlay call hangs up
 *   ACK      ─▶ stops resending the 200
 *
 * Calls to the peer's user (`CallAgent.onIncoming`) ring the phone (ring-desk-phone.ts).
 */
export class SipPhoneBridge {
  readonly #registrar: Registrar;
  readonly #bindings = new MemoryBindingStore();
  readonly #calls = new Map<string, BridgedCall>();
  #closed = false;

  constructor(
    private readonly context: BridgeContext,
    private readonly auth: PhoneAuth,
  ) {
    // A desk phone re-registers well before expiry; a short lifetime forgets a phone that was unplugged.
    this.#registrar = new Registrar(this.#bindings, {
      defaultExpires: 300,
      maxExpires: 3600,
      minExpires: 30,
    });
    const { stack } = context;
    const table: Record<string, (request: SipRequest) => void | Promise<void>> = {
      REGISTER: (request) => this.#register(request),
      INVITE: (request) => this.#invite(request),
      BYE: (request) => this.#bye(request),
    };
    for (const [method, handler] of Object.entries(table)) stack.handle(method, handler);
    stack.onAck((ack) => this.#calls.get(ack.callId)?.acked?.());
  }

  /** The desk phone's Contact, if it is registered now. */
  get contact(): string | undefined {
    return this.#bindings.get(this.context.aor)[0]?.contact;
  }

  stats(): SipPhoneStats {
    return { registered: this.contact, calls: [...this.#calls.values()].map(callStats) };
  }

  /** A signed call to the peer's user: ring the desk phone (set as `CallAgent.onIncoming`). */
  readonly take = (call: Call): void => {
    const contact = this.contact;
    if (this.#closed) return call.reject(480, 'Temporarily Unavailable: the desk phone bridge is stopping');
    if (!contact) {
      return call.reject(
        480,
        `Temporarily Unavailable: the desk phone of ${this.context.aor} is not registered`,
      );
    }
    if (this.#calls.size >= MAX_CALLS) return call.reject(486, 'Busy Here: the desk phone has calls enough');
    const bridged = this.#keep({
      direction: 'to-phone',
      overlay: call,
      phone: phoneDialogFor(call, this.context.aor),
      webrtc: undefined,
      rtp: undefined,
      relay: undefined,
      phoneSdp: undefined,
      ended: false,
    });
    void call.ended.then(() => this.#calls.delete(bridged.phone.callId));
    ringDeskPhone(this.context, call, contact, bridged).catch((error: unknown) => {
      this.context.onError(error);
      call.reject(500, 'Server Internal Error: the desk phone bridge failed');
      void closeMedia(bridged);
    });
  };

  /** Hangs up every bridged call; later calls get 480. Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const calls = [...this.#calls.values()];
    for (const bridged of calls) bridged.overlay?.hangup();
    await Promise.all(calls.map(closeMedia));
  }

  #keep(bridged: BridgedCall): BridgedCall {
    this.#calls.set(bridged.phone.callId, bridged);
    return bridged;
  }

  /** RFC 3261 section 10.3, steps 1 to 5 here (authentication, this AOR only), 6 to 8 in Registrar. */
  #register(request: SipRequest): void {
    if (!this.#authenticated(request)) return;
    const aor = canonicalAor(request.toUri);
    if (aor !== this.context.aor) {
      return request.respond(403, {
        reason: `Forbidden: this peer serves the desk phone of ${this.context.aor} only`,
      });
    }
    const before = this.contact;
    const result = this.#registrar.register(request);
    request.respond(result.status, { reason: result.reason, headers: result.headers });
    const after = this.contact;
    if (after && after !== before)
      this.context.emit({ kind: 'registered', message: `desk phone registered at ${after}` });
    if (!after && before) this.context.emit({ kind: 'unregistered', message: 'desk phone unregistered' });
  }

  async #invite(request: SipRequest): Promise<void> {
    const refusal = checkAsUas(request, { supported: [], accept: ['application/sdp'] });
    if (refusal) return request.respond(refusal.status, { reason: refusal.reason, headers: refusal.headers });
    if (request.toTag !== undefined) return this.#reinvite(request);
    if (!this.#authenticated(request)) return;
    if (canonicalAor(request.fromUri) !== this.context.aor) {
      return request.respond(403, {
        reason: `Forbidden: this bridge places calls for ${this.context.aor} only`,
      });
    }
    if (this.#closed)
      return request.respond(480, { reason: 'Temporarily Unavailable: the bridge is stopping' });
    if (this.#calls.size >= MAX_CALLS)
      return request.respond(486, { reason: 'Busy Here: too many calls at once' });
    if (this.#calls.has(request.callId)) return request.respond(482, { reason: 'Loop Detected' });
    const bridged = this.#keep({
      direction: 'from-phone',
      overlay: undefined,
      phone: {
        callId: request.callId,
        localTag: request.localTag,
        remoteTag: request.fromTag,
        remoteTarget: request.contacts[0]?.uri,
        localUri: request.toUri,
        remoteUri: request.fromUri,
        localCseq: 0,
      },
      webrtc: undefined,
      rtp: undefined,
      relay: undefined,
      phoneSdp: undefined,
      ended: false,
    });
    try {
      await placeFromDeskPhone(this.context, request, bridged);
    } finally {
      await closeMedia(bridged);
      this.#calls.delete(request.callId);
    }
  }

  /**
   * A new offer from the phone inside a call (hold, resume): answered with the bridge's own
   * address and codec, direction mirrored (RFC 3264 section 6.1). The overlay leg is not
   * re-offered: the relay simply forwards what arrives.
   */
  #reinvite(request: SipRequest): void {
    const bridged = this.#calls.get(request.callId);
    if (!bridged || bridged.ended || request.toTag !== this.#ourTag(bridged) || !bridged.phoneSdp) {
      return request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
    }
    const offer = parsePlainAudio(request.body);
    if (!offer.ok) return request.respond(488, { reason: `Not Acceptable Here: ${offer.reason}` });
    const direction = answerDirection(offer.audio.direction);
    bridged.phoneSdp = bridged.phoneSdp
      .replace(/^a=(sendrecv|sendonly|recvonly|inactive)$/m, `a=${direction}`)
      .replace(/^(o=\S+ \d+ )(\d+)/m, (_, head: string, version: string) => `${head}${Number(version) + 1}`);
    request.respond(200, {
      body: bridged.phoneSdp,
      contentType: 'application/sdp',
      headers: [['Contact', `<${this.context.stack.uri}>`]],
    });
  }

  #bye(request: SipRequest): void {
    const bridged = this.#calls.get(request.callId);
    if (!bridged || request.toTag !== this.#ourTag(bridged) || request.fromTag !== this.#theirTag(bridged)) {
      return request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
    }
    request.respond(200);
    bridged.acked?.();
    void closeMedia(bridged);
    bridged.overlay?.hangup();
    this.#calls.delete(request.callId);
    this.context.emit({ kind: 'ended', callId: request.callId, message: 'the desk phone hung up' });
  }

  /** The phone's requests carry, as To tag, the bridge's tag in that dialog. */
  #ourTag(bridged: BridgedCall): string {
    return bridged.phone.localTag;
  }

  #theirTag(bridged: BridgedCall): string | undefined {
    return bridged.phone.remoteTag;
  }

  #authenticated(request: SipRequest): boolean {
    const outcome = this.auth.check(request);
    if (outcome.ok) return true;
    request.respond(outcome.status, { reason: outcome.reason, headers: outcome.headers });
    return false;
  }
}
