import { callQuality, type CallQuality, type QualityCounters } from '../media/call-quality.ts';
import type { LevelMeter, MediaEngine, MediaSession, Microphone } from '../media/media-engine.ts';
import { MicrophoneError, microphoneProblemText } from '../media/microphone-error.ts';
import { playTones } from '../lib/tone-player.ts';
import { dtmfFeedback } from '../lib/tones.ts';

/** How often the call screen's numbers move. */
const LEVEL_EVERY_MS = 100;
const QUALITY_EVERY_MS = 1000;

export const NO_AUDIO_TEXT = "This call has no audio: the caller's device sends none";

/**
 * One call's audio as the person sees it: the microphone it sends (and whether it is muted or
 * held), what arrives, the level and quality meters, and the messages about devices. MediaState
 * makes one per call and carries its offers and answers to the core; this class only talks to
 * the engine. `session` is null for a call that has no audio at all (the other side offered
 * none, or this browser has no WebRTC): the call screen then disables the audio controls.
 */
export class CallMedia {
  /** The Call-ID, once the core has named the call (an outgoing offer is made before). */
  callId = $state<string | null>(null);
  microphone = $state.raw<Microphone | null>(null);
  muted = $state(false);
  /** This side put the call on hold (its last offer the other side took said sendonly). */
  held = $state(false);
  /** A hold or resume is on its way (re-INVITE). */
  changing = $state(false);
  remoteStream = $state.raw<MediaStream | null>(null);
  /** The microphone's level, 0-100. */
  level = $state(0);
  quality = $state.raw<CallQuality | null>(null);
  /** The speaker the call plays on ('' the default). */
  sinkId = $state('');
  /** Keys sent as DTMF in this call, for the keypad's display. */
  keys = $state('');
  /** Why the other side cannot hear this one, or why there is no audio at all (lasting). */
  problem = $state<string | null>(null);
  /**
   * News about devices ("now using the default microphone"), oldest first: unplugging a headset
   * takes the microphone and the speaker at once, and both deserve saying.
   */
  notices = $state.raw<string[]>([]);
  /** The last failed action (hold, resume), in the core's words. */
  error = $state<string | null>(null);
  /** Our first offer waits for the callee's answer (CallView.remoteSdp once active). */
  awaitingAnswer = false;

  readonly session: MediaSession | null;
  readonly #engine: MediaEngine | null;
  #meter: LevelMeter | null = null;
  #offEnded: (() => void) | null = null;
  #offRemote: () => void = () => undefined;
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #counters: QualityCounters | null = null;
  /** A change of microphone under way (unplugged, plugged in, chosen): one at a time. */
  #replacing: Promise<void> | null = null;
  /** The devices chosen in Settings for this call, whichever the call ended up using. */
  #chosenMicrophone = '';
  #chosenSpeaker = '';
  #closed = false;

  constructor(engine: MediaEngine | null, session: MediaSession | null, sinkId = '') {
    this.#engine = engine;
    this.session = session;
    this.sinkId = sinkId;
    this.#chosenSpeaker = sinkId;
    if (session) this.#offRemote = session.onRemoteStream((stream) => (this.remoteStream = stream));
  }

  /**
   * Opens the microphone chosen in Settings (`wanted`, '' the default) and sends it. When that
   * one is not connected the default one takes over; when none can be opened the call goes on,
   * receiving only, and `problem` says why.
   */
  async openMicrophone(wanted: string): Promise<void> {
    if (!this.#engine || !this.session) return;
    this.#chosenMicrophone = wanted;
    let microphone: Microphone | null = null;
    try {
      microphone = await this.#engine.openMicrophone(wanted);
    } catch (error) {
      const problem = MicrophoneError.from(error).problem;
      if (wanted && problem === 'missing') {
        try {
          microphone = await this.#engine.openMicrophone('');
          this.tell('The microphone chosen in Settings is not connected: using the default microphone');
        } catch (again) {
          this.problem = microphoneProblemText(MicrophoneError.from(again).problem);
        }
      } else {
        this.problem = microphoneProblemText(problem);
      }
    }
    await this.#send(microphone);
  }

  /**
   * The microphone in use went away (track ended, or its device left the list): the default one
   * takes over without a new offer (RTCRtpSender.replaceTrack), or the call goes on unheard.
   */
  async microphoneLost(lost: Microphone): Promise<void> {
    if (this.#closed || this.microphone !== lost || this.#replacing || !this.#engine) return;
    const engine = this.#engine;
    await this.#replace(async () => {
      try {
        const next = await engine.openMicrophone('');
        await this.#send(next);
        this.tell('Your microphone was disconnected: now using the default microphone');
      } catch {
        await this.#send(null);
        this.problem = microphoneProblemText('missing');
      }
    });
  }

