import { callIdOf, statusOf } from '../sip-text.ts';
import { quantile } from '../summary.ts';

/** What a load generator saw of its requests' answers. */
export interface TallyResult {
  sent: number;
  /** How long sending took. */
  sendMs: number;
  /** Final responses by status code that arrived within the time limit. */
  statuses: Record<string, number>;
  /** Requests with no answer within the time limit (late answers count here too). */
  timeouts: number;
  sendErrors: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Text of every `sampleEvery`-th 200, to verify after the window. */
  sample: string[];
}

/**
 * Matches answers to requests by Call-ID and keeps the counts, latencies and a sample of 200s.
 * An answer later than `timeoutMs` is not counted: it is a timeout.
 */
export class AnswerTally {
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private readonly statuses: Record<string, number> = {};
  private readonly sample: string[] = [];
  private oks = 0;
  sent = 0;
  answered = 0;
  sendErrors = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly sampleEvery: number,
  ) {}

  /** Requests sent and neither answered nor expired yet. */
  get outstanding(): number {
    return this.sentAt.size;
  }

  noteSent(callId: string): void {
    this.sent++;
    this.sentAt.set(callId, performance.now());
  }

  /** True when the datagram was the final answer to one of our requests, in time. */
  noteAnswer(datagram: Buffer): boolean {
    const now = performance.now();
    const text = datagram.toString('latin1');
    const status = statusOf(text);
    const callId = callIdOf(text);
    if (status < 200 || !callId) return false;
    const at = this.sentAt.get(callId);
    if (at === undefined || now - at > this.timeoutMs) return false;
    this.sentAt.delete(callId);
    this.answered++;
    this.latencies.push(now - at);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status === 200 && this.oks++ % this.sampleEvery === 0) this.sample.push(text);
    return true;
  }

  /** Requests sent more than `timeoutMs` ago and still unanswered: forgets and counts them. */
  expire(): number {
    const limit = performance.now() - this.timeoutMs;
    let expired = 0;
    for (const [callId, at] of this.sentAt) {
      if (at > limit) break; // insertion order is sending order
      this.sentAt.delete(callId);
      expired++;
    }
    return expired;
  }

  result(sendMs: number): TallyResult {
    return {
      sent: this.sent,
      sendMs,
      statuses: this.statuses,
      timeouts: this.sent - this.answered,
      sendErrors: this.sendErrors,
      latencyMs: {
        p50: quantile(this.latencies, 0.5),
        p99: quantile(this.latencies, 0.99),
        max: quantile(this.latencies, 1),
      },
      sample: this.sample,
    };
  }
}
