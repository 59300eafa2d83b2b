import { vi } from 'vitest';
import type { StatsEntry } from '../../src-renderer/media/call-quality.ts';
import type {
  AudioDevice,
  MediaEngine,
  MediaSession,
  Microphone,
  SessionOptions,
} from '../../src-renderer/media/media-engine.ts';
import { MicrophoneError, type MicrophoneProblem } from '../../src-renderer/media/microphone-error.ts';

/** What a browser's offer looks like to the phone: ICE credentials and a DTLS fingerprint. */
export const WEBRTC_OFFER = [
  'v=0',
  'o=- 4611 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 126',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:bobU',
  'a=ice-pwd:bobpasswordbobpasswordbo',
  'a=fingerprint:sha-256 AB:CD',
  'a=setup:actpass',
  'a=sendrecv',
  '',
].join('\r\n');

/** The command line's offer: no ICE, no DTLS, no audio (a=inactive). */
export const PLACEHOLDER_OFFER =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n';

/** The answer Bob's browser sends back: as WebRTC as the offer. */
export const WEBRTC_ANSWER = WEBRTC_OFFER.replace('bobU', 'ansU').replace('actpass', 'active');

/** A microphone that a test can unplug. */
export class FakeMicrophone implements Microphone {
  enabled = true;
  stopped = false;
  readonly stream: MediaStream;
  readonly #ended = new Set<() => void>();

  constructor(readonly deviceId: string) {
    // Only RemoteAudio and the level meter look at streams, and both go through the engine.
    this.stream = { id: `stream-${deviceId}` } as unknown as MediaStream;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  onEnded(listener: () => void): () => void {
    this.#ended.add(listener);
    return () => void this.#ended.delete(listener);
  }

  stop(): void {
    this.stopped = true;
  }

  /** The cable is pulled: the track ends. */
  unplug(): void {
    for (const listener of [...this.#ended]) listener();
  }
}

/** One call's connection, answering with canned descriptions and recording what it was asked. */
export class FakeSession implements MediaSession {
  direction: 'sendrecv' | 'sendonly' = 'sendrecv';
  microphone: Microphone | null = null;
  readonly tones: string[] = [];
  closed = false;
  /** What getStats reports now. */
  report: StatsEntry[] = [];
  readonly #remote = new Set<(stream: MediaStream) => void>();

  readonly createOffer = vi.fn(async () => `v=0\r\na=offer-${this.direction}\r\n`);
  readonly createAnswer = vi.fn(async (_offer: string) => `v=0\r\na=answer-${this.direction}\r\n`);
  readonly acceptAnswer = vi.fn(async (_answer: string) => undefined);
  readonly rollback = vi.fn(async () => undefined);

  constructor(readonly options: SessionOptions) {}

  setDirection(direction: 'sendrecv' | 'sendonly'): void {
    this.direction = direction;
  }

  async setMicrophone(microphone: Microphone | null): Promise<void> {
    this.microphone = microphone;
  }

  sendTone(key: string): boolean {
    this.tones.push(key);
    return true;
  }

  async stats(): Promise<StatsEntry[]> {
    return this.report;
  }

  onRemoteStream(listener: (stream: MediaStream) => void): () => void {
    this.#remote.add(listener);
    return () => void this.#remote.delete(listener);
  }

  /** The other side's audio arrives. */
  deliverRemote(stream: MediaStream = { id: 'remote' } as unknown as MediaStream): MediaStream {
    for (const listener of this.#remote) listener(stream);
    return stream;
  }

  close(): void {
    this.closed = true;
  }
}

export interface FakeMediaEngine extends MediaEngine {
  readonly sessions: FakeSession[];
  readonly microphones: FakeMicrophone[];
  devices: AudioDevice[];
  /** What openMicrophone refuses with, per device id ('' the default); absent: it opens. */
  refuse: Map<string, MicrophoneProblem>;
  readonly testSpeaker: ReturnType<typeof vi.fn<(deviceId: string) => Promise<void>>>;
  /** A device was plugged in or out. */
  changeDevices(devices: AudioDevice[]): void;
  /** The newest session (the call just made or answered). */
  readonly session: FakeSession;
}

export const DEVICES: AudioDevice[] = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default - Headset microphone' },
  { kind: 'audioinput', deviceId: 'mic-headset', label: 'Headset microphone' },
  { kind: 'audioinput', deviceId: 'mic-laptop', label: 'Laptop microphone' },
  { kind: 'audiooutput', deviceId: 'default', label: 'Default - Headset' },
  { kind: 'audiooutput', deviceId: 'spk-headset', label: 'Headset' },
  { kind: 'audiooutput', deviceId: 'spk-laptop', label: 'Laptop speakers' },
];

/** Loud enough to see on a meter. */
export const LEVEL = 42;

export function fakeMedia(devices: AudioDevice[] = DEVICES): FakeMediaEngine {
  const changed = new Set<() => void>();
  const engine: FakeMediaEngine = {
    sessions: [],
    microphones: [],
    devices,
    refuse: new Map(),
    canChooseSpeaker: true,
    testSpeaker: vi.fn(async () => undefined),
    get session() {
      const last = engine.sessions[engine.sessions.length - 1];
      if (!last) throw new Error('no call has media yet');
      return last;
    },
    createSession(options) {
      const session = new FakeSession(options);
      engine.sessions.push(session);
      return session;
    },
    async openMicrophone(deviceId) {
      const problem = engine.refuse.get(deviceId);
      if (problem) throw new MicrophoneError(problem, `refused: ${problem}`);
      const microphone = new FakeMicrophone(deviceId || 'mic-headset');
      engine.microphones.push(microphone);
      return microphone;
    },
    async listDevices() {
      return engine.devices;
    },
    onDeviceChange(listener) {
      changed.add(listener);
      return () => void changed.delete(listener);
    },
    levelMeter: () => ({ read: () => LEVEL, close: () => undefined }),
    changeDevices(next) {
      engine.devices = next;
      for (const listener of changed) listener();
    },
  };
  return engine;
}