  /** A device was plugged in while the call had no microphone: try it. */
  async microphoneAppeared(wanted: string): Promise<void> {
    if (this.#closed || this.microphone || this.#replacing || !this.#engine || !this.session) return;
    const engine = this.#engine;
    await this.#replace(async () => {
      try {
        const microphone = await engine.openMicrophone(wanted).catch(() => engine.openMicrophone(''));
        await this.#send(microphone);
        this.tell('A microphone is connected: the other side can hear you again');
      } catch {
        // Still none that opens: the problem already says so.
      }
    });
  }

  /**
   * The person chose another microphone in Settings during the call: it takes over at once,
   * on the same sender (RTCRtpSender.replaceTrack: no re-INVITE), muted if the call is muted or
   * held, with the level meter on it; the one it replaces is released. When it will not open,
   * the call goes on with the microphone it has, and a notice says why.
   */
  async chooseMicrophone(deviceId: string): Promise<void> {
    if (this.#closed || !this.#engine || !this.session || deviceId === this.#chosenMicrophone) return;
    this.#chosenMicrophone = deviceId;
    const engine = this.#engine;
    // After an unplug being handled: its outcome is what this choice replaces.
    while (this.#replacing) await this.#replacing;
    if (this.#closed || deviceId !== this.#chosenMicrophone) return;
    await this.#replace(async () => {
      let next: Microphone;
      try {
        next = await engine.openMicrophone(deviceId);
      } catch (error) {
        const why = {
          denied: 'Chordline may not use it',
          missing: 'it is not connected',
          busy: 'another program may be using it',
        }[MicrophoneError.from(error).problem];
        this.tell(
          `The microphone chosen in Settings could not be opened (${why}): ` +
            (this.microphone
              ? 'the call goes on with the one it had'
              : 'the other side still cannot hear you'),
        );
        return;
      }
      // Closed meanwhile, or another choice came after this one: that one wins.
      if (this.#closed || deviceId !== this.#chosenMicrophone) {
        next.stop();
        return;
      }
      await this.#send(next);
    });
  }

  /**
   * The person chose another speaker in Settings during the call: the call's <audio> moves to
   * it (HTMLMediaElement.setSinkId, in RemoteAudio), and so do the keypad's beeps.
   */
  chooseSpeaker(deviceId: string): void {
    if (this.#closed || deviceId === this.#chosenSpeaker) return;
    this.#chosenSpeaker = deviceId;
    this.sinkId = deviceId;
  }

  /** The chosen speaker went away: the default one plays the call. */
  speakerLost(): void {
    if (this.sinkId === '') return;
    this.sinkId = '';
    this.tell('Your speaker was disconnected: now playing on the default speaker');
  }

  /** Adds a notice (once: the same news twice says nothing new). */
  tell(text: string): void {
    this.notices = [...this.notices.filter((n) => n !== text), text];
  }

  dismiss(text: string): void {
    this.notices = this.notices.filter((n) => n !== text);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.#applyEnabled();
  }

  setHeld(held: boolean): void {
    this.held = held;
    this.#applyEnabled();
  }

  /** Sends one key as RFC 4733 telephone-event, with a short local beep for feedback. */
  sendTone(key: string): boolean {
    if (!this.session?.sendTone(key)) return false;
    this.keys = (this.keys + key).slice(-24);
    const beep = dtmfFeedback(key);
    if (beep) playTones(beep, { sinkId: this.sinkId });
    return true;
  }

  /** Starts the level meter and the quality sampling (once the call is answered). */
  startMonitoring(): void {
    if (this.#closed || !this.session || this.#timers.length) return;
    this.#timers.push(
      setInterval(() => (this.level = this.#meter?.read() ?? 0), LEVEL_EVERY_MS),
      setInterval(() => void this.#sample(), QUALITY_EVERY_MS),
    );
    void this.#sample();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#offRemote();
    this.#offEnded?.();
    this.#meter?.close();
    this.microphone?.stop();
    this.session?.close();
    this.remoteStream = null;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #sample(): Promise<void> {
    if (!this.session || this.#closed) return;
    try {
      const { quality, counters } = callQuality(await this.session.stats(), this.#counters);
      this.#counters = counters ?? this.#counters;
      if (!this.#closed) this.quality = quality;
    } catch {
      // A closed connection has no stats: the last numbers stay until the screen goes.
    }
  }

  async #replace(work: () => Promise<void>): Promise<void> {
    const running = work();
    this.#replacing = running;
    try {
      await running;
    } finally {
      if (this.#replacing === running) this.#replacing = null;
    }
  }

  async #send(microphone: Microphone | null): Promise<void> {
    const old = this.microphone;
    this.#offEnded?.();
    this.#offEnded = null;
    this.#meter?.close();
    this.#meter = null;
    this.microphone = microphone;
    if (microphone && this.#engine) {
      this.problem = null;
      this.#offEnded = microphone.onEnded(() => void this.microphoneLost(microphone));
      this.#meter = this.#engine.levelMeter(microphone);
    }
    this.#applyEnabled();
    if (!microphone) this.level = 0;
    await this.session?.setMicrophone(microphone);
    if (old && old !== microphone) old.stop();
    if (this.#closed) microphone?.stop();
  }

  /** A held call sends silence too: 'sendonly' alone would let the other side hear this room. */
  #applyEnabled(): void {
    this.microphone?.setEnabled(!this.muted && !this.held);
  }
}
