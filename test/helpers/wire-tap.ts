import type { TraceEvent, Tracer } from '../../src-main/sip/index.ts';

/**
 * Listens to everything a node's socket sends and receives, through the stack's `trace` hook.
 * Torture messages carry Vias that point at hosts and ports nobody here listens on (the node
 * answers to 127.0.0.1:5060 as RFC 3261 section 18.2.2 says), so a test reads the answers off
 * the wire as the node sends them instead of trying to receive them.
 */
export class WireTap {
  readonly events: TraceEvent[] = [];
  private waiters = new Set<() => void>();

  readonly tracer: Tracer = (event) => {
    this.events.push(event);
    for (const wake of [...this.waiters]) wake();
  };

  /** Texts of every message the node sent, oldest first. */
  get sent(): string[] {
    return this.events.filter((e) => e.direction === 'out').map((e) => e.text);
  }

  /** How many datagrams reached the node's socket. */
  get receivedCount(): number {
    return this.events.filter((e) => e.direction === 'in').length;
  }

  /** Responses the node sent for a Call-ID, oldest first. */
  responsesFor(callId: string): string[] {
    return this.sent.filter((text) => text.startsWith('SIP/2.0 ') && headerValue(text, 'call-id') === callId);
  }

  /** Resolves once `condition` holds, re-checking after every traced message; rejects after `timeoutMs`. */
  async until<T>(
    condition: () => T | undefined,
    timeoutMs = 3000,
    what = 'the expected message',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} did not cross the wire within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The first final (>= 200) response the node sent for a Call-ID. */
  finalResponse(callId: string, timeoutMs = 3000): Promise<string> {
    return this.until(
      () => this.responsesFor(callId).find((text) => statusOf(text) >= 200),
      timeoutMs,
      `a final response for Call-ID ${callId}`,
    );
  }
}

/** "SIP/2.0 415 Unsupported Media Type ..." → 415 */
export function statusOf(response: string): number {
  return Number(/^SIP\/2\.0 (\d{3})/.exec(response)?.[1] ?? 0);
}

/** The first value of a header field (long or compact name) in a message text. */
export function headerValue(text: string, name: string): string | undefined {
  const compact: Record<string, string> = { 'call-id': 'i', via: 'v', from: 'f', to: 't', contact: 'm' };
  const names = [name.toLowerCase(), compact[name.toLowerCase()]].filter(Boolean);
  const head = text.split('\r\n\r\n')[0].split('\r\n').slice(1);
  for (const line of head) {
    const colon = line.indexOf(':');
    if (colon > 0 && names.includes(line.slice(0, colon).trim().toLowerCase()))
      return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** Every value of a header field in a message text, one per header line. */
export function headerValues(text: string, name: string): string[] {
  const head = text.split('\r\n\r\n')[0].split('\r\n').slice(1);
  return head
    .filter(
      (line) =>
        line
          .slice(0, Math.max(0, line.indexOf(':')))
          .trim()
          .toLowerCase() === name.toLowerCase(),
    )
    .map((line) => line.slice(line.indexOf(':') + 1).trim());
}
