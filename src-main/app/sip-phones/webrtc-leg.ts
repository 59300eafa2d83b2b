import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, useSdesMid } from 'werift';
import type { RTCRtpTransceiver, RtpPacket } from 'werift';
import { G711_PAYLOAD_TYPE, TELEPHONE_EVENT_PT } from './plain-sdp.ts';
import type { G711 } from './plain-sdp.ts';

/** The longest to wait for ICE gathering: host candidates come in milliseconds (no STUN is configured). */
const GATHER_TIMEOUT_MS = 1500;

/** werift refused an offer or answer, or negotiated something the bridge cannot relay. */
export class WebRtcLegError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebRtcLegError';
  }
}

export type AudioKind = 'audio' | 'telephone-event';

/** One packet the leg received, as the relay needs it. */
export interface LegPacket {
  kind: AudioKind;
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

/**
 * The overlay side of a bridged call: a werift RTCPeerConnection (ICE, DTLS-SRTP) that speaks
 * G.711 only, so that its payloads can go to a desk phone untouched.
 *
 * Chromium offers `opus, red, G722, PCMU, PCMA, CN, telephone-event/48000, telephone-event/8000`;
 * werift keeps the offered codecs whose MIME type it knows, in the offer's order, so a leg that
 * knows only G.711 answers PCMU (or PCMA) and both sides then send it. A peer that offers Opus
 * alone (the echo test) cannot be bridged without transcoding and is refused.
 */
export class WebRtcLeg {
  #closed = false;
  #onPacket: ((packet: LegPacket) => void) | undefined;
  /** werift announces a transceiver we added ourselves too: listen to each once. */
  readonly #heard = new WeakSet<RTCRtpTransceiver>();

