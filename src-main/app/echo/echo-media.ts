import { randomInt } from 'node:crypto';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useOPUS, useSdesMid } from 'werift';
import type { MediaStreamTrack, RTCRtpTransceiver } from 'werift';
import { DtmfReceiver } from './dtmf-receiver.ts';

export interface EchoMediaOptions {
  /** Host addresses to offer ICE candidates on beside the machine's interfaces (loopback…). */
  hostAddresses?: string[];
  /**
   * The longest to wait for ICE gathering before answering with the candidates found so far.
   * Host candidates come in a few milliseconds; this bounds the STUN query werift always makes.
   */
  gatherTimeoutMs?: number;
}

/** What the media of one call tells the call around it. */
export interface EchoMediaEvents {
  /** The first RTP packet arrived: the media path works. */
  firstRtp?(): void;
  /** A DTMF key was pressed and released (RFC 4733). */
  digit?(key: string): void;
  /** ICE or DTLS failed: no media will flow. */
  failed?(why: string): void;
}

export const DEFAULT_GATHER_TIMEOUT_MS = 1500;

/** An offer werift accepted but the echo cannot serve, or a call that has already ended. */
export class EchoMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EchoMediaError';
  }
}

/**
 * The media side of one echo call: a werift RTCPeerConnection that answers the caller's WebRTC
 * offer and sends every audio packet it receives back on its own stream.
 *
 * ```
 *   caller ──RTP opus (seq n, ts t)──▶  echo  ──RTP opus (own SSRC, own seq, ts t + offset)──▶ caller
 *   caller ──RTP telephone-event────▶  echo  ──▶ DtmfReceiver (digits), never echoed
 * ```
 *
 * The payload goes back untouched (Opus pass-through: no decoding, no added delay). Sequence
 * numbers are the echo's own and without gaps, since DTMF packets are not sent back; timestamps
 * keep the caller's spacing (RFC 3550 section 5.1: silence shows as a jump in timestamp, not in
 * sequence). werift's sender puts its own SSRC and the negotiated payload type on each packet.
 */
export class EchoMedia {
  readonly counters = { received: 0, echoed: 0, dtmfPackets: 0, dropped: 0 };
  readonly dtmf = new DtmfReceiver();
  firstRtpAt: number | undefined;
  #closed = false;
  #sequence = randomInt(0, 0x10000);
  readonly #timestampOffset = randomInt(0, 0x1_0000_0000 - 1);
  readonly #tracks = new WeakSet<MediaStreamTrack>();

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly events: EchoMediaEvents,
    private readonly gatherTimeoutMs: number,
  ) {
    pc.onTransceiverAdded.subscribe((transceiver) => {
      transceiver.onTrack.subscribe((track) => this.#listen(track, transceiver));
    });
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' && !this.#closed) {
        this.#safely(() => events.failed?.('ICE or DTLS failed: no path for media to the caller'));
      }
    });
  }

  /**
   * Answers an offer. Rejects (werift's own error, or ours) when the offer cannot be answered;
   * the peer connection is closed then.
   */
  static async answer(
    offer: string,
    options: EchoMediaOptions = {},
    events: EchoMediaEvents = {},
  ): Promise<{ media: EchoMedia; sdp: string }> {
    const pc = new RTCPeerConnection({
      codecs: {
        audio: [
          useOPUS(),
          // werift matches codecs by MIME type: this takes telephone-event at whichever rate
          // (48000 or 8000) and payload type the caller offers.
          new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1 }),
        ],
        video: [],
      },
      // The caller may route its packets by MID (RFC 8843) instead of listing its SSRC.
      headerExtensions: { audio: [useSdesMid()], video: [] },
      iceServers: [],
      iceAdditionalHostAddresses: options.hostAddresses?.length ? options.hostAddresses : undefined,
    });
    const media = new EchoMedia(pc, events, options.gatherTimeoutMs ?? DEFAULT_GATHER_TIMEOUT_MS);
    try {
      return { media, sdp: await media.answerOffer(offer) };
    } catch (error) {
      await media.close();
      throw error;
    }
  }

  /** Answers an offer: the first one, or a new one in the call (hold, resume: RFC 3264 section 8). */
  async answerOffer(offer: string): Promise<string> {
    if (this.#closed) throw new EchoMediaError('the echo call has ended');
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    // A transceiver the offer created has no track, so werift would answer recvonly. The echo
    // always wants to send; the answer is the intersection with what the offer allows (a caller
    // holding the call with sendonly gets recvonly).
    for (const t of this.#audio()) if (t.direction !== 'sendrecv') t.setDirection('sendrecv');
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    const [echoing] = this.#audio();
    const codec = echoing?.sender.codec?.mimeType.toLowerCase();
    if (codec !== 'audio/opus') {
      throw new EchoMediaError(`the caller's audio would be ${codec ?? 'nothing'}, not Opus`);
    }
    // No trickle in SIP here: the answer goes once, with every candidate it will ever have.
    await this.#gathered();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new EchoMediaError('werift produced no answer');
    return sdp;
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /** Closes the peer connection. Safe twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pc.close().catch(() => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #audio(): RTCRtpTransceiver[] {
    return this.pc.getTransceivers().filter((t) => t.kind === 'audio');
  }

  #gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.gatherTimeoutMs);
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') done();
      });
      function done() {
        clearTimeout(timer);
        unSubscribe();
        resolve();
      }
    });
  }

  #listen(track: MediaStreamTrack, transceiver: RTCRtpTransceiver): void {
    if (this.#tracks.has(track)) return;
    this.#tracks.add(track);
    track.onReceiveRtp.subscribe((packet) => this.#safely(() => this.#receive(packet, transceiver)));
  }

  #receive(packet: RtpPacket, transceiver: RTCRtpTransceiver): void {
    if (this.#closed) return;
    this.counters.received++;
    if (this.firstRtpAt === undefined) {
      this.firstRtpAt = Date.now();
      this.events.firstRtp?.();
    }
    const codec = transceiver.codecs.find((c) => c.payloadType === packet.header.payloadType);
    const kind = codec?.mimeType.toLowerCase();
    if (kind === 'audio/telephone-event') {
      this.counters.dtmfPackets++;
      const key = this.dtmf.push({
        ssrc: packet.header.ssrc,
        timestamp: packet.header.timestamp,
        payload: packet.payload,
      });
      for (const k of key ?? '') this.events.digit?.(k);
      return;
    }
    const sending =
      transceiver.currentDirection === 'sendrecv' || transceiver.currentDirection === 'sendonly';
    if (kind !== 'audio/opus' || !sending || packet.payload.length === 0) {
      this.counters.dropped++;
      return;
    }
    const echo = new RtpPacket(
      new RtpHeader({
        payloadType: packet.header.payloadType,
        marker: packet.header.marker,
        sequenceNumber: this.#sequence,
        timestamp: (packet.header.timestamp + this.#timestampOffset) >>> 0,
      }),
      packet.payload,
    );
    this.#sequence = (this.#sequence + 1) & 0xffff;
    transceiver.sender.sendRtp(echo).then(
      () => this.counters.echoed++,
      () => this.counters.dropped++,
    );
  }

  /** werift calls us from its own event loop: an exception here must not reach it. */
  #safely(task: () => void): void {
    try {
      task();
    } catch {
      this.counters.dropped++;
    }
  }
}
