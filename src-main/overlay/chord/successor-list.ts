import type { Peer } from './peer.ts';
import { distance } from './ring.ts';

/**
 * The r nodes that follow this one, nearest first. The paper keeps one successor; Chord keeps r
 * so that "the ring repairs itself from the successor lists" when neighbours die. The list never
 * holds the owner itself: in a ring smaller than r + 1 it is shorter, and empty means alone.
 */
export class SuccessorList {
  readonly #owner: Peer;
  readonly #size: number;
  #nodes: Peer[] = [];

  constructor(owner: Peer, size: number) {
    this.#owner = owner;
    this.#size = size;
  }

  /** The successor, or null for a node alone in its ring. */
  get first(): Peer | null {
    return this.#nodes[0] ?? null;
  }

  get size(): number {
    return this.#size;
  }

  list(): readonly Peer[] {
    return this.#nodes;
  }

  has(id: string): boolean {
    return this.#nodes.some((node) => node.id === id);
  }

  /**
   * Stabilize's copy: my successor list is my successor followed by its list, cut where it comes
   * round to me (in a small ring the successor's list contains me and then my own successors).
   */
  adopt(successor: Peer, itsSuccessors: readonly Peer[]): boolean {
    const next: Peer[] = [];
    const seen = new Set<string>();
    for (const node of [successor, ...itsSuccessors]) {
      if (node.id === this.#owner.id || next.length === this.#size) break;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      next.push(node);
    }
    return this.#replace(next);
  }

  /**
   * Takes a node in at its place in ring order if it is nearer than the last entry (or the list
   * is not full). Returns whether the list changed.
   */
  insert(node: Peer): boolean {
    if (node.id === this.#owner.id || this.has(node.id)) return false;
    const from = this.#owner.position;
    const d = distance(from, node.position);
    const at = this.#nodes.findIndex((other) => distance(from, other.position) > d);
    if (at === -1) {
      if (this.#nodes.length >= this.#size) return false;
      return this.#replace([...this.#nodes, node]);
    }
    return this.#replace([...this.#nodes.slice(0, at), node, ...this.#nodes.slice(at)].slice(0, this.#size));
  }

  remove(id: string): boolean {
    return this.#replace(this.#nodes.filter((node) => node.id !== id));
  }

  clear(): void {
    this.#nodes = [];
  }

  #replace(next: Peer[]): boolean {
    const same = next.length === this.#nodes.length && next.every((node, i) => node.id === this.#nodes[i].id);
    this.#nodes = next;
    return !same;
  }
}
