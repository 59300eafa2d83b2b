import type { Clock } from './clock.ts';
import { parseRfc1123Date } from './rfc1123-date.ts';

export type ReplayProblem = 'bad-date' | 'stale-date' | 'replayed';

export interface ReplayRefusal {
  ok: false;
  code: 403;
  problem: ReplayProblem;
  reason: string;
}

export interface ReplayGuardDependencies {
  clock: Clock;
}

export interface ReplayGuardOptions {
  /** How far a signed Date may be from our clock, either way. Default 300 s. */
  windowSeconds?: number;
  /** Signatures remembered at most; the oldest is forgotten first. Default 500 000. */
  maxEntries?: number;
}

/**
 * Refuses a signed message seen before, and one whose signed Date is too far from now.
 *
 * The two work together: the Date window bounds how long a captured message stays usable, so
 * signatures only have to be remembered for as long as their Date could still pass. An entry is
 * kept for two windows after we first saw it (its Date is at most one window old then, and stays
 * acceptable for at most one window more), which keeps the memory in arrival order and lets
 * expired entries fall off the front.
 *
 * RSA PKCS#1 v1.5 signatures are deterministic: a SIP retransmission of the same request carries
 * the same signature. Consult the guard once per transaction (after sip/'s transaction layer has
 * absorbed retransmissions), not once per datagram.
 *
 * Memory: roughly 100 bytes an entry; the default bound holds 2 × 300 s of traffic at ~800
 * messages/s before the oldest signatures are forgotten early (which re-opens only their replay,
 * still within the Date window).
 */
export class ReplayGuard {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  /** Signature key → time it may be forgotten; insertion order is arrival order. */
  readonly #seen = new Map<string, number>();

  constructor(deps: ReplayGuardDependencies, options: ReplayGuardOptions = {}) {
    this.#clock = deps.clock;
    this.#windowMs = (options.windowSeconds ?? 300) * 1000;
    this.#maxEntries = options.maxEntries ?? 500_000;
  }

  /** Signatures currently remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /**
   * Checks the Date header alone: strict RFC 1123, within ±window of our clock. An unparseable
   * Date is refused too; otherwise a sender could opt out of the window.
   */
  checkDate(dateHeader: string): { ok: true; dateMs: number } | ReplayRefusal {
    const dateMs = parseRfc1123Date(dateHeader);
    if (dateMs === undefined) {
      return {
        ok: false,
        code: 403,
        problem: 'bad-date',
        reason: 'Date header is not an RFC 1123 GMT date (e.g. "Sun, 06 Nov 1994 08:49:37 GMT")',
      };
    }
    if (Math.abs(dateMs - this.#clock.now()) > this.#windowMs) {
      return { ok: false, code: 403, problem: 'stale-date', reason: 'Date too far from now (clock wrong?)' };
    }
    return { ok: true, dateMs };
  }

  /**
   * Remembers a signature, refusing it if it was seen before. Call this only for a signature that
   * verified: remembering a forged copy first would let an attacker who saw a genuine message in
   * flight get the genuine one refused as a replay.
   *
   * @param signature the raw signature bytes (not its base64 text, which has several spellings)
   */
  remember(signature: Uint8Array): { ok: true } | ReplayRefusal {
    const now = this.#clock.now();
    this.#forgetExpired(now);
    // 24 bytes of an RSA signature are as unique as the whole; a shorter key halves the memory.
    const key = Buffer.from(
      signature.buffer,
      signature.byteOffset,
      Math.min(24, signature.byteLength),
    ).toString('base64');
    if (this.#seen.has(key)) {
      return { ok: false, code: 403, problem: 'replayed', reason: 'Message replayed' };
    }
    this.#seen.set(key, now + 2 * this.#windowMs);
    if (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    return { ok: true };
  }

  #forgetExpired(now: number): void {
    for (const [key, forgetAt] of this.#seen) {
      if (forgetAt > now) return;
      this.#seen.delete(key);
    }
  }
}
