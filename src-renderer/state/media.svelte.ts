import type { CallView, MediaOffer, PhoneApi, Settings } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';
import type { AudioDevice, MediaEngine } from '../media/media-engine.ts';
import { isWebRtcSdp } from '../media/sdp-kind.ts';
import { CallMedia, NO_AUDIO_TEXT } from './call-media.svelte.ts';

/**
 * The voice of every call (issue 5): WebRTC in this page, its session descriptions carried by
 * the core in INVITE, 200 and re-INVITE (RFC 3264 offer/answer), signed. One CallMedia per call:
 *
 *     outgoing:  prepareOffer ─dial({aor, sdp})─▶ bind ─callChanged active + remoteSdp─▶ acceptAnswer
 *     incoming:  callChanged ringing (remoteSdp = offer) ─prepareAnswer─▶ answer({callId, sdp})
 *     answered:  setHold ─createOffer → updateMedia (re-INVITE) → acceptAnswer─▶ held / resumed
 *                          └─refused─▶ rollback, error shown
 *                mediaOffer (their re-INVITE) ─createAnswer─▶ answerMedia({offerId, sdp})
 *     devices:   Settings saved ─chooseDevices─▶ replaceTrack (microphone), setSinkId (speaker)
 *     ended:     callChanged ended ─▶ close (microphone released, connection closed)
 *
 * Without an engine (no WebRTC in this page) calls still connect, without audio.
 */
export class MediaState {
  /** Calls with media (or known to have none), in the order they were set up. */
  calls = $state.raw<CallMedia[]>([]);
  readonly engine: MediaEngine | null;

  #api: PhoneApi;
  #settings: () => Settings | null;
  #offs: Array<() => void>;
  /** The newest news of each call, for a call bound after its answer already arrived. */
  // Plain: nothing renders from it; it is read only when a call is bound.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #views = new Map<string, CallView>();