  private constructor(
    private readonly pc: RTCPeerConnection,
    readonly codecs: G711[],
  ) {
    pc.onTransceiverAdded.subscribe((t) => this.#listen(t));
  }

  /** A leg that will offer (a desk phone calls out) with exactly this G.711 codec. */
  static async offer(codec: G711, hostAddresses: string[]): Promise<{ leg: WebRtcLeg; sdp: string }> {
    const leg = new WebRtcLeg(peerConnection([codec], hostAddresses), [codec]);
    try {
      const transceiver = leg.pc.addTransceiver('audio', { direction: 'sendrecv' });
      leg.#listen(transceiver);
      await leg.pc.setLocalDescription(await leg.pc.createOffer());
      return { leg, sdp: await leg.#gathered() };
    } catch (error) {
      await leg.close();
      throw error;
    }
  }

  /** A leg that answers a WebRTC offer (a call to the desk phone's user), in G.711 if it can. */
  static async answer(offer: string, hostAddresses: string[]): Promise<{ leg: WebRtcLeg; sdp: string }> {
    const leg = new WebRtcLeg(peerConnection(['PCMU', 'PCMA'], hostAddresses), ['PCMU', 'PCMA']);
    try {
      await leg.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const t of leg.#audio()) if (t.direction !== 'sendrecv') t.setDirection('sendrecv');
      await leg.pc.setLocalDescription(await leg.pc.createAnswer());
      leg.sendingCodec(); // throws when no G.711 was negotiated
      return { leg, sdp: await leg.#gathered() };
    } catch (error) {
      await leg.close();
      throw error instanceof WebRtcLegError
        ? error
        : new WebRtcLegError(`the offer has no G.711 audio the bridge can take (${oneLine(error)})`);
    }
  }

  /** The other side's answer to our offer. */
  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    this.sendingCodec();
  }

  /** A new offer inside the call (hold, resume): answered by the same connection. */
  async answerAgain(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription?.sdp ?? '';
  }

  /** The G.711 codec this leg sends and expects (the first negotiated one). */
  sendingCodec(): G711 {
    const mime = this.#audio()[0]?.codecs[0]?.mimeType.toUpperCase();
    if (mime === 'AUDIO/PCMU') return 'PCMU';
    if (mime === 'AUDIO/PCMA') return 'PCMA';
    throw new WebRtcLegError(`the WebRTC side would send ${mime ?? 'nothing'}, not G.711`);
  }

  /** Whether the other side accepted telephone-event at 8000 Hz. */
  get telephoneEvent(): boolean {
    return this.#payloadType('telephone-event') !== undefined;
  }

  onPacket(listener: (packet: LegPacket) => void): void {
    this.#onPacket = listener;
  }

  /**
   * Sends one packet under this leg's SSRC and the negotiated payload type. werift's
   * `RTCRtpSender.sendRtp` would stamp the audio payload type on every packet (telephone-event
   * included), so packets go to the DTLS transport with a header of our making.
   */
  async send(packet: LegPacket): Promise<boolean> {
    const transceiver = this.#audio()[0];
    const payloadType = this.#payloadType(packet.kind);
    if (this.#closed || !transceiver || payloadType === undefined) return false;
    if (transceiver.sender.dtlsTransport.state !== 'connected') return false;
    const header = new RtpHeader({
      payloadType,
      marker: packet.marker,
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      ssrc: transceiver.sender.ssrc,
    });
    await transceiver.sender.dtlsTransport.sendRtp(packet.payload, header);
    return true;
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  onFailed(listener: () => void): void {
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' && !this.#closed) listener();
    });
  }

  /** Safe twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pc.close().catch(() => undefined);
  }

  #audio(): RTCRtpTransceiver[] {
    return this.pc.getTransceivers().filter((t) => t.kind === 'audio');
  }

  #payloadType(kind: AudioKind): number | undefined {
    const codecs = this.#audio()[0]?.codecs ?? [];
    if (kind === 'audio') return codecs[0]?.payloadType;
    // Chromium offers telephone-event at 48000 and 8000 Hz; G.711 runs at 8000.
    return codecs.find((c) => c.mimeType.toLowerCase() === 'audio/telephone-event' && c.clockRate === 8000)
      ?.payloadType;
  }

  #listen(transceiver: RTCRtpTransceiver): void {
    if (this.#heard.has(transceiver)) return;
    this.#heard.add(transceiver);
    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
        try {
          this.#receive(rtp, transceiver);
        } catch {
          // werift calls us from its own event loop: nothing the other side sends may reach it.
        }
      });
    });
  }

  #receive(rtp: RtpPacket, transceiver: RTCRtpTransceiver): void {
    if (this.#closed || rtp.payload.length === 0) return;
    const codec = transceiver.codecs.find((c) => c.payloadType === rtp.header.payloadType);
    const mime = codec?.mimeType.toLowerCase();
    const sending = transceiver.codecs[0];
    let kind: AudioKind;
    if (codec !== undefined && codec === sending) kind = 'audio';
    else if (mime === 'audio/telephone-event' && codec?.clockRate === 8000) kind = 'telephone-event';
    else return; // another codec (the other side switched) or CN: nothing the phone was offered
    this.#onPacket?.({
      kind,
      ssrc: rtp.header.ssrc,
      sequenceNumber: rtp.header.sequenceNumber,
      timestamp: rtp.header.timestamp,
      marker: rtp.header.marker,
      payload: rtp.payload,
    });
  }

  async #gathered(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, GATHER_TIMEOUT_MS);
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
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new WebRtcLegError('werift produced no session description');
    return sdp;
  }
}

function peerConnection(codecs: G711[], hostAddresses: string[]): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [
        ...codecs.map(
          (codec) =>
            new RTCRtpCodecParameters({
              mimeType: `audio/${codec}`,
              clockRate: 8000,
              channels: 1,
              payloadType: G711_PAYLOAD_TYPE[codec],
            }),
        ),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: TELEPHONE_EVENT_PT,
        }),
      ],
      video: [],
    },
    // The caller may route its packets by MID (RFC 8843) instead of listing its SSRC.
    headerExtensions: { audio: [useSdesMid()], video: [] },
    iceServers: [],
    iceAdditionalHostAddresses: hostAddresses.length ? hostAddresses : undefined,
  });
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 200);
}
