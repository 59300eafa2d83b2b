import type { Peer } from './peer.ts';
import { ID_BITS, between, distance, fingerStart } from './ring.ts';

/** Ids a lookup must not name (nodes found dead on the way): a Set or a Map by id. */
export interface Avoid {
  has(id: string): boolean;
}

/** One row of a finger table as shown and sent: where it starts and the node it points to. */
export interface FingerEntry {
  index: number;
  start: bigint;
  node: Peer;
}

/**
 * Chord's finger table (paper, section 3.1): entry i holds "the first node, s, that succeeds n by
 * at least 2^(i-1)". A node keeps the `count` farthest entries (160 down to 161 - count); near
 * entries would all be its successor anyway. Every entry always names a node: the owner itself
 * when it knows nobody in [start, owner), as in a ring of one.
 */
export class FingerTable {
  readonly #owner: Peer;
  readonly #first: number;
  /** #nodes[k] is finger first + k. */
  readonly #nodes: Peer[];
  #version = 0;

  constructor(owner: Peer, count = ID_BITS) {
    this.#owner = owner;
    this.#first = ID_BITS - count + 1;
    this.#nodes = new Array<Peer>(count).fill(owner);
  }

  /** Lowest finger index kept (1 with all 160). */
  get first(): number {
    return this.#first;
  }

  get last(): number {
    return ID_BITS;
  }

  /** Grows on every change, so that a caller can tell cheaply whether the table moved. */
  get version(): number {
    return this.#version;
  }

  start(i: number): bigint {
    return fingerStart(this.#owner.position, i);
  }

  node(i: number): Peer {
    return this.#nodes[i - this.#first];
  }

  set(i: number, node: Peer): boolean {
    const k = i - this.#first;
    if (this.#nodes[k].id === node.id) return false;
    this.#nodes[k] = node;
    this.#version++;
    return true;
  }

  /** The distinct nodes the table points to, other than the owner, nearest first. */
  distinct(): Peer[] {
    const seen = new Set<string>([this.#owner.id]);
    const out: Peer[] = [];
    for (const node of this.#nodes) {
      if (!seen.has(node.id)) {
        seen.add(node.id);
        out.push(node);
      }
    }
    return out;
  }

  /**
   * Chord's closest_preceding_finger: the finger nearest before `key`, never one in `avoid`.
   * Searching from the farthest finger down finds it first while the table is monotonic; a stale
   * entry may break that, which costs a hop, never correctness.
   */
  closestPreceding(key: bigint, avoid: Avoid): Peer | null {
    for (let k = this.#nodes.length - 1; k >= 0; k--) {
      const node = this.#nodes[k];
      if (node === this.#owner || avoid.has(node.id)) continue;
      if (between(this.#owner.position, node.position, key, '()')) return node;
    }
    return null;
  }

  /**
   * Takes `node` into every entry it is a better answer for: at or after the entry's start and
   * before its current node. Returns how many entries changed.
   */
  consider(node: Peer): number {
    if (node.id === this.#owner.id) return 0;
    let changed = 0;
    for (let i = this.#first; i <= ID_BITS; i++) {
      if (isCloser(this.start(i), node, this.node(i)) && this.set(i, node)) changed++;
    }
    return changed;
  }

  /** Sets each entry to the first of `candidates` (or the owner) at or after its start. */
  fill(candidates: readonly Peer[]): void {
    for (let i = this.#first; i <= ID_BITS; i++)
      this.set(i, firstAtOrAfter(this.start(i), candidates, this.#owner));
  }

  /**
   * Drops a node that left or died: its entries fall to the next node this table or `others`
   * know (the successor list, typically), which is where Chord would look next anyway.
   */
  remove(id: string, others: readonly Peer[]): number {
    if (!this.#nodes.some((node) => node.id === id)) return 0;
    const candidates = [...this.distinct(), ...others].filter((node) => node.id !== id);
    let changed = 0;
    for (let i = this.#first; i <= ID_BITS; i++) {
      if (this.node(i).id === id && this.set(i, firstAtOrAfter(this.start(i), candidates, this.#owner)))
        changed++;
    }
    return changed;
  }

  /**
   * The rows where the node changes, in increasing index (docs/PROTOCOL.md: "each listed node
   * also stands for the unlisted fingers after it"): what BootstrapOK carries and state() shows.
   */
  entries(): FingerEntry[] {
    const out: FingerEntry[] = [];
    for (let i = this.#first; i <= ID_BITS; i++) {
      const node = this.node(i);
      if (out.length === 0 || out[out.length - 1].node.id !== node.id)
        out.push({ index: i, start: this.start(i), node });
    }
    return out;
  }
}

/** The candidate reached first going clockwise from `start` (start itself included). */
export function firstAtOrAfter(start: bigint, candidates: readonly Peer[], fallback: Peer): Peer {
  let best = fallback;
  let bestDistance = distance(start, fallback.position);
  for (const candidate of candidates) {
    const d = distance(start, candidate.position);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Whether `node` is a better finger for `start` than `current`: in [start, current). A current
 * node sitting exactly on start cannot be beaten (between() would read [start, start) as the
 * whole circle).
 */
export function isCloser(start: bigint, node: Peer, current: Peer): boolean {
  return (
    current.position !== start &&
    node.id !== current.id &&
    between(start, node.position, current.position, '[)')
  );
}
