import { FingerTable, type Avoid } from './finger-table.ts';
import type { Peer } from './peer.ts';
import { between, distance } from './ring.ts';
import { SuccessorList } from './successor-list.ts';

/** What one lookup step knows: the owner of the key, or a node closer to it. */
export type Step =
  | { owner: Peer; predecessor: Peer | null; successors: Peer[] }
  | { next: Peer }
  /** Every node that could get closer is in `avoid`. */
  | null;

/**
 * A node's routing state (predecessor, successor list, fingers) and the decisions made from it
 * alone, without sending anything: one lookup step, responsibility for a key. Kept apart from
 * the node so that these rules can be read and tested as plain functions of the tables.
 */
export class ChordTables {
  readonly self: Peer;
  readonly successors: SuccessorList;
  readonly fingers: FingerTable;
  predecessor: Peer | null = null;

  constructor(self: Peer, successors: number, fingers: number) {
    this.self = self;
    this.successors = new SuccessorList(self, successors);
    this.fingers = new FingerTable(self, fingers);
  }

  /** My successor; myself when alone. */
  successor(): Peer {
    return this.successors.first ?? this.self;
  }

  isAlone(): boolean {
    return this.successors.first === null;
  }

  /**
   * One step of find_successor. I own keys in (predecessor, me]; my successor list settles keys
   * up to its last entry (an entry in `avoid` is skipped, so its keys fall to the next one, as
   * they will once the ring drops it); beyond that, the closest preceding node I know is the
   * next one to ask.
   */
  step(key: bigint, avoid: Avoid): Step {
    const live = this.successors.list().filter((node) => !avoid.has(node.id));
    if (this.isAlone()) return { owner: this.self, predecessor: this.predecessor, successors: [] };
    const pred = this.predecessor;
    if (pred && !avoid.has(pred.id) && between(pred.position, key, this.self.position, '(]')) {
      return { owner: this.self, predecessor: pred, successors: live };
    }
    let previous = this.self;
    for (let j = 0; j < live.length; j++) {
      if (between(previous.position, key, live[j].position, '(]')) {
        return { owner: live[j], predecessor: previous, successors: live.slice(j + 1) };
      }
      previous = live[j];
    }
    const next = this.closestPreceding(key, avoid);
    return next ? { next } : null;
  }

  /** The known node nearest before `key` (fingers and successors), never myself or one in `avoid`. */
  closestPreceding(key: bigint, avoid: Avoid): Peer | null {
    const me = this.self.position;
    let best = this.fingers.closestPreceding(key, avoid);
    for (const node of this.successors.list()) {
      if (avoid.has(node.id) || !between(me, node.position, key, '()')) continue;
      if (!best || distance(me, node.position) > distance(me, best.position)) best = node;
    }
    return best;
  }

  /**
   * Whether I answer for `key` when asked to store or fetch it: it lies in (predecessor, me], or
   * I do not know a live predecessor (then I am the best the asker found: its lookup, which
   * skipped the nodes in `avoid`, ended here).
   */
  isResponsible(key: bigint, avoid: Avoid): boolean {
    const pred = this.predecessor;
    if (this.isAlone() || !pred || avoid.has(pred.id)) return true;
    return between(pred.position, key, this.self.position, '(]');
  }

  /** Takes a node that made itself known into the successor list and the fingers where it fits. */
  consider(node: Peer): boolean {
    if (node.id === this.self.id) return false;
    const inList = this.successors.insert(node);
    return this.fingers.consider(node) > 0 || inList;
  }

  /** Drops a node from every table. */
  forget(id: string): boolean {
    let changed = this.successors.remove(id);
    if (this.fingers.remove(id, this.successors.list()) > 0) changed = true;
    if (this.predecessor?.id === id) {
      this.predecessor = null;
      changed = true;
    }
    return changed;
  }

  /** Every node I know, once each. */
  known(): Peer[] {
    const byId = new Map<string, Peer>();
    for (const node of [...this.successors.list(), ...this.fingers.distinct()]) byId.set(node.id, node);
    if (this.predecessor) byId.set(this.predecessor.id, this.predecessor);
    return [...byId.values()];
  }

  /** Changes whenever predecessor, successors or fingers change (for onNeighboursChanged). */
  signature(): string {
    const successors = this.successors
      .list()
      .map((node) => node.id)
      .join(',');
    return `${this.predecessor?.id ?? '-'}|${successors}|${this.fingers.version}`;
  }
}
