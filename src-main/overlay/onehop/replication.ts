import { isPeerFailure, type OneHopCore } from './onehop-core.ts';
import type { StoredBinding } from './onehop-messages.ts';

/**
 * The bindings I own live on me and on the next `replicas` members after me in id order (the
 * same nodes chord would use), so that a crash loses no registration: my successor already holds
 * my keys when it takes my range over.
 */
export function replicaTargets(core: OneHopCore): ReturnType<OneHopCore['members']['after']> {
  return core.members.after(core.self.position, core.settings.replicas);
}

/**
 * Anti-entropy, once per refresh: every replica target that lacks the current version of what I
 * own gets all of it. A new target (a join, a death) has no version yet; my range moving bumps
 * the version; so re-replication after churn needs nothing else.
 */
export async function replicate(core: OneHopCore): Promise<void> {
  const targets = replicaTargets(core);
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
          if (!isPeerFailure(error)) throw error;
          core.failed(target, error);
          return; // the next refresh tries again
        }
      }
      core.replicatedTo.set(target.id, version);
    }),
  );
}

/** A write, pushed at once to the replica targets; a lost push is repaired by replicate(). */
export function replicateWrite(core: OneHopCore, bindings: StoredBinding[], before: number): void {
  const after = core.ownedVersion;
  for (const target of replicaTargets(core)) {
    core
      .call(target, { kind: 'StoreBindings', bindings })
      .then(() => {
        if (core.replicatedTo.get(target.id) === before) core.replicatedTo.set(target.id, after);
      })
      .catch(() => {
        // Lost or refused: the refresh's replicate() sends the whole version instead.
      });
  }
}

/**
 * A member now between my old predecessor and me that did not join through me gets what a joiner
 * gets in its MemberList: everything I hold outside (it, me], its range and the replicas it now
 * holds. Without this a binding put at me before I heard of it would stay with me alone.
 */
export async function handOver(core: OneHopCore): Promise<void> {
  const to = core.handoverTo;
  if (!to || !core.members.isAlive(to.id) || core.members.predecessor()?.id !== to.id) {
    core.handoverTo = null;
    return;
  }
  try {
    await core.call(to, {
      kind: 'StoreBindings',
      bindings: core.store.outside(to.position, core.self.position),
    });
    if (core.handoverTo?.id === to.id) core.handoverTo = null;
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    core.failed(to, error);
  }
}
