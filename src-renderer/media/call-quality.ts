/**
 * Call quality from `RTCPeerConnection.getStats()` (W3C webrtc-stats), sampled once a second:
 *
 * - loss: inbound-rtp packetsLost / (packetsReceived + packetsLost), over the last interval when
 *   there is a previous sample (a call that was bad a minute ago is not bad now), else since
 *   the start;
 * - jitter: inbound-rtp jitter (seconds, RFC 3550 §6.4.1) in ms;
 * - round trip: remote-inbound-rtp roundTripTime (from RTCP receiver reports), else the selected
 *   candidate pair's currentRoundTripTime (from STUN consent checks).
 *
 * The word follows the usual VoIP planning limits (ITU-T G.114 for delay; Opus hides about 2 %
 * random loss well): Good under 2 % loss, 30 ms jitter and 300 ms round trip; Poor from 5 %,
 * 60 ms or 500 ms; Fair between.
 */
export interface CallQuality {
  /** Percent of the other side's packets lost; null before any arrived. */
  lossPercent: number | null;
  jitterMs: number | null;
  roundTripMs: number | null;
  verdict: 'Good' | 'Fair' | 'Poor' | null;
}

/** The few fields of RTCStats this reads (each report entry is one of these, with others). */
export interface StatsEntry {
  type: string;
  id: string;
  kind?: string;
  packetsLost?: number;
  packetsReceived?: number;
  jitter?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  selectedCandidatePairId?: string;
  state?: string;
  nominated?: boolean;
}

/** Counters kept between samples, for loss over the last interval. */
export interface QualityCounters {
  packetsLost: number;
  packetsReceived: number;
}

export function callQuality(
  stats: Iterable<StatsEntry>,
  previous: QualityCounters | null = null,
): { quality: CallQuality; counters: QualityCounters | null } {
  const entries = [...stats];
  const inbound = entries.find((s) => s.type === 'inbound-rtp' && (s.kind ?? 'audio') === 'audio');
  const counters =
    inbound && inbound.packetsReceived !== undefined
      ? { packetsLost: Math.max(0, inbound.packetsLost ?? 0), packetsReceived: inbound.packetsReceived }
      : null;

  let lossPercent: number | null = null;
  if (counters) {
    const lost = counters.packetsLost - (previous?.packetsLost ?? 0);
    const received = counters.packetsReceived - (previous?.packetsReceived ?? 0);
    const fresh = previous && lost >= 0 && received >= 0 && lost + received > 0;
    const [l, r] = fresh ? [lost, received] : [counters.packetsLost, counters.packetsReceived];
    lossPercent = l + r > 0 ? (100 * l) / (l + r) : null;
  }

  const jitterMs = inbound?.jitter !== undefined ? inbound.jitter * 1000 : null;
  const roundTripMs = secondsToMs(
    entries.find((s) => s.type === 'remote-inbound-rtp' && s.roundTripTime !== undefined)?.roundTripTime ??
      selectedPair(entries)?.currentRoundTripTime,
  );

  return {
    quality: { lossPercent, jitterMs, roundTripMs, verdict: verdict(lossPercent, jitterMs, roundTripMs) },
    counters,
  };
}

function selectedPair(entries: StatsEntry[]): StatsEntry | undefined {
  const transport = entries.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  if (transport) return entries.find((s) => s.id === transport.selectedCandidatePairId);
  // Firefox names no selected pair on the transport; it marks the pair instead.
  return entries.find((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated);
}

function secondsToMs(seconds: number | undefined): number | null {
  return seconds === undefined ? null : seconds * 1000;
}

function verdict(loss: number | null, jitter: number | null, rtt: number | null): CallQuality['verdict'] {
  if (loss === null && jitter === null && rtt === null) return null;
  const over = (value: number | null, limit: number) => value !== null && value >= limit;
  if (over(loss, 5) || over(jitter, 60) || over(rtt, 500)) return 'Poor';
  if (over(loss, 2) || over(jitter, 30) || over(rtt, 300)) return 'Fair';
  return 'Good';
}

/** "Loss 0.4 %", "Jitter 12 ms", "Round trip 38 ms"; a dash while unknown. */
export function qualityParts(quality: CallQuality): string[] {
  const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);
  return [
    `Loss ${quality.lossPercent === null ? '–' : `${quality.lossPercent.toFixed(1)} %`}`,
    `Jitter ${ms(quality.jitterMs)}`,
    `Round trip ${ms(quality.roundTripMs)}`,
  ];
}
