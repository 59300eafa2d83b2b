import { createHash } from 'node:crypto';

import { toPeer, type Peer } from '../chord/peer.ts';
import { between } from '../chord/ring.ts';
import type { MemberRecord } from './onehop-messages.ts';

/** What a node knows of a member: in the overlay, found dead, or gone gracefully. */
export type MemberStatus = 'alive' | 'failed' | 'left';

export interface Member extends Peer {
  readonly incarnation: number;
  readonly status: MemberStatus;
  /** When this entry last changed (tombstones are forgotten some time after). */
  readonly changedAt: number;
}

/** What applying one piece of news did. */
export type NewsOutcome = 'changed' | 'stale' | 'refuted';

/** At equal incarnations the later fate wins: a late "alive" never undoes a "left". */
const RANK: Readonly<Record<MemberStatus, number>> = { alive: 0, failed: 1, left: 2 };

/**
 * The full membership one node holds: every member it believes alive, itself included, and the
 * tombstones of those recently found failed or gone. News is ordered as in SWIM (Das, Gupta and
 * Motivala, 2002): per node, a higher incarnation wins; at an equal one Left > Failed > Alive.
 * Only the node itself raises its incarnation, to refute news of its death, so that a wrong
 * "failed" heals and a node that really left stays out whatever arrives late.
 *
 * Keys and ownership are Chord's (the node responsible for a key is the first member at or after
 * it in id order), so that either algorithm puts a binding on the same node.
 */
export class Membership {
  readonly self: Peer;
  readonly #byId = new Map<string, Member>();
  /** The alive members, self included, in id order; rebuilt after a change. */
  #sorted: Member[] | null = null;
  /** Grows with every change (state() shows it; tests and the UI can watch it). */
  version = 0;

  constructor(self: Peer, incarnation: number, now: number) {
    this.self = self;
    this.#setSelf(incarnation, now);
  }

  get incarnation(): number {
    return this.#byId.get(this.self.id)!.incarnation;
  }

  /** Back to a table of one: myself at this incarnation. */
  reset(incarnation: number, now: number): void {
    this.#byId.clear();
    this.#setSelf(incarnation, now);
  }

  /**
   * Applies news about one node. News about myself that says I am dead or gone (a false
   * suspicion, or an earlier run of mine) is refuted: my incarnation rises above it.
   */
  apply(status: MemberStatus, record: MemberRecord, now: number): NewsOutcome {
    if (record.id === this.self.id) {
      const mine = this.incarnation;
      if (record.incarnation < mine || (status === 'alive' && record.incarnation === mine)) return 'stale';
      this.#setSelf(Math.max(Math.floor(now), record.incarnation + 1), now);
      return 'refuted';
    }
    const held = this.#byId.get(record.id);
    if (held && !supersedes(status, record.incarnation, held)) return 'stale';
    // A tombstone for a node never seen is still kept: it stops a late "alive" bringing it in.
    const url = status === 'alive' || !held ? record.url : held.url;
    this.#byId.set(record.id, {
      ...toPeer({ id: record.id, url }),
      incarnation: record.incarnation,
      status,
      changedAt: now,
    });
    this.#changed();
    return 'changed';
  }

  get(id: string): Member | undefined {
    return this.#byId.get(id);
  }

  isAlive(id: string): boolean {
    return this.#byId.get(id)?.status === 'alive';
  }

  /** The alive members, myself included, in id order. */
  alive(): readonly Member[] {
    this.#sorted ??= [...this.#byId.values()]
      .filter((m) => m.status === 'alive')
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    return this.#sorted;
  }

  /** The alive members but me, in id order. */
  others(): Member[] {
    return this.alive().filter((m) => m.id !== this.self.id);
  }

  isAlone(): boolean {
    return this.alive().length === 1;
  }

  /** Every entry with this status (tombstones included), as the news names them. */
  records(status: MemberStatus): MemberRecord[] {
    const out: MemberRecord[] = [];
    for (const m of this.#byId.values())
      if (m.status === status) out.push({ id: m.id, url: m.url, incarnation: m.incarnation });
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * The node responsible for `key`: the first alive member at or after it in id order (Chord's
   * successor(key)), skipping those in `avoid`. I am never skipped: with everyone else avoided,
   * the key is mine.
   */
  owner(key: bigint, avoid: ReadonlySet<string> = new Set()): Member {
    const ring = this.alive();
    const start = firstAtOrAfter(ring, key);
    for (let k = 0; k < ring.length; k++) {
      const member = ring[(start + k) % ring.length]!;
      if (member.id === this.self.id || !avoid.has(member.id)) return member;
    }
    return this.#byId.get(this.self.id)!;
  }

  /** The next `count` alive members after `position` in id order (not counting one at `position`). */
  after(position: bigint, count: number, skip: ReadonlySet<string> = new Set()): Member[] {
    const ring = this.alive();
    const out: Member[] = [];
    let k = firstAtOrAfter(ring, position);
    for (let seen = 0; seen < ring.length && out.length < count; seen++, k++) {
      const member = ring[k % ring.length]!;
      if (member.position === position || skip.has(member.id)) continue;
      out.push(member);
    }
    return out;
  }

  /** The alive members after me (step 1) or before me (step -1) in id order, nearest first. */
  walk(step: 1 | -1): Member[] {
    const ring = this.alive();
    const k = ring.findIndex((m) => m.id === this.self.id);
    return Array.from(
      { length: ring.length - 1 },
      (_, j) => ring[(k + step * (j + 1) + ring.length * ring.length) % ring.length]!,
    );
  }

  /** My successor in id order, or null when alone. */
  successor(): Member | null {
    return this.after(this.self.position, 1)[0] ?? null;
  }

  /** My predecessor in id order, or null when alone. */
  predecessor(): Member | null {
    const ring = this.alive();
    if (ring.length < 2) return null;
    const k = ring.findIndex((m) => m.id === this.self.id);
    return ring[(k - 1 + ring.length) % ring.length]!;
  }

  /** Whether `key` lies in (predecessor, me]: mine by my view. */
  owns(key: bigint): boolean {
    const pred = this.predecessor();
    return !pred || between(pred.position, key, this.self.position, '(]');
  }

  /** SHA-1 over "NodeID:Incarnation" of the alive members in id order: equal views, equal digests. */
  digest(): string {
    const hash = createHash('sha1');
    for (const m of this.alive()) hash.update(`${m.id}:${m.incarnation}\n`);
    return hash.digest('hex');
  }

  /** Forgets tombstones older than `keepMs`. */
  purge(now: number, keepMs: number): void {
    for (const [id, m] of this.#byId)
      if (m.status !== 'alive' && now - m.changedAt > keepMs) this.#byId.delete(id);
  }

  #setSelf(incarnation: number, now: number): void {
    this.#byId.set(this.self.id, { ...this.self, incarnation, status: 'alive', changedAt: now });
    this.#changed();
  }

  #changed(): void {
    this.#sorted = null;
    this.version++;
  }
}

function supersedes(status: MemberStatus, incarnation: number, held: Member): boolean {
  if (incarnation !== held.incarnation) return incarnation > held.incarnation;
  return RANK[status] > RANK[held.status];
}

/** Index of the first member at or after `key`, wrapping to 0. */
function firstAtOrAfter(ring: readonly Member[], key: bigint): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid]!.position < key) lo = mid + 1;
    else hi = mid;
  }
  return lo === ring.length ? 0 : lo;
}
