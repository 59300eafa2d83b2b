import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useOPUS } from 'werift';
import type { RTCRtpTransceiver } from 'werift';

/**
 * The caller's media in the echo tests: a werift RTCPeerConnection that offers Opus and
 * telephone-event like a browser does, sends RTP it makes up, and keeps what comes back.
 */
export async function webrtcCaller(options: { hostAddresses?: string[] } = {}) {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [
        useOPUS(),
        new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1 }),
      ],
      video: [],
    },
    iceServers: [],
    iceAdditionalHostAddresses: options.hostAddresses ?? ['127.0.0.1'],
  });
  const transceiver: RTCRtpTransceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
  const received: RtpPacket[] = [];
  let firstReceivedAt: number | undefined;
  transceiver.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((packet) => {
      firstReceivedAt ??= performance.now();
      received.push(packet);
    }),
  );
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
  });
  const offer = pc.localDescription!.sdp;
  let sequence = 1000;
  let timestamp = 90_000;

  const payloadType = (mime: string) =>
    transceiver.codecs.find((c) => c.mimeType.toLowerCase() === mime)?.payloadType;

  /** Sends one RTP packet on the audio stream, exactly as given (no payload type rewriting). */
  async function sendRaw(pt: number, ts: number, payload: Buffer, marker = false): Promise<void> {
    const header = new RtpHeader({
      payloadType: pt,
      sequenceNumber: sequence++ & 0xffff,
      timestamp: ts >>> 0,
      ssrc: transceiver.sender.ssrc,
      marker,
    });
    await transceiver.sender.dtlsTransport.sendRtp(payload, header);
  }

  return {
    pc,
    offer,
    received,
    firstReceivedAt: () => firstReceivedAt,
    async accept(answer: string) {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    },
    connected: () => pc.connectionState === 'connected',
    /** A new offer in the call: 'sendonly' holds it (RFC 3264 section 8.4), 'sendrecv' resumes. */
    async reoffer(direction: 'sendonly' | 'sendrecv'): Promise<string> {
      transceiver.setDirection(direction);
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription!.sdp;
    },
    /** One 20 ms Opus frame's worth of RTP (the payload is whatever we say: the echo must not care). */
    async sendAudio(payload: Buffer): Promise<void> {
      await sendRaw(payloadType('audio/opus')!, timestamp, payload);
      timestamp += 960;
    },
    /**
     * A key press as RFC 4733 sends it: a packet every 20 ms with the same timestamp and a
     * growing duration (the first with the marker bit), then the end packet three times.
     */
    async sendDigit(event: number, packets = 4): Promise<void> {
      const pt = payloadType('audio/telephone-event')!;
      const start = timestamp;
      const body = (end: boolean, duration: number) =>
        Buffer.from([event, (end ? 0x80 : 0) | 10, (duration >> 8) & 0xff, duration & 0xff]);
      for (let i = 1; i <= packets; i++) await sendRaw(pt, start, body(false, i * 960), i === 1);
      for (let i = 0; i < 3; i++) await sendRaw(pt, start, body(true, (packets + 1) * 960));
      timestamp += (packets + 1) * 960;
    },
    sender: transceiver.sender,
    async close() {
      await pc.close();
    },
  };
}

export { RtpPacket };