  constructor(api: PhoneApi, engine: MediaEngine | null, settings: () => Settings | null) {
    this.#api = api;
    this.engine = engine;
    this.#settings = settings;
    this.#offs = [
      api.on('callChanged', (call) => this.#callChanged(call)),
      api.on('mediaOffer', (offer) => void this.#mediaOffer(offer)),
      engine?.onDeviceChange(() => void this.#devicesChanged()) ?? (() => undefined),
    ];
  }

  get available(): boolean {
    return this.engine !== null;
  }

  for(callId: string): CallMedia | undefined {
    return this.calls.find((m) => m.callId === callId);
  }

  /**
   * An outgoing call's offer: the microphone opened (or the reason it could not be), candidates
   * gathered. Null without an engine: the call goes without media.
   */
  async prepareOffer(): Promise<{ media: CallMedia; sdp: string } | null> {
    const media = this.#newCall();
    if (!media) return null;
    try {
      await media.openMicrophone(this.#settings()?.microphoneId ?? '');
      const sdp = await media.session!.createOffer();
      media.awaitingAnswer = true;
      return { media, sdp };
    } catch (error) {
      media.close();
      throw error;
    }
  }

  /** The core named the outgoing call: its media is now that call's. */
  bind(callId: string, media: CallMedia): void {
    media.callId = callId;
    this.calls = [...this.calls.filter((m) => m.callId !== callId), media];
    const view = this.#views.get(callId);
    if (view) this.#callChanged(view);
  }

  /**
   * The answer to a ringing call's offer, or undefined to answer without media: when this page
   * has no WebRTC, or the offer is not WebRTC (no ICE, no DTLS fingerprint), which the call
   * screen then says.
   */
  async prepareAnswer(call: CallView): Promise<string | undefined> {
    if (!this.engine) return undefined;
    if (!isWebRtcSdp(call.remoteSdp)) {
      const silent = new CallMedia(null, null);
      silent.problem = NO_AUDIO_TEXT;
      this.bind(call.id, silent);
      return undefined;
    }
    const media = this.#newCall()!;
    try {
      await media.openMicrophone(this.#settings()?.microphoneId ?? '');
      const sdp = await media.session!.createAnswer(call.remoteSdp);
      this.bind(call.id, media);
      return sdp;
    } catch (error) {
      media.close();
      throw error;
    }
  }

  /** The call never came to be (dial or answer refused): its media goes. */
  drop(media: CallMedia | undefined): void {
    if (!media) return;
    media.close();
    this.calls = this.calls.filter((m) => m !== media);
  }

  /**
   * Hold ('sendonly') or resume ('sendrecv') with a re-INVITE. A refusal (the other side cannot
   * take it, both changed the call at once: 491) rolls the offer back and says why.
   */
  async setHold(callId: string, hold: boolean): Promise<boolean> {
    const media = this.for(callId);
    const session = media?.session;
    if (!media || !session || media.changing) return false;
    media.changing = true;
    media.error = null;
    session.setDirection(hold ? 'sendonly' : 'sendrecv');
    try {
      const offer = await session.createOffer();
      const { sdp } = await this.#api.updateMedia({ callId, sdp: offer });
      await session.acceptAnswer(sdp);
      media.setHeld(hold);
      return true;
    } catch (error) {
      session.setDirection(media.held ? 'sendonly' : 'sendrecv');
      await session.rollback().catch(() => undefined);
      media.error = `${hold ? 'Could not hold the call' : 'Could not resume the call'}: ${errorText(error)}`;
      return false;
    } finally {
      media.changing = false;
    }
  }

  /**
   * The person saved Settings: the calls in progress move to the microphone and the speaker
   * chosen there at once, without a re-INVITE (CallMedia.chooseMicrophone, chooseSpeaker).
   */
  chooseDevices({ microphoneId, speakerId }: Pick<Settings, 'microphoneId' | 'speakerId'>): void {
    for (const media of this.calls) {
      void media.chooseMicrophone(microphoneId);
      media.chooseSpeaker(speakerId);
    }
  }

  dispose(): void {
    for (const off of this.#offs) off();
    for (const media of this.calls) media.close();
    this.calls = [];
  }

  #newCall(): CallMedia | null {
    if (!this.engine) return null;
    const settings = this.#settings();
    const session = this.engine.createSession({ iceServers: settings?.iceServers ?? [] });
    return new CallMedia(this.engine, session, settings?.speakerId ?? '');
  }

  #callChanged(call: CallView): void {
    // Ended ones too: a call can end (404, busy) before dial() has answered and bind() runs.
    this.#views.set(call.id, call);
    const media = this.for(call.id);
    if (!media) return;
    if (call.state === 'ended') {
      this.drop(media);
      return;
    }
    if (call.state !== 'active') return;
    media.startMonitoring();
    if (media.awaitingAnswer && call.remoteSdp) {
      media.awaitingAnswer = false;
      void this.#acceptAnswer(media, call.remoteSdp);
    }
  }

  async #acceptAnswer(media: CallMedia, answer: string): Promise<void> {
    if (!isWebRtcSdp(answer)) {
      media.problem = "This call has no audio: the other side's device sends none";
      return;
    }
    try {
      await media.session?.acceptAnswer(answer);
    } catch (error) {
      media.problem = `This call has no audio: the other side's answer could not be used (${errorText(error)})`;
    }
  }

  /** RFC 3264 §8: the other side changed the session (hold, resume): answer within 10 s. */
  async #mediaOffer({ callId, offerId, sdp }: MediaOffer): Promise<void> {
    const media = this.for(callId);
    const session = media?.session;
    let answer: string | undefined;
    if (media && session && isWebRtcSdp(sdp) && !media.changing) {
      try {
        answer = await session.createAnswer(sdp);
      } catch (error) {
        media.error = `The other side changed the call, and this phone could not follow: ${errorText(error)}`;
        await session.rollback().catch(() => undefined);
      }
    }
    try {
      await this.#api.answerMedia(answer ? { offerId, sdp: answer } : { offerId });
    } catch (error) {
      if (media) media.error = errorText(error);
    }
  }

  async #devicesChanged(): Promise<void> {
    if (!this.engine || this.calls.length === 0) return;
    let devices: AudioDevice[];
    try {
      devices = await this.engine.listDevices();
    } catch {
      return;
    }
    const ids = (kind: AudioDevice['kind']) =>
      // A throwaway lookup, not state.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      new Set(devices.filter((d) => d.kind === kind && d.deviceId !== '').map((d) => d.deviceId));
    const inputs = ids('audioinput');
    const outputs = ids('audiooutput');
    const wanted = this.#settings()?.microphoneId ?? '';
    for (const media of this.calls) {
      const microphone = media.microphone;
      // 'default' and 'communications' follow the system's choice: their track ends instead.
      const named = microphone && !['', 'default', 'communications'].includes(microphone.deviceId);
      if (microphone && named && inputs.size > 0 && !inputs.has(microphone.deviceId)) {
        void media.microphoneLost(microphone);
      } else if (!microphone && inputs.size > 0) {
        void media.microphoneAppeared(wanted);
      }
      if (media.sinkId && outputs.size > 0 && !outputs.has(media.sinkId)) media.speakerLost();
    }
  }
}
