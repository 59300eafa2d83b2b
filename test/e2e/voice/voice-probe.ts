import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** The init script (page-probe.js): add it to a context before the phone's page loads. */
export const PAGE_PROBE = fileURLToPath(new URL('./page-probe.js', import.meta.url));

/** What the person hears now, from an AnalyserNode on the remote-audio element's stream. */
export interface Hearing {
  /** How many `audio.remote-audio` elements the page has (one per active call). */
  elements: number;
  /** Whether the element has a stream with an audio track. */
  stream: boolean;
  /** The strongest frequency between 100 Hz and 4 kHz (bins of 5.9 Hz). */
  peakHz?: number;
  peakDb?: number;
  /** RMS of the last 8192 samples, full scale = 1. */
  rms?: number;
  /** The AudioContext's state: running, or suspended when the page may not play audio. */
  context?: string;
}

/** One open RTCPeerConnection's audio RTP so far (getStats). */
export interface Rtp {
  inBytes: number;
  inPackets: number;
  /** inbound-rtp audioLevel: 0 to 1, the level of the audio last received. */
  audioLevel: number;
  outBytes: number;
  outPackets: number;
  /** inbound-rtp jitterBufferDelay / jitterBufferEmittedCount: a sample's average wait, ms. */
  jitterBufferMs: number;
}

/** The moments of one RTCPeerConnection, in ms since the epoch; undefined: not (yet) reached. */
export interface ConnectionTimes {
  createdAt: number;
  offerAt?: number;
  answerAt?: number;
  gatheredAt?: number;
  connectedAt?: number;
  trackAt?: number;
  /** The remote audio track's 'unmute': its first RTP packet. */
  firstAudioAt?: number;
  state: string;
}

export interface Command {
  command: 'dial' | 'answer' | 'hangup' | 'accept-click';
  at: number;
}

// The page's TypeScript types (DOM) are not this project's: the probe is called by name.
const call = <T>(page: Page, expression: string): Promise<T> =>
  page.evaluate(`window.__voiceProbe.${expression}`) as Promise<T>;

export const probe = {
  hearing: (page: Page) => call<Hearing>(page, 'hearing()'),
  rtp: (page: Page) => call<Rtp[]>(page, 'rtp()'),
  openConnections: (page: Page) => call<number>(page, 'openConnections()'),
  timeline: (page: Page) => call<ConnectionTimes[]>(page, 'timeline()'),
  commands: (page: Page) => call<Command[]>(page, 'commands()'),
  clicks: (page: Page) => call<Array<{ label: string; at: number }>>(page, 'clicks()'),
  listen: (page: Page) => call<boolean>(page, 'listen()'),
  onsets: (page: Page) => call<number[]>(page, 'onsets()'),
  startBeeper: (page: Page) => call<boolean>(page, 'startBeeper()'),
  beep: (page: Page, ms: number) => call<number>(page, `beep(${Number(ms)})`),
  beeps: (page: Page) => call<{ sent: number[]; local: number[] }>(page, 'beeps()'),
  setAutoAnswer: (page: Page, on: boolean) => call<void>(page, `setAutoAnswer(${on ? 'true' : 'false'})`),
  now: (page: Page) => call<number>(page, 'now()'),
};

/** The sum over the open connections: what this page has received and sent so far. */
export async function rtpTotals(page: Page): Promise<Rtp> {
  const all = await probe.rtp(page);
  return all.reduce(
    (sum, r) => ({
      inBytes: sum.inBytes + r.inBytes,
      inPackets: sum.inPackets + r.inPackets,
      audioLevel: Math.max(sum.audioLevel, r.audioLevel),
      outBytes: sum.outBytes + r.outBytes,
      outPackets: sum.outPackets + r.outPackets,
      jitterBufferMs: Math.max(sum.jitterBufferMs, r.jitterBufferMs),
    }),
    { inBytes: 0, inPackets: 0, audioLevel: 0, outBytes: 0, outPackets: 0, jitterBufferMs: 0 },
  );
}

/** Whether a frequency is the tone `hz` (within two FFT bins and a little drift). */
export function near(measured: number | undefined, hz: number): boolean {
  return measured !== undefined && Math.abs(measured - hz) <= Math.max(15, hz * 0.02);
}
