import { randomInt } from 'node:crypto';
import type { PlainRtpLeg } from './plain-rtp-leg.ts';
import type { LegPacket, WebRtcLeg } from './webrtc-leg.ts';

/** One 20 ms G.711 frame, in RTP timestamp units at 8000 Hz. */
const FRAME = 160;

/**
 * One direction's outgoing stream: its own SSRC, and sequence numbers and timestamps that keep
 * the incoming spacing (RFC 3550 section 5.1: a lost packet shows as a gap in sequence, silence
 * as a jump in timestamp, so the receiver's jitter buffer sees the truth). When the source
 * changes SSRC (a new offer on the other side), the stream goes on where it was, with the marker
 * bit set, as one talkspurt after another.
 */
export class StreamRewriter {
  readonly ssrc = randomInt(1, 0x1_0000_0000 - 1);
  #source: number | undefined;
  #sequenceOffset = randomInt(0, 0x10000);
  #timestampOffset = randomInt(0, 0x1_0000_0000 - 1);
  #lastSequence: number | undefined;
  #lastTimestamp: number | undefined;

  rewrite(packet: LegPacket): LegPacket {
    let marker = packet.marker;
    if (packet.ssrc !== this.#source) {
      if (this.#lastSequence !== undefined && this.#lastTimestamp !== undefined) {
        this.#sequenceOffset = (this.#lastSequence + 1 - packet.sequenceNumber) & 0xffff;
        this.#timestampOffset = (this.#lastTimestamp + FRAME - packet.timestamp) >>> 0;
        marker = true;
      }
      this.#source = packet.ssrc;
    }
    const sequenceNumber = (packet.sequenceNumber + this.#sequenceOffset) & 0xffff;
    const timestamp = (packet.timestamp + this.#timestampOffset) >>> 0;
    this.#lastSequence = sequenceNumber;
    this.#lastTimestamp = timestamp;
    return { ...packet, sequenceNumber, timestamp, marker, ssrc: this.ssrc };
  }
}

/** Packets each way, for `peer state`, the logs and the tests. */
export interface RelayCounters {
  /** From the WebRTC side (decrypted) to the desk phone. */
  toPhone: number;
  /** From the desk phone to the WebRTC side (to be encrypted). */
  fromPhone: number;
  telephoneEvents: number;
  dropped: number;
}

/**
 * Relays G.711 between a WebRTC leg (DTLS-SRTP) and a desk phone's plain RTP leg, payloads
 * untouched: both legs negotiated the same codec, so no audio is decoded and no delay is added
 * beyond one pass through the event loop. RFC 4733 telephone-events go through as they are
 * (each leg maps them to its own payload type).
 *
 * ```
 *   WebRTC peer ══SRTP (PCMU pt 0)══▶ werift ─▶ rewrite ─▶ UDP ──RTP (PCMU pt 0)──▶ desk phone
 *   WebRTC peer ◀══SRTP══ werift ◀─ rewrite ◀─ UDP ◀──RTP──────────────────────── desk phone
 * ```
 */
export class RtpRelay {
  readonly counters: RelayCounters = { toPhone: 0, fromPhone: 0, telephoneEvents: 0, dropped: 0 };
  firstPacketAt: number | undefined;
  #onFirst: (() => void) | undefined;

  constructor(
    private readonly webrtc: WebRtcLeg,
    private readonly phone: PlainRtpLeg,
  ) {
    const toPhone = new StreamRewriter();
    const toWebRtc = new StreamRewriter();
    webrtc.onPacket((packet) => {
      this.#first(packet);
      if (phone.send(toPhone.rewrite(packet), toPhone.ssrc)) this.counters.toPhone++;
      else this.counters.dropped++;
    });
    phone.onPacket((packet) => {
      this.#first(packet);
      webrtc.send(toWebRtc.rewrite(packet)).then(
        (sent) => (sent ? this.counters.fromPhone++ : this.counters.dropped++),
        () => this.counters.dropped++,
      );
    });
  }

  /** Called once, when the first packet in either direction arrives. */
  onFirstPacket(listener: () => void): void {
    this.#onFirst = listener;
  }

  #first(packet: LegPacket): void {
    if (packet.kind === 'telephone-event') this.counters.telephoneEvents++;
    if (this.firstPacketAt !== undefined) return;
    this.firstPacketAt = Date.now();
    this.#onFirst?.();
  }
}
