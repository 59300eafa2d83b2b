/** Settings of a `LoginThrottle`; every one has a default. */
export interface LoginThrottleOptions {
  /** Failures within the window that cost nothing (default 3): people mistype. */
  readonly freeFailures?: number;
  /** Delay after the first failure beyond the free ones (default 250 ms); it doubles from there. */
  readonly baseDelayMs?: number;
  /** Ceiling of the delay (default 8000 ms), so a person who forgot a password is never locked out. */
  readonly maxDelayMs?: number;
  /** Failures older than this are forgotten (default 15 minutes). */
  readonly windowMs?: number;
  /** Sources remembered at once (default 10 000); the least recently failing is dropped first. */
  readonly maxSources?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly clock?: () => number;
}

/**
 * Slows down password guessing from one source. The registrar delays its 401 to a source by
 * `delayFor(source)`; with the defaults:
 *
 *   failures in window   0  1  2  3  4    5    6     7     8     9+
 *   delay (ms)           0  0  0  0  250  500  1000  2000  4000  8000
 *
 * A success from the source forgets its failures; so does the window sliding past them.
 * Memory is bounded twice: per source only the most recent failures that still change the
 * answer are kept, and at most `maxSources` sources are kept, dropping the one that failed least
 * recently. An attacker with many addresses can push others out, which only makes the throttle
 * forget, never block an innocent source.
 *
 * The source key is the caller's choice; an IP address is the obvious one (for IPv6 the caller
 * may prefer the /64, since one host can hold many addresses in it).
 */
export class LoginThrottle {
  readonly #freeFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #windowMs: number;
  readonly #maxSources: number;
  readonly #clock: () => number;
  /** Failures that can still matter: beyond this many the delay is at its ceiling anyway. */
  readonly #keptFailures: number;
  /** Failure times per source, oldest first; Map order is least recently failing first. */
  readonly #failures = new Map<string, number[]>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#freeFailures = options.freeFailures ?? 3;
    this.#baseDelayMs = options.baseDelayMs ?? 250;
    this.#maxDelayMs = options.maxDelayMs ?? 8000;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxSources = options.maxSources ?? 10_000;
    this.#clock = options.clock ?? Date.now;
    for (const [name, value] of Object.entries({
      freeFailures: this.#freeFailures,
      baseDelayMs: this.#baseDelayMs,
      maxDelayMs: this.#maxDelayMs,
      windowMs: this.#windowMs,
      maxSources: this.#maxSources,
    })) {
      if (!Number.isFinite(value) || value < 0 || (name === 'maxSources' && value < 1)) {
        throw new RangeError(`LoginThrottle option ${name} must be a non-negative number, not ${value}.`);
      }
    }
    const doublings = Math.ceil(Math.log2(Math.max(1, this.#maxDelayMs / Math.max(1, this.#baseDelayMs))));
    this.#keptFailures = this.#freeFailures + 1 + doublings;
  }

  /** How long to wait before answering this source's next login attempt, in milliseconds. */
  delayFor(source: string): number {
    const failures = this.#recent(source);
    if (failures <= this.#freeFailures) return 0;
    const delay = this.#baseDelayMs * 2 ** (failures - this.#freeFailures - 1);
    return Math.min(this.#maxDelayMs, delay);
  }

  /** Failures counted for this source within the window (at most the number that matter). */
  failuresOf(source: string): number {
    return this.#recent(source);
  }

  recordFailure(source: string): void {
    const now = this.#clock();
    const times = this.#failures.get(source) ?? [];
    this.#failures.delete(source); // re-inserted below, so it becomes the most recently failing
    const kept = times.filter((t) => now - t < this.#windowMs);
    kept.push(now);
    if (kept.length > this.#keptFailures) kept.splice(0, kept.length - this.#keptFailures);
    this.#failures.set(source, kept);
    this.#evict();
  }

  /** The source proved it knows a password: its earlier mistakes no longer count. */
  recordSuccess(source: string): void {
    this.#failures.delete(source);
  }

  /** Sources currently remembered; for tests and metrics. */
  get trackedSources(): number {
    return this.#failures.size;
  }

  #recent(source: string): number {
    const times = this.#failures.get(source);
    if (times === undefined) return 0;
    const now = this.#clock();
    const recent = times.filter((t) => now - t < this.#windowMs);
    if (recent.length === 0) this.#failures.delete(source);
    return recent.length;
  }

  #evict(): void {
    for (const source of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxSources) return;
      this.#failures.delete(source);
    }
  }
}
