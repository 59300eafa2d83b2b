import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settingOfError } from '../../src-renderer/lib/setting-of-error.ts';
import { dtmfFeedback } from '../../src-renderer/lib/tones.ts';
import { callQuality, qualityParts, type StatsEntry } from '../../src-renderer/media/call-quality.ts';
import { gatheringRule, iceGathered } from '../../src-renderer/media/ice-gathering.ts';
import { levelOf } from '../../src-renderer/media/level-meter.ts';
import { MicrophoneError } from '../../src-renderer/media/microphone-error.ts';
import { withOpusPacketTime } from '../../src-renderer/media/opus-ptime.ts';
import { isWebRtcSdp } from '../../src-renderer/media/sdp-kind.ts';
import { PLACEHOLDER_OFFER, WEBRTC_OFFER } from './fake-media.ts';

const inbound = (received: number, lost: number, jitter = 0.005): StatsEntry => ({
  type: 'inbound-rtp',
  id: 'in',
  kind: 'audio',
  packetsReceived: received,
  packetsLost: lost,
  jitter,
});

describe('call quality from getStats', () => {
  it('a clean call on a LAN is Good', () => {
    const { quality } = callQuality([
      inbound(500, 0),
      { type: 'remote-inbound-rtp', id: 'r', roundTripTime: 0.002 },
    ]);
    expect(quality).toEqual({ lossPercent: 0, jitterMs: 5, roundTripMs: 2, verdict: 'Good' });
    expect(qualityParts(quality)).toEqual(['Loss 0.0 %', 'Jitter 5 ms', 'Round trip 2 ms']);
  });

  it('counts the loss of the last second, not of the whole call', () => {
    const first = callQuality([inbound(1000, 100)]);
    expect(first.quality.lossPercent).toBeCloseTo(9.09, 1);
    expect(first.quality.verdict).toBe('Poor');
    // Then a clean second: 50 packets, none lost.
    const next = callQuality([inbound(1050, 100)], first.counters);
    expect(next.quality.lossPercent).toBe(0);
    expect(next.quality.verdict).toBe('Good');
  });

  it('takes the round trip from the selected candidate pair when RTCP has not said yet', () => {
    const { quality } = callQuality([
      inbound(10, 0),
      { type: 'transport', id: 't', selectedCandidatePairId: 'p2' },
      { type: 'candidate-pair', id: 'p1', currentRoundTripTime: 0.9 },
      { type: 'candidate-pair', id: 'p2', currentRoundTripTime: 0.35 },
    ]);
    expect(quality.roundTripMs).toBe(350);
    expect(quality.verdict).toBe('Fair');
  });

  it('says nothing before any packet arrived', () => {
    const { quality } = callQuality([]);
    expect(quality.verdict).toBeNull();
    expect(qualityParts(quality)).toEqual(['Loss –', 'Jitter –', 'Round trip –']);
  });

  it('jitter over 60 ms is Poor, whatever the loss', () => {
    expect(callQuality([inbound(100, 0, 0.08)]).quality.verdict).toBe('Poor');
  });
});

describe('is this offer WebRTC?', () => {
  it('a browser’s offer is: ICE credentials and a DTLS fingerprint', () => {
    expect(isWebRtcSdp(WEBRTC_OFFER)).toBe(true);
  });

  it('the command line’s placeholder (a=inactive, plain RTP) is not, nor is nothing', () => {
    expect(isWebRtcSdp(PLACEHOLDER_OFFER)).toBe(false);
    expect(isWebRtcSdp(WEBRTC_OFFER.replace(/a=fingerprint:.*\r\n/, ''))).toBe(false);
    expect(isWebRtcSdp(null)).toBe(false);
  });
});

describe('the level meter', () => {
  it('reads silence as 0, full scale as 100, and speech in between', () => {
    expect(levelOf(new Float32Array(256))).toBe(0);
    expect(levelOf(new Float32Array(256).fill(1))).toBe(100);
    // -20 dBFS RMS: two thirds of the way up a 60 dB scale.
    expect(levelOf(new Float32Array(256).fill(0.1))).toBe(67);
  });
});

describe('words for failures', () => {
  it('getUserMedia’s refusals become a problem the phone can explain', () => {
    expect(MicrophoneError.from(new DOMException('no', 'NotAllowedError')).problem).toBe('denied');
    expect(MicrophoneError.from(new DOMException('none', 'NotFoundError')).problem).toBe('missing');
    expect(MicrophoneError.from(new DOMException('in use', 'NotReadableError')).problem).toBe('busy');
  });

  it('a refusal of saveSettings goes next to the field it names', () => {
    expect(settingOfError('"stun:" is not a STUN or TURN address: type stun:HOST:PORT')).toBe('iceServers');
    expect(settingOfError('The microphone is not a device the browser named')).toBe('microphoneId');
    expect(settingOfError('The refresh period is a whole number')).toBeNull();
  });
});

