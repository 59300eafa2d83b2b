import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { RtpHeader, RtpPacket } from 'werift';
import type { AudioKind, LegPacket } from './webrtc-leg.ts';

/** How many times to look for a free even port with a free odd one above it (RFC 3550 section 11). */
const PORT_ATTEMPTS = 20;

/**
 * The desk phone's side of a bridged call: plain RTP over UDP on the LAN, **unencrypted** (the
 * phone offered RTP/AVP). An even port for RTP and the odd one above it for RTCP, which is
 * received and dropped: the bridge relays media, not reports.
 *
 * Only packets from the phone's addresses are taken: the one its SDP names and the one its SIP
 * came from (a phone with several interfaces may announce one and send from another; any port,
 * since it may send from another port than it announced). Replies go where its SDP said.
 * Anything that does not parse as RTP, or carries a payload type the phone did not negotiate,
 * is dropped.
 */
export class PlainRtpLeg {
  readonly counters = { received: 0, sent: 0, dropped: 0 };
  #remote: { address: string; port: number } | undefined;
  #sources = new Set<string>();
  #payloadTypes: Record<AudioKind, number | undefined> = { audio: undefined, 'telephone-event': undefined };
  #onPacket: ((packet: LegPacket) => void) | undefined;
  #closed = false;

  private constructor(
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    readonly address: string,
  ) {
    rtp.on('message', (data, from) => this.#receive(data, from.address));
    rtp.on('error', () => undefined);
    rtcp.on('message', () => undefined);
    rtcp.on('error', () => undefined);
  }

  static async open(address: string): Promise<PlainRtpLeg> {
    const type = address.includes(':') ? 'udp6' : 'udp4';
    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      const rtp = createSocket(type);
      const port = await bind(rtp, address, 0);
      if (port % 2 !== 0) {
        rtp.close();
        continue;
      }
      const rtcp = createSocket(type);
      if ((await bind(rtcp, address, port + 1).catch(() => undefined)) === undefined) {
        rtp.close();
        rtcp.close();
        continue;
      }
      return new PlainRtpLeg(rtp, rtcp, address);
    }
    throw new Error(`no free pair of UDP ports for RTP on ${address}`);
  }

  get port(): number {
    return this.rtp.address().port;
  }

  /**
   * Where the phone's SDP wants its RTP, the address its SIP came from, and the payload types
   * it negotiated.
   */
  connect(
    remote: { address: string; port: number },
    signalling: string,
    audio: number,
    telephoneEvent: number | undefined,
  ): void {
    this.#remote = remote;
    this.#sources = new Set([remote.address, signalling]);
    this.#payloadTypes = { audio, 'telephone-event': telephoneEvent };
  }

  onPacket(listener: (packet: LegPacket) => void): void {
    this.#onPacket = listener;
  }

  /** Sends one packet to the phone, under the header the relay made; false when it cannot go. */
  send(packet: LegPacket, ssrc: number): boolean {
    const remote = this.#remote;
    const payloadType = this.#payloadTypes[packet.kind];
    if (this.#closed || !remote || remote.port === 0 || payloadType === undefined) return false;
    const header = new RtpHeader({
      payloadType,
      marker: packet.marker,
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      ssrc,
    });
    this.rtp.send(new RtpPacket(header, packet.payload).serialize(), remote.port, remote.address);
    this.counters.sent++;
    return true;
  }

  /** Safe twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.rtp.close();
    this.rtcp.close();
  }

  #receive(data: Buffer, from: string): void {
    const remote = this.#remote;
    if (this.#closed || !remote || !this.#sources.has(from) || data.length < 12 || data[0] >> 6 !== 2) {
      this.counters.dropped++;
      return;
    }
    let rtp: RtpPacket;
    try {
      rtp = RtpPacket.deSerialize(data);
    } catch {
      this.counters.dropped++;
      return;
    }
    const { payloadType } = rtp.header;
    const kind: AudioKind | undefined =
      payloadType === this.#payloadTypes.audio
        ? 'audio'
        : payloadType === this.#payloadTypes['telephone-event']
          ? 'telephone-event'
          : undefined;
    if (kind === undefined || rtp.payload.length === 0) {
      this.counters.dropped++;
      return;
    }
    this.counters.received++;
    this.#onPacket?.({
      kind,
      ssrc: rtp.header.ssrc,
      sequenceNumber: rtp.header.sequenceNumber,
      timestamp: rtp.header.timestamp,
      marker: rtp.header.marker,
      payload: rtp.payload,
    });
  }
}

function bind(socket: Socket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}
