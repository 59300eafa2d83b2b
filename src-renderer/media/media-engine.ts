import type { IceServer } from '../../src-main/ipc/contract.ts';
import type { StatsEntry } from './call-quality.ts';

/**
 * The boundary between the phone's call logic (state/media.svelte.ts) and the browser's media
 * stack. The real engine (webrtc-engine.ts) drives getUserMedia, RTCPeerConnection and Web Audio
 * in Chromium or Electron; component tests in jsdom hand the state a fake with the same shape.
 *
 * An engine MUST NOT talk to the phone's core: it makes and takes session descriptions, and the
 * state carries them (dial, answer, updateMedia, answerMedia). It MUST NOT show anything: it
 * reports problems as MicrophoneError or rejected promises, and the state turns them into words.
 */
export interface MediaEngine {
  /** One RTCPeerConnection for one call. */
  createSession(options: SessionOptions): MediaSession;
  /**
   * Opens a microphone with echo cancellation, noise suppression and automatic gain on. `deviceId`
   * '' is the system's default. Rejects with a MicrophoneError.
   */
  openMicrophone(deviceId: string): Promise<Microphone>;
  /** Microphones and speakers; labels are '' until the page may use the microphone. */
  listDevices(): Promise<AudioDevice[]>;
  /** Called when a device is plugged in or out. Returns its unsubscribe function. */
  onDeviceChange(listener: () => void): () => void;
  /** A level meter on the microphone's stream. */
  levelMeter(microphone: Microphone): LevelMeter;
  /** Whether the speaker can be chosen (HTMLMediaElement.setSinkId): not in every browser. */
  readonly canChooseSpeaker: boolean;
  /** Plays a short tone on the speaker `deviceId` ('' the default), resolving when it is done. */
  testSpeaker(deviceId: string): Promise<void>;
}

export interface SessionOptions {
  iceServers: IceServer[];
}

export interface AudioDevice {
  kind: 'audioinput' | 'audiooutput';
  deviceId: string;
  label: string;
}

/** An open microphone: one audio track, and the stream it belongs to. */
export interface Microphone {
  /** The device it really opened (the default resolved to a device, where the browser says). */
  readonly deviceId: string;
  readonly stream: MediaStream;
  /** false: the track sends silence (mute). */
  setEnabled(enabled: boolean): void;
  /** The device went away (unplugged) or the system took it. Returns its unsubscribe function. */
  onEnded(listener: () => void): () => void;
  stop(): void;
}

export interface LevelMeter {
  /** The input level now, 0 (silence) to 100 (full scale). */
  read(): number;
  close(): void;
}

/**
 * One call's media: a peer connection with one audio transceiver. Offers and answers resolve
 * with the SDP and the ICE candidates gathered (SIP carries no trickle): ~50 ms after the host
 * candidates without STUN or TURN, at most 3 s (ice-gathering.ts).
 *
 *     new ──createOffer──▶ have-local-offer ──acceptAnswer──▶ stable
 *      │                        └──rollback──▶ stable (or new)
 *      └──createAnswer(offer)──────────────────▶ stable
 *     stable ──createOffer / createAnswer──▶ … (re-INVITE: hold, resume)
 *     (any) ──close──▶ closed
 */
export interface MediaSession {
  createOffer(): Promise<string>;
  createAnswer(offer: string): Promise<string>;
  acceptAnswer(answer: string): Promise<void>;
  /** Forgets a local offer the other side did not take (setLocalDescription rollback). */
  rollback(): Promise<void>;
  /** What the next offer or answer says: 'sendonly' holds the call, 'sendrecv' resumes it. */
  setDirection(direction: 'sendrecv' | 'sendonly'): void;
  /** The microphone to send (null: silence), now or as soon as the transceiver exists. */
  setMicrophone(microphone: Microphone | null): Promise<void>;
  /** RFC 4733 telephone-event for one key (0-9, *, #); false when the call cannot send one. */
  sendTone(key: string): boolean;
  stats(): Promise<StatsEntry[]>;
  /** The other side's audio arrived (ontrack): the stream the remote <audio> plays. */
  onRemoteStream(listener: (stream: MediaStream) => void): () => void;
  close(): void;
}
