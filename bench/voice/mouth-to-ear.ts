import { probe, rtpTotals } from '../../test/e2e/voice/voice-probe.ts';
import { waitFor } from '../../test/e2e/voice/voice-story.ts';
import type { Person } from '../../test/e2e/voice/voice-stage.ts';
import { quantile } from '../summary.ts';

export interface MouthToEar {
  beeps: number;
  /** Beeps whose onset Bob's page detected within 1 s. */
  heard: number;
  /** Beep asked for in Alice's page to its onset detected in Bob's page. */
  p50Ms: number;
  p95Ms: number;
  /** The same detector on the same beep inside Alice's page: what Web Audio alone adds. */
  localP50Ms: number;
  /** Bob's jitter buffer during the beeps: a sample's average wait there (getStats), ms. */
  jitterBufferMs: number;
  /** Audio packets a second Bob received during the beeps: 50 with 20 ms packets, 100 with 10 ms. */
  packetsPerSecond: number;
}

const BEEP_MS = 200;
const BEEP_EVERY_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * In a call that is up: Alice's page replaces her microphone on the call's sender by a 1 kHz
 * oscillator behind a gain (RTCRtpSender.replaceTrack, no renegotiation) and beeps 200 ms every
 * second; Bob's page listens to what he hears (the remote-audio element's stream) in blocks of
 * 256 samples and notes each onset. Both pages stamp times with performance.timeOrigin +
 * performance.now(), on one machine. A detector on the beep itself inside Alice's page measures
 * what the Web Audio graph and the detector add without any network.
 */
export async function mouthToEar(alice: Person, bob: Person, beeps: number): Promise<MouthToEar> {
  const a = alice.screen.page;
  const b = bob.screen.page;
  if (!(await probe.startBeeper(a))) throw new Error("Alice's page has no audio sender to replace");
  // Let the tone Alice's microphone sent before drain from Bob's jitter buffer, then listen.
  await sleep(BEEP_EVERY_MS);
  await waitFor(
    "Bob's page listening",
    () => probe.listen(b),
    (ok) => ok,
  );
  await sleep(BEEP_EVERY_MS);
  const before = { at: Date.now(), packets: (await rtpTotals(b)).inPackets };
  for (let i = 0; i < beeps; i++) {
    await probe.beep(a, BEEP_MS);
    await sleep(BEEP_EVERY_MS);
  }
  const { sent, local } = await probe.beeps(a);
  const onsets = await probe.onsets(b);
  const { jitterBufferMs, inPackets } = await rtpTotals(b);
  const packetsPerSecond = ((inPackets - before.packets) * 1000) / (Date.now() - before.at);
  const after = (times: number[], t: number) => times.find((o) => o >= t && o < t + BEEP_EVERY_MS);
  const delays = sent.map((t) => after(onsets, t)).map((o, i) => (o === undefined ? NaN : o - sent[i]));
  const heard = delays.filter((d) => Number.isFinite(d));
  const localDelays = sent
    .map((t) => after(local, t))
    .flatMap((o, i) => (o === undefined ? [] : [o - sent[i]]));
  return {
    beeps,
    heard: heard.length,
    p50Ms: quantile(heard, 0.5),
    p95Ms: quantile(heard, 0.95),
    localP50Ms: quantile(localDelays, 0.5),
    jitterBufferMs,
    packetsPerSecond,
  };
}
