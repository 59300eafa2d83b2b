import type { AudioDevice, LevelMeter, MediaEngine, Microphone } from '../media/media-engine.ts';
import { MicrophoneError, microphoneProblemText } from '../media/microphone-error.ts';

const TEST_LEVEL_EVERY_MS = 100;

/**
 * The microphones and speakers Settings offers, and its tests of them. A browser names its
 * devices only once the page may use the microphone: until then `needsPermission` is true and
 * Settings offers "Allow microphone".
 */
export class DevicesState {
  microphones = $state.raw<AudioDevice[]>([]);
  speakers = $state.raw<AudioDevice[]>([]);
  /** The last problem (permission refused, no device, the device would not open). */
  error = $state<string | null>(null);
  /** The microphone test runs: `testLevel` moves. */
  testing = $state(false);
  testLevel = $state(0);
  /** The speaker test's tone is playing. */
  playing = $state(false);
  /** The list is there, but without names: the browser hides them until permission is given. */
  needsPermission = $derived(this.microphones.length > 0 && this.microphones.every((d) => d.label === ''));

  readonly #engine: MediaEngine | null;
  #off: () => void;
  #test: { microphone: Microphone; meter: LevelMeter; timer: ReturnType<typeof setInterval> } | null = null;

  constructor(engine: MediaEngine | null) {
    this.#engine = engine;
    this.#off = engine?.onDeviceChange(() => void this.load()) ?? (() => undefined);
  }

  get available(): boolean {
    return this.#engine !== null;
  }

  get canChooseSpeaker(): boolean {
    return this.#engine?.canChooseSpeaker ?? false;
  }

  async load(): Promise<void> {
    if (!this.#engine) return;
    try {
      const devices = await this.#engine.listDevices();
      this.microphones = devices.filter((d) => d.kind === 'audioinput');
      this.speakers = devices.filter((d) => d.kind === 'audiooutput');
    } catch (error) {
      this.error = `The browser would not list its devices: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Asks for the microphone once, so that the browser names its devices. */
  async allow(): Promise<boolean> {
    if (!this.#engine) return false;
    this.error = null;
    try {
      (await this.#engine.openMicrophone('')).stop();
      await this.load();
      return true;
    } catch (error) {
      this.error = microphoneProblemText(MicrophoneError.from(error).problem, 'settings');
      return false;
    }
  }

  /** Opens `deviceId` and shows its level live, until stopMicrophoneTest. */
  async startMicrophoneTest(deviceId: string): Promise<void> {
    if (!this.#engine || this.#test) return;
    this.error = null;
    try {
      const microphone = await this.#engine.openMicrophone(deviceId);
      const meter = this.#engine.levelMeter(microphone);
      const timer = setInterval(() => (this.testLevel = meter.read()), TEST_LEVEL_EVERY_MS);
      this.#test = { microphone, meter, timer };
      this.testing = true;
      microphone.onEnded(() => this.stopMicrophoneTest());
      await this.load();
    } catch (error) {
      this.error = microphoneProblemText(MicrophoneError.from(error).problem, 'settings');
    }
  }

  stopMicrophoneTest(): void {
    const test = this.#test;
    this.#test = null;
    this.testing = false;
    this.testLevel = 0;
    if (!test) return;
    clearInterval(test.timer);
    test.meter.close();
    test.microphone.stop();
  }

  /** Plays a short chime on `deviceId` ('' the default speaker). */
  async testSpeaker(deviceId: string): Promise<void> {
    if (!this.#engine || this.playing) return;
    this.playing = true;
    try {
      await this.#engine.testSpeaker(deviceId);
    } finally {
      this.playing = false;
    }
  }

  dispose(): void {
    this.stopMicrophoneTest();
    this.#off();
  }
}