describe('keypad feedback', () => {
  it('plays the key’s own DTMF pair (ITU-T Q.23)', () => {
    expect(dtmfFeedback('1')?.notes[0]?.freqs).toEqual([697, 1209]);
    expect(dtmfFeedback('#')?.notes[0]?.freqs).toEqual([941, 1477]);
    expect(dtmfFeedback('x')).toBeNull();
  });
});

/** A peer connection as far as gathering goes: its state and the candidates it finds. */
class GatheringConnection extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'gathering';

  find(candidate: Partial<RTCIceCandidate> | null): void {
    const event = Object.assign(new Event('icecandidate'), { candidate });
    this.dispatchEvent(event);
  }

  complete(): void {
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
  }
}

const HOST_UDP = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host',
  type: 'host',
  protocol: 'udp',
} as const;
const HOST_TCP = {
  candidate: 'candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host',
  type: 'host',
  protocol: 'tcp',
} as const;
const SRFLX = {
  candidate: 'candidate:3 1 udp 1686052607 203.0.113.7 40000 typ srflx',
  type: 'srflx',
  protocol: 'udp',
} as const;

describe('how long an offer waits for ICE candidates (no trickle over SIP)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const watch = (rule = gatheringRule([])) => {
    const pc = new GatheringConnection();
    let gathered = false;
    void iceGathered(pc as unknown as RTCPeerConnection, rule).then(() => (gathered = true));
    return { pc, gathered: async () => (await vi.advanceTimersByTimeAsync(0), gathered) };
  };

  it("without servers: 50 ms after the burst of UDP host candidates, not at Chromium's TCP phase", async () => {
    const { pc, gathered } = watch();
    await vi.advanceTimersByTimeAsync(3);
    pc.find(HOST_UDP);
    await vi.advanceTimersByTimeAsync(2);
    pc.find({ ...HOST_UDP, candidate: HOST_UDP.candidate.replace('127.0.0.1', '::1') });
    await vi.advanceTimersByTimeAsync(49);
    expect(await gathered()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await gathered()).toBe(true);
  });

  it('a TCP candidate alone does not start the count', async () => {
    const { pc, gathered } = watch();
    pc.find(HOST_TCP);
    await vi.advanceTimersByTimeAsync(500);
    expect(await gathered()).toBe(false);
    pc.complete();
    expect(await gathered()).toBe(true);
  });

  it('with a STUN server: host candidates are not enough, the reflexive one is awaited', async () => {
    const rule = gatheringRule([{ urls: 'stun:stun.example.org:3478' }]);
    expect(rule.awaits).toBe('srflx');
    expect(gatheringRule([{ urls: 'turns:turn.example.org', username: 'u', credential: 'p' }]).awaits).toBe(
      'relay',
    );
    const { pc, gathered } = watch(rule);
    pc.find(HOST_UDP);
    await vi.advanceTimersByTimeAsync(400);
    expect(await gathered()).toBe(false);
    pc.find(SRFLX);
    await vi.advanceTimersByTimeAsync(rule.quietMs);
    expect(await gathered()).toBe(true);
  });

  it('"complete", the null candidate and the 3 s cap each end the wait', async () => {
    const a = watch();
    a.pc.complete();
    expect(await a.gathered()).toBe(true);
    const b = watch();
    b.pc.find(null);
    expect(await b.gathered()).toBe(true);
    const c = watch(gatheringRule([{ urls: 'stun:silent.example.org' }]));
    c.pc.find(HOST_UDP);
    await vi.advanceTimersByTimeAsync(2999);
    expect(await c.gathered()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await c.gathered()).toBe(true);
  });
});

describe('10 ms Opus packets asked for', () => {
  const offer = [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8',
    'c=IN IP4 0.0.0.0',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');

  it('adds a=ptime:10 to an audio section that leads with Opus, once', () => {
    const asked = withOpusPacketTime(offer);
    expect(asked).toBe(offer.replace('a=sendrecv\r\n', 'a=sendrecv\r\na=ptime:10\r\n'));
    expect(withOpusPacketTime(asked)).toBe(asked);
  });

  it('leaves G.711 (a desk phone through the bridge) and other sections alone', () => {
    const g711 = offer.replace('SAVPF 111 0 8', 'SAVPF 0 8');
    expect(withOpusPacketTime(g711)).toBe(g711);
    const twoSections = offer + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n';
    expect(withOpusPacketTime(twoSections)).toBe(
      twoSections.replace('a=sendrecv\r\n', 'a=sendrecv\r\na=ptime:10\r\n'),
    );
  });
});
