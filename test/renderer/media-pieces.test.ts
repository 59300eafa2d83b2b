import { describe, expect, it } from 'vitest';
import { settingOfError } from '../../src-renderer/lib/setting-of-error.ts';
import { dtmfFeedback } from '../../src-renderer/lib/tones.ts';
import { callQuality, qualityParts, type StatsEntry } from '../../src-renderer/media/call-quality.ts';
import { levelOf } from '../../src-renderer/media/level-meter.ts';
import { MicrophoneError } from '../../src-renderer/media/microphone-error.ts';
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
