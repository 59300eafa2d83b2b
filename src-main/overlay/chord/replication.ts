import { isPeerFailure, type ChordCore } from './chord-core.ts';
import type { StoredBinding } from './chord-messages.ts';

/**
 * The bindings I own live on me and on my next k successors (settings.replicas), so that a crash
 * loses no registration: when I die, my successor already holds my keys and becomes their owner.
 */

/**
 * Anti-entropy, once per refresh: every replica target that lacks the current version of what I
 * own gets all of it. Targets change with my successor list and my range with my predecessor;
 * both bump the version, so re-replication after churn needs nothing else.
 */
export async function replicate(core: ChordCore): Promise<void> {
  const targets = core.tables.successors.list().slice(0, core.settings.replicas);
  for (const id of core.replicatedTo.keys())
    if (!targets.some((t) => t.id === id)) core.replicatedTo.delete(id);
  const version = core.ownedVersion;
  const owned = core.ownedBindings();
  await Promise.all(
    targets.map(async (target) => {
      if (core.replicatedTo.get(target.id) === version) return;
      if (owned.length > 0) {
        try {
          await core.call(target, { kind: 'StoreBindings', bindings: owned });
        } catch (error) {
          if (isPeerFailure(error)) return; // the next refresh tries again
          throw error;
        }
      }
      core.replicatedTo.set(target.id, version);
    }),
  );
}

/**
 * A put, pushed at once to the replica targets without waiting for the next refresh. A target
 * that had the version before this write has the new one after it. `forOwner`: the write was
 * taken for a key outside my range, and the replicas must hand it back if I cannot.
 */
export function replicateWrite(
  core: ChordCore,
  bindings: StoredBinding[],
  before: number,
  forOwner = false,
): void {
  const after = core.ownedVersion;
  const targets = core.tables.successors.list().slice(0, core.settings.replicas);
  for (const target of targets) {
    core
      .call(target, { kind: 'StoreBindings', bindings, ...(forOwner ? { handBack: 1 } : {}) })
      .then(() => {
        if (core.replicatedTo.get(target.id) === before) core.replicatedTo.set(target.id, after);
      })
      .catch(() => {
        // Lost or refused: the refresh's replicate() sends the whole version instead.
      });
  }
}
