import { audioDirection } from '../calls/index.ts';
import type { Call } from '../calls/index.ts';
import { EchoMedia } from './echo-media.ts';
import type { EchoMediaOptions } from './echo-media.ts';
import type { EchoCallStats, EchoStats } from './echo-stats.ts';
import { checkWebRtcOffer } from './webrtc-offer.ts';

export interface EchoResponderOptions extends EchoMediaOptions {
  /**
   * Hang up a call when no RTP has arrived this long after the 200 OK, or has stopped arriving
   * for this long in a call the caller did not put on hold. Default 30 s.
   */
  mediaTimeoutMs?: number;
  /** More calls at once are turned away with 486. Default 20. */
  maxCalls?: number;
  /** Every answer, refusal, first packet, key and hang-up, with a line a person can read. */
  onEvent?: (event: EchoEvent) => void;
}

export interface EchoEvent {
  kind: 'answered' | 'refused' | 'media' | 'digit' | 'no-media' | 'ended';
  callId: string;
  peer: string;
  message: string;
}

export const DEFAULT_MEDIA_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CALLS = 20;
/** How many ended calls the stats keep. */
const KEPT_CALLS = 20;

interface Entry {
  call: Call;
  stats: EchoCallStats;
  media?: EchoMedia;
  timer?: NodeJS.Timeout;
}

/**
 * The echo test: answers each WebRTC call with media that sends back what it hears, so that a
 * user can check their microphone and speaker alone. Set `take` as a CallAgent's `onIncoming`.
 *
 *   INVITE (WebRTC offer) ─▶ werift answers ─▶ 200 OK + answer ─▶ RTP echoed until BYE
 *   INVITE (any other offer, or one werift cannot take) ─▶ 488 with the reason
 *
 * Nothing a caller sends (SDP or RTP) may stop the peer: every werift call is guarded, and a
 * call whose media never arrives is hung up rather than left open.
 */
export class EchoResponder {
  readonly #calls = new Map<string, Entry>();
  readonly #ended: EchoCallStats[] = [];
  readonly #totals = { answered: 0, refused: 0, rtpReceived: 0, rtpEchoed: 0 };
  #last: EchoCallStats | undefined;
  #closed = false;

  constructor(private readonly options: EchoResponderOptions = {}) {}

  /** Decides about one incoming call (a CallAgent's `onIncoming`). */
  readonly take = (call: Call): void => {
    const check = checkWebRtcOffer(call.remoteSdp);
    if (!check.ok) return this.#refuse(call, 488, `Not Acceptable Here: ${check.reason}`);
    if (this.#closed) return this.#refuse(call, 480, 'Temporarily Unavailable: the echo test is stopping');
    if (this.#calls.size >= (this.options.maxCalls ?? DEFAULT_MAX_CALLS)) {
      return this.#refuse(call, 486, `Busy Here: the echo test already has ${this.#calls.size} calls`);
    }
    const stats: EchoCallStats = {
      id: call.id,
      peer: call.peer,
      state: 'answering',
      startedAt: Date.now(),
      answeredAt: undefined,
      firstRtpMs: undefined,
      rtpReceived: 0,
      rtpEchoed: 0,
      dtmfPackets: 0,
      connection: 'none',
      digits: '',
      end: undefined,
    };
    const entry: Entry = { call, stats };
    this.#calls.set(call.id, entry);
    this.#last = stats;
    void call.ended.then((end) => this.#finish(entry, end.reason));
    void this.#answer(entry, call.remoteSdp!);
  };

  stats(): EchoStats {
    for (const entry of this.#calls.values()) this.#sync(entry);
    return {
      ...this.#totals,
      rtpReceived: this.#totals.rtpReceived + this.#live('rtpReceived'),
      rtpEchoed: this.#totals.rtpEchoed + this.#live('rtpEchoed'),
      inProgress: this.#calls.size,
      lastCall: this.#last && { ...this.#last },
      calls: [...this.#ended, ...[...this.#calls.values()].map((e) => e.stats)].map((s) => ({ ...s })),
    };
  }

  /** Hangs up every echo call and closes its media; later calls get 480. Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const entries = [...this.#calls.values()];
    for (const { call } of entries) call.hangup();
    await Promise.all(entries.map((entry) => this.#finish(entry, 'the echo test stopped')));
  }

  async #answer(entry: Entry, offer: string): Promise<void> {
    const { call, stats } = entry;
    let media: EchoMedia;
    let sdp: string;
    try {
      ({ media, sdp } = await EchoMedia.answer(offer, this.options, {
        firstRtp: () => this.#firstRtp(entry),
        digit: (key) => {
          stats.digits += key;
          this.#emit('digit', entry, `heard key ${key} (${stats.digits} so far)`);
        },
        failed: (why) => this.#giveUp(entry, why),
      }));
    } catch (error) {
      // werift throws on offers it cannot parse or negotiate: the caller learns why, the peer goes on.
      const why = oneLine(error);
      this.#refuse(call, 488, `Not Acceptable Here: the echo test cannot answer this offer (${why})`);
      return;
    }
    entry.media = media;
    if (call.state !== 'ringing' || !this.#calls.has(call.id)) {
      // Cancelled while werift was gathering.
      await media.close();
      return;
    }
    try {
      call.answer(sdp);
    } catch (error) {
      this.#emit('ended', entry, `could not answer: ${oneLine(error)}`);
      await this.#finish(entry, oneLine(error));
      return;
    }
    this.#totals.answered++;
    stats.state = 'waiting';
    stats.answeredAt = call.answeredAt ?? Date.now();
    call.onOffer = (newOffer) => this.#reoffer(entry, newOffer);
    const timeoutMs = this.options.mediaTimeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
    entry.timer = setTimeout(
      () => this.#giveUp(entry, `no media arrived within ${Math.round(timeoutMs / 1000)} s of the answer`),
      timeoutMs,
    );
    entry.timer.unref();
    this.#emit('answered', entry, 'answered: echoing what it hears');
  }

  /** A re-INVITE's offer (hold, resume): answered by the same peer connection, or refused (488). */
  async #reoffer(entry: Entry, offer: string): Promise<string | undefined> {
    if (!entry.media || !checkWebRtcOffer(offer, false).ok) return undefined;
    try {
      return await entry.media.answerOffer(offer);
    } catch {
      return undefined;
    }
  }

  #firstRtp(entry: Entry): void {
    const { stats } = entry;
    clearTimeout(entry.timer);
    stats.state = 'echoing';
    if (stats.answeredAt !== undefined) stats.firstRtpMs = Date.now() - stats.answeredAt;
    this.#emit('media', entry, `media arrived ${stats.firstRtpMs ?? '?'} ms after the answer`);
    this.#watchSilence(entry);
  }

  /**
   * A caller that vanishes without BYE (its computer slept, its network went) stops sending:
   * once no RTP has come for mediaTimeoutMs while the caller's SDP says it sends (not while it
   * holds the call with `inactive` or `recvonly`), the call is hung up. Browsers send packets
   * even when muted (silence frames), so a quiet person is not mistaken for a gone one.
   */
  #watchSilence(entry: Entry): void {
    const timeoutMs = this.options.mediaTimeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
    let heard = entry.media?.counters.received ?? 0;
    let lastHeardAt = Date.now();
    entry.timer = setInterval(
      () => {
        const now = entry.media?.counters.received ?? 0;
        const direction = audioDirection(entry.call.remoteSdp ?? '');
        if (now !== heard || direction === 'inactive' || direction === 'recvonly') {
          heard = now;
          lastHeardAt = Date.now();
          return;
        }
        if (Date.now() - lastHeardAt >= timeoutMs) {
          this.#giveUp(
            entry,
            `the caller's media stopped for ${Math.round(timeoutMs / 1000)} s (gone without BYE?)`,
          );
        }
      },
      Math.max(100, Math.round(timeoutMs / 4)),
    );
    entry.timer.unref();
  }

