import { isPeerFailure, isRouteFailure, type ChordCore } from './chord-core.ts';
import { UnexpectedReplyError } from './chord-errors.ts';
import { findSuccessor } from './lookup.ts';
import { readNumber, readOptionalNode } from './message-fields.ts';
import type { Peer } from './peer.ts';
import { between, fingerOffset, subtract } from './ring.ts';

/**
 * Figure 3 (d), "the distribution of finger table information": Chord's update_others. For each
 * i, the last node q at or before me - 2^(i-1) may need its finger i to point to me; q is told,
 * and then q's predecessor, as long as the update changes something.
 *
 * q is the predecessor of successor(me - 2^(i-1) + 1), which a lookup's answer names. The
 * interval each told node answers for is remembered, so a lookup is only needed where the
 * targets change: about log2(N) lookups, and as many UpdateFingers, per join.
 */
export async function updateOthers(core: ChordCore): Promise<void> {
  const { self, tables } = core;
  const { fingers } = tables;
  /** Nodes told, with their predecessors: each answers for (predecessor, node]. */
  const told = new Map<string, Peer | null>();
  /** Known (predecessor, node) pairs, to find q without a lookup. */
  const intervals: Array<{ from: Peer; to: Peer }> = [];
  if (tables.predecessor) intervals.push({ from: tables.predecessor, to: self });
  let messages = 0;

  const tell = async (start: Peer): Promise<void> => {
    let at: Peer | null = start;
    while (at && at.id !== self.id && !told.has(at.id) && messages < core.settings.maxForwards) {
      messages++;
      const target: Peer = at;
      try {
        const reply = await core.call(target, { kind: 'UpdateFingers' });
        if (reply.kind !== 'FingersUpdated')
          throw new UnexpectedReplyError(target, 'FingersUpdated', reply.kind);
        const pred = readOptionalNode(reply, 'predecessor');
        told.set(target.id, pred);
        if (pred) intervals.push({ from: pred, to: target });
        at = readNumber(reply, 'changed') > 0 ? pred : null;
      } catch (error) {
        if (!isPeerFailure(error)) throw error;
        core.suspect(target, error);
        return;
      }
    }
  };

  for (let i = fingers.first; i <= fingers.last && core.state === 'joined'; i++) {
    const u = subtract(self.position, fingerOffset(i) - 1n);
    let q = intervals.find(({ from, to }) => between(from.position, u, to.position, '(]'))?.from ?? null;
    if (!q) {
      try {
        const found = await findSuccessor(core, u);
        q = found.predecessor;
        if (q) intervals.push({ from: q, to: found.owner });
      } catch (error) {
        if (!isRouteFailure(error)) throw error;
        continue;
      }
    }
    if (q && !told.has(q.id)) await tell(q);
  }
}
