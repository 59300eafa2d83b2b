import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, useOPUS, usePCMU } from 'werift';
import type { RtpPacket, RTCRtpTransceiver } from 'werift';

/**
 * The WebRTC side of the tests, with Chromium's codec list in Chromium's order (Opus first,
 * then PCMU, PCMA, telephone-event at 48000 and 8000 Hz): a werift RTCPeerConnection that
 * offers or answers, sends the μ-law frames it is given and keeps what arrives.
 */
export function g711WebRtcPeer() {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [
        useOPUS({ payloadType: 111 }),
        usePCMU(),
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 48000,
          channels: 1,
          payloadType: 110,
        }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 126,
        }),
      ],
      video: [],
    },
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  const received: RtpPacket[] = [];
  let transceiver: RTCRtpTransceiver | undefined;
  const listen = (t: RTCRtpTransceiver) => {
    // werift announces a transceiver we added ourselves too: listen once.
    if (transceiver === t) return;
    transceiver = t;
    t.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((packet) => received.push(packet)));
  };
  pc.onTransceiverAdded.subscribe(listen);
  let sequence = 7000;
  let timestamp = 123_456;

  const gathered = async () => {
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
    });
    return pc.localDescription!.sdp;
  };

  return {
    pc,
    received,
    async offer(): Promise<string> {
      listen(pc.addTransceiver('audio', { direction: 'sendrecv' }));
      await pc.setLocalDescription(await pc.createOffer());
      return gathered();
    },
    async accept(answer: string) {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    },
    async answer(offer: string): Promise<string> {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const t of pc.getTransceivers()) t.setDirection('sendrecv');
      await pc.setLocalDescription(await pc.createAnswer());
      return gathered();
    },
    connected: () => pc.connectionState === 'connected',
    /** The codec negotiated for sending, e.g. 'audio/PCMU'. */
    sendingCodec: () => transceiver?.codecs[0]?.mimeType,
    /** One 20 ms frame of μ-law (160 bytes), on the negotiated payload type. */
    async sendFrame(payload: Buffer, payloadType = transceiver!.codecs[0].payloadType) {
      const header = new RtpHeader({
        payloadType,
        sequenceNumber: sequence++ & 0xffff,
        timestamp: timestamp >>> 0,
        ssrc: transceiver!.sender.ssrc,
      });
      timestamp += 160;
      await transceiver!.sender.dtlsTransport.sendRtp(payload, header);
    },
    close: () => pc.close(),
  };
}

/** G.711 μ-law to linear PCM (ITU-T G.711), for checking what the desk phone sent. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** Linear PCM to μ-law, for the frames the WebRTC side sends. */
export function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = 0;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** The main frequency of 8 kHz samples, by counting zero crossings (enough for one pure tone). */
export function toneFrequency(samples: number[]): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1] < 0 && samples[i] >= 0) || (samples[i - 1] >= 0 && samples[i] < 0)) crossings++;
  }
  return (crossings / 2) * (8000 / samples.length);
}
