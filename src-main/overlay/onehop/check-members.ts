import type { Id, OverlayState } from '../overlay.ts';

/** One way a node's table differs from the set of live nodes. */
export interface MembershipProblem {
  node: Id;
  /** Live nodes it lacks. */
  missing: Id[];
  /** Nodes it holds that are not live. */
  extra: Id[];
}

/**
 * Compares every node's members (state().tables.members) with the ids of the live nodes: in a
 * settled one-hop overlay every node holds exactly those. For tests, the lab and the bench.
 */
export function checkMembers(states: readonly OverlayState[]): MembershipProblem[] {
  const live = new Set(states.map((s) => s.self.id));
  const problems: MembershipProblem[] = [];
  for (const state of states) {
    const held = new Set(((state.tables.members ?? []) as Array<{ id: Id }>).map((m) => m.id));
    const missing = [...live].filter((id) => !held.has(id));
    const extra = [...held].filter((id) => !live.has(id));
    if (!state.joined || missing.length > 0 || extra.length > 0)
      problems.push({ node: state.self.id, missing, extra });
  }
  return problems;
}

/** The owner of `key` among `ids` by the rule both identity algorithms share: the first id at or after it. */
export function ownerAmong(ids: readonly Id[], key: Id): Id {
  const sorted = [...ids].sort();
  return sorted.find((id) => id >= key) ?? sorted[0]!;
}
