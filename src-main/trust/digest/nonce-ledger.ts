/**
 * Memory of how our nonces have been used, so that each one authenticates at most one request.
 *
 * RFC 7616 §5.5 lets a server refuse a nonce or nonce-count it has seen before; we go further
 * and make a nonce single-use, because a REGISTER that can be replayed (even with nc+1 by an
 * attacker who saw the first one) could rebind someone's contact. A client that reuses a nonce
 * gets a stale=true challenge and retries with a fresh one without asking its user.
 *
 * Memory is bounded. Entries leave when their nonce expires (the issuer refuses it from then on
 * anyway). If the ledger is still full, the oldest entries are dropped and a *floor* rises to the
 * newest issue time dropped: every nonce issued at or before the floor is treated as stale. That
 * keeps the guarantee (nothing we forgot can be replayed) at the price of making some honest
 * clients fetch a new nonce, which only happens under a flood.
 */
export type NonceUse =
  /** The (nonce, nc) pair is new and has been recorded. */
  | 'recorded'
  /** The nonce already authenticated a request, or this (nonce, nc) pair was seen before. */
  | 'reused'
  /** The ledger forgot about this nonce under memory pressure; treat it as stale. */
  | 'forgotten';

export interface NonceLedgerOptions {
  /** Most nonces remembered at once (each costs a few hundred bytes). */
  readonly maxNonces: number;
  /**
   * Most distinct nonce-counts remembered per nonce; beyond that the nonce is burnt. Honest
   * clients use one, since a nonce is good for one success.
   */
  readonly maxCountsPerNonce: number;
}

interface Entry {
  readonly issuedAt: number;
  readonly expiresAt: number;
  consumed: boolean;
  /** nonce-counts tried, as numbers (cheaper than strings); -1 stands for "no nc" (RFC 2069). */
  readonly counts: Set<number>;
}

export class NonceLedger {
  readonly #options: NonceLedgerOptions;
  // Insertion order is first-use order, which is close enough to issue order for eviction.
  readonly #entries = new Map<string, Entry>();
  #floor = Number.NEGATIVE_INFINITY;

  constructor(options: NonceLedgerOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records that (nonce, nc) is being tried. `nc` is 8 hex digits, or '' for RFC 2069 clients.
   * Call only for authentic, unexpired nonces, or forgeries would fill the ledger.
   */
  use(nonce: string, issuedAt: number, expiresAt: number, nc: string, now: number): NonceUse {
    if (issuedAt <= this.#floor) return 'forgotten';
    let entry = this.#entries.get(nonce);
    if (entry === undefined) {
      this.#makeRoom(now);
      if (issuedAt <= this.#floor) return 'forgotten';
      entry = { issuedAt, expiresAt, consumed: false, counts: new Set() };
      this.#entries.set(nonce, entry);
    }
    const count = nc === '' ? -1 : Number.parseInt(nc, 16);
    if (entry.consumed || entry.counts.has(count)) return 'reused';
    if (entry.counts.size >= this.#options.maxCountsPerNonce) {
      entry.consumed = true;
      return 'reused';
    }
    entry.counts.add(count);
    return 'recorded';
  }

  /** The nonce authenticated a request: from now on every use of it is a replay. */
  consume(nonce: string): void {
    const entry = this.#entries.get(nonce);
    if (entry !== undefined) {
      entry.consumed = true;
      entry.counts.clear();
    }
  }

  #makeRoom(now: number): void {
    if (this.#entries.size < this.#options.maxNonces) return;
    for (const [nonce, entry] of this.#entries) {
      if (entry.expiresAt < now) this.#entries.delete(nonce);
    }
    // Still full of live nonces: drop a tenth at once so the sweep above stays amortised O(1).
    if (this.#entries.size >= this.#options.maxNonces) {
      let toDrop = Math.max(1, Math.ceil(this.#options.maxNonces / 10));
      for (const [nonce, entry] of this.#entries) {
        if (toDrop-- <= 0) break;
        this.#floor = Math.max(this.#floor, entry.issuedAt);
        this.#entries.delete(nonce);
      }
    }
  }
}
