import type { StatsEntry } from './call-quality.ts';
import { gatheringRule, iceGathered, type GatheringRule } from './ice-gathering.ts';
import type { MediaSession, Microphone, SessionOptions } from './media-engine.ts';
import { withOpusPacketTime } from './opus-ptime.ts';

/** RFC 4733 events as RTCDTMFSender takes them: 100 ms tones, 70 ms apart. */
const TONE_MS = 100;
const TONE_GAP_MS = 70;

/**
 * One call's RTCPeerConnection (see MediaSession for its states). Opus, DTLS-SRTP and ICE are
 * the browser's; this class only keeps the one audio transceiver pointing the right way and
 * hands out complete descriptions: candidates gathered (ice-gathering.ts), and 10 ms Opus
 * packets asked for (opus-ptime.ts; Chromium allows that attribute to be added before
 * setLocalDescription, and the description the core signs is the one set).
 */
export class WebRtcSession implements MediaSession {
  readonly #pc: RTCPeerConnection;
  readonly #gathering: GatheringRule;
  #microphone: Microphone | null = null;
  #direction: RTCRtpTransceiverDirection = 'sendrecv';
  #remote: MediaStream | null = null;
  readonly #remoteListeners = new Set<(stream: MediaStream) => void>();

  constructor(options: SessionOptions) {
    this.#gathering = gatheringRule(options.iceServers);
    this.#pc = new RTCPeerConnection({
      iceServers: options.iceServers.map((s) => ({ ...s })),
      // One audio m-line: bundling and muxing RTCP keep the SDP (and the UDP datagram) short.
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      // Gathering starts now, while the microphone opens, instead of at setLocalDescription:
      // the offer or answer that follows finds its candidates (or most of them) ready.
      iceCandidatePoolSize: 1,
    });
    this.#pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      // The other side may have sent no stream id (msid): the track gets a stream of its own.
      const stream = event.streams[0] ?? this.#remote ?? new MediaStream();
      if (!stream.getTracks().includes(event.track)) stream.addTrack(event.track);
      if (stream === this.#remote) return;
      this.#remote = stream;
      for (const listener of this.#remoteListeners) listener(stream);
    });
  }

  /** The RTCPeerConnection itself, for a test page that wants to read its stats. */
  get peerConnection(): RTCPeerConnection {
    return this.#pc;
  }

  async createOffer(): Promise<string> {
    const transceiver = this.#transceiver() ?? this.#addTransceiver();
    transceiver.direction = this.#direction;
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription({ type: 'offer', sdp: withOpusPacketTime(offer.sdp ?? '') });
    return this.#gathered();
  }

  async createAnswer(offer: string): Promise<string> {
    await this.#pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const transceiver = this.#transceiver();
    if (transceiver) {
      // The offer made the transceiver (recvonly); sending needs the direction and the track.
      transceiver.direction = this.#direction;
      await this.#attach(transceiver);
    }
    const answer = await this.#pc.createAnswer();
    await this.#pc.setLocalDescription({ type: 'answer', sdp: withOpusPacketTime(answer.sdp ?? '') });
    return this.#gathered();
  }

  async acceptAnswer(answer: string): Promise<void> {
    await this.#pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  async rollback(): Promise<void> {
    if (this.#pc.signalingState === 'have-local-offer') {
      await this.#pc.setLocalDescription({ type: 'rollback' });
    }
  }

  setDirection(direction: 'sendrecv' | 'sendonly'): void {
    this.#direction = direction;
  }

  async setMicrophone(microphone: Microphone | null): Promise<void> {
    this.#microphone = microphone;
    const transceiver = this.#transceiver();
    if (transceiver) await this.#attach(transceiver);
  }

  sendTone(key: string): boolean {
    const dtmf = this.#transceiver()?.sender.dtmf;
    if (!dtmf || !dtmf.canInsertDTMF) return false;
    // Appending keeps fast typing in order; insertDTMF alone would replace the queued tones.
    dtmf.insertDTMF(dtmf.toneBuffer + key, TONE_MS, TONE_GAP_MS);
    return true;
  }

  async stats(): Promise<StatsEntry[]> {
    const report = await this.#pc.getStats();
    return [...report.values()] as StatsEntry[];
  }

  onRemoteStream(listener: (stream: MediaStream) => void): () => void {
    this.#remoteListeners.add(listener);
    if (this.#remote) listener(this.#remote);
    return () => void this.#remoteListeners.delete(listener);
  }

  close(): void {
    this.#remoteListeners.clear();
    this.#pc.close();
  }

  #transceiver(): RTCRtpTransceiver | undefined {
    return this.#pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
  }

  #addTransceiver(): RTCRtpTransceiver {
    const mic = this.#microphone;
    const track = mic?.stream.getAudioTracks()[0];
    // Without a microphone the call still offers to send (silence until one is plugged in and
    // replaceTrack puts it on the same transceiver, no new offer needed).
    return this.#pc.addTransceiver(track ?? 'audio', {
      direction: this.#direction,
      streams: mic ? [mic.stream] : [],
    });
  }

  async #attach(transceiver: RTCRtpTransceiver): Promise<void> {
    const mic = this.#microphone;
    const track = mic?.stream.getAudioTracks()[0] ?? null;
    if (transceiver.sender.track === track) return;
    await transceiver.sender.replaceTrack(track);
    if (mic) transceiver.sender.setStreams?.(mic.stream);
  }

  async #gathered(): Promise<string> {
    await iceGathered(this.#pc, this.#gathering);
    const sdp = this.#pc.localDescription?.sdp;
    if (!sdp) throw new Error('The browser made no session description');
    return sdp;
  }
}
