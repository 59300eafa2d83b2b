import type { Id, NodeRef, OverlayState } from '../overlay.ts';
import { ID_BITS, fingerStart, toId, toPosition } from './ring.ts';

/** What a node's tables should hold in a ring of exactly these nodes. */
export interface IdealNode {
  id: Id;
  predecessor: Id | null;
  /** The next min(r, N - 1) nodes. */
  successors: Id[];
  /** successor(n + 2^(i-1)) for i = 161 - fingers .. 160. */
  fingers: Id[];
}

export interface RingProblem {
  node: Id;
  what: string;
  expected: string;
  actual: string;
}

/** The sorted ring of positions, and successor(x) by binary search. */
export class SortedRing {
  readonly positions: bigint[];

  constructor(ids: readonly Id[]) {
    this.positions = ids.map(toPosition).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Index of the first node at or after x, wrapping to 0. */
  successorIndex(x: bigint): number {
    const p = this.positions;
    let lo = 0;
    let hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === p.length ? 0 : lo;
  }
}

/** Every node's ideal tables (for tests and the lab; a 100,000-node ring has its own builder). */
export function idealRing(
  ids: readonly Id[],
  options: { successors: number; fingers?: number },
): Map<Id, IdealNode> {
  const ring = new SortedRing(ids);
  const n = ring.positions.length;
  const first = ID_BITS - (options.fingers ?? ID_BITS) + 1;
  const out = new Map<Id, IdealNode>();
  ring.positions.forEach((position, k) => {
    const id = toId(position);
    const fingers: Id[] = [];
    for (let i = first; i <= ID_BITS; i++)
      fingers.push(toId(ring.positions[ring.successorIndex(fingerStart(position, i))]));
    out.set(id, {
      id,
      predecessor: n > 1 ? toId(ring.positions[(k - 1 + n) % n]) : null,
      successors: Array.from({ length: Math.min(options.successors, n - 1) }, (_, j) =>
        toId(ring.positions[(k + 1 + j) % n]),
      ),
      fingers,
    });
  });
  return out;
}

/**
 * Compares every node's state() with what the sorted ids say: predecessor, successor list and
 * every finger (expanded from the rows state() lists where the node changes).
 */
export function checkRing(
  states: readonly OverlayState[],
  options: { successors: number; fingers?: number },
): RingProblem[] {
  const ideal = idealRing(
    states.map((s) => s.self.id),
    options,
  );
  const first = ID_BITS - (options.fingers ?? ID_BITS) + 1;
  const problems: RingProblem[] = [];
  const report = (node: Id, what: string, expected: unknown, actual: unknown): void => {
    problems.push({ node, what, expected: String(expected), actual: String(actual) });
  };
  for (const state of states) {
    const want = ideal.get(state.self.id)!;
    const tables = state.tables as {
      predecessor?: NodeRef | null;
      successors?: NodeRef[];
      fingers?: Array<{ start: Id; node: NodeRef }>;
    };
    if (!state.joined) report(want.id, 'joined', true, false);
    const pred = tables.predecessor?.id ?? null;
    if (pred !== want.predecessor) report(want.id, 'predecessor', want.predecessor, pred);
    const successors = (tables.successors ?? []).map((s) => s.id).join(',');
    if (successors !== want.successors.join(','))
      report(want.id, 'successors', want.successors.join(','), successors);
    const fingers = expandFingers(want.id, tables.fingers ?? [], first);
    want.fingers.forEach((expected, k) => {
      if (fingers[k] !== expected) report(want.id, `finger ${first + k}`, expected, fingers[k]);
    });
  }
  return problems;
}

/** The full finger list from the rows where the node changes (each row stands for those after it). */
export function expandFingers(
  self: Id,
  rows: ReadonlyArray<{ start: Id; node: NodeRef }>,
  first = 1,
): Array<Id | undefined> {
  const me = toPosition(self);
  const byStart = new Map(rows.map((row) => [row.start, row.node.id]));
  const out: Array<Id | undefined> = [];
  let current: Id | undefined;
  for (let i = first; i <= ID_BITS; i++) {
    current = byStart.get(toId(fingerStart(me, i))) ?? current;
    out.push(current);
  }
  return out;
}