  /** No media in time, or ICE failed (at any time: a caller gone without BYE ends the call too). */
  #giveUp(entry: Entry, why: string): void {
    if (entry.stats.state === 'ended') return;
    this.#emit('no-media', entry, `hanging up: ${why}`);
    entry.stats.end = why;
    entry.call.hangup();
    void this.#finish(entry, why);
  }

  async #finish(entry: Entry, reason: string): Promise<void> {
    if (!this.#calls.has(entry.call.id)) return;
    this.#calls.delete(entry.call.id);
    clearTimeout(entry.timer);
    this.#sync(entry);
    const { stats } = entry;
    stats.state = 'ended';
    stats.end ??= reason;
    this.#totals.rtpReceived += stats.rtpReceived;
    this.#totals.rtpEchoed += stats.rtpEchoed;
    this.#ended.push(stats);
    if (this.#ended.length > KEPT_CALLS) this.#ended.shift();
    if (stats.answeredAt !== undefined) {
      this.#emit(
        'ended',
        entry,
        `ended (${stats.end}): ${stats.rtpReceived} packets heard, ${stats.rtpEchoed} sent back` +
          (stats.digits ? `, keys ${stats.digits}` : ''),
      );
    }
    await entry.media?.close();
    if (entry.media) stats.connection = entry.media.connectionState;
  }

  #refuse(call: Call, status: number, reason: string): void {
    this.#totals.refused++;
    const entry = this.#calls.get(call.id);
    if (entry) {
      entry.stats.end = reason;
      void this.#finish(entry, reason);
    }
    this.#emit('refused', { call }, `${status} ${reason}`);
    call.reject(status, reason);
  }

  #sync(entry: Entry): void {
    const { media, stats } = entry;
    if (!media || stats.state === 'ended') return;
    stats.rtpReceived = media.counters.received;
    stats.rtpEchoed = media.counters.echoed;
    stats.dtmfPackets = media.counters.dtmfPackets;
    stats.connection = media.connectionState;
  }

  #live(field: 'rtpReceived' | 'rtpEchoed'): number {
    let sum = 0;
    for (const entry of this.#calls.values()) sum += entry.stats[field];
    return sum;
  }

  #emit(kind: EchoEvent['kind'], entry: { call: Call }, message: string): void {
    try {
      this.options.onEvent?.({ kind, callId: entry.call.id, peer: entry.call.peer, message });
    } catch {
      // A listener's failure is its own.
    }
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 200);
}
