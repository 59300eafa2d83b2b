import type { Binding, NodeRef, OverlayMessage } from '../overlay.ts';
import { BindingStore, toBinding } from './binding-store.ts';
import { isPeerFailure, isRouteFailure, type ChordCore } from './chord-core.ts';
import { TooManyHopsError, UnexpectedReplyError } from './chord-errors.ts';
import type { ChordRequest, StoredBinding } from './chord-messages.ts';
import { findSuccessor } from './lookup.ts';
import { readBindings, readNode } from './message-fields.ts';
import { toRef, type Peer } from './peer.ts';
import { replicateWrite } from './replication.ts';

/**
 * The owner's side of a put: store, then push the write to the replicas at once. A node may
 * take a put for a key outside its range: its predecessor is unknown, or the asker could not
 * reach the nodes before it (a lost datagram looks like a crash, and in heavy churn a lookup
 * may end far from the key). If the real owner is alive, a later get asks it, not me: such a
 * binding is handed back (see handBack).
 */
export function storeAsOwner(core: ChordCore, binding: StoredBinding): void {
  const before = core.ownedVersion;
  if (core.mergeBindings([binding]).length === 0) return;
  const mine =
    core.tables.isAlone() || (core.tables.predecessor && core.owns(BindingStore.keyOf(binding.aor)));
  // The replicas hold a misplaced binding for its owner too: if I die first, they hand it back.
  if (!mine) core.holdForOwner([binding]);
  replicateWrite(core, [binding], before, !mine);
}

/** Bindings handed back per refresh at most, so that a partition's aftermath is spread out. */
const HAND_BACK_PER_REFRESH = 32;

/**
 * Once per refresh, when the ring has had time to repair: each binding taken for someone else's
 * range is put again, through a fresh lookup, until its owner (not me) acknowledges it. After a
 * partition healed, every binding held goes through the same check once.
 */
export async function handBack(core: ChordCore): Promise<void> {
  if (core.recheckBindingsAt !== null && core.now() >= core.recheckBindingsAt) {
    core.recheckBindingsAt = null;
    core.holdForOwner(core.store.all());
  }
  for (const [id, binding] of [...core.handBack].slice(0, HAND_BACK_PER_REFRESH)) {
    if (core.state !== 'joined') return;
    const key = BindingStore.keyOf(binding.aor);
    try {
      const { owner } = await findSuccessor(core, key);
      if (owner.id === core.self.id) {
        if (!core.tables.predecessor) continue; // my range is still unknown: next refresh
      } else if ((await core.call(owner, { kind: 'PutBinding', binding, avoid: [] })).kind !== 'Ack') {
        continue; // redirected: the ring is still settling
      }
      core.handBack.delete(id);
    } catch (error) {
      if (!isRouteFailure(error)) throw error;
    }
  }
}

/** put(): the binding goes to the node responsible for SHA-1(AOR), which replicates it. */
export async function putBinding(core: ChordCore, binding: Binding): Promise<void> {
  // The device's clock orders its own writes; a retry carries the same time, so it is harmless.
  const stored: StoredBinding = { ...binding, writtenAt: core.now() };
  await atResponsibleNode(
    core,
    BindingStore.keyOf(binding.aor),
    (avoid) => ({ kind: 'PutBinding', binding: stored, avoid }),
    () => storeAsOwner(core, stored),
    (from, reply) => {
      if (reply.kind !== 'Ack') throw new UnexpectedReplyError(from, 'Ack', reply.kind);
    },
  );
}

/** get(): the live bindings of an AOR, from its owner, or from a replica when the owner died. */
export async function getBindings(core: ChordCore, aor: string): Promise<Binding[]> {
  const live = await atResponsibleNode(
    core,
    BindingStore.keyOf(aor),
    (avoid) => ({ kind: 'GetBindings', aor, avoid }),
    () => core.store.live(aor, core.now()),
    (from, reply) => {
      if (reply.kind !== 'Bindings') throw new UnexpectedReplyError(from, 'Bindings', reply.kind);
      return readBindings(reply, 'bindings');
    },
  );
  return live.map(toBinding);
}

/**
 * Finds the node that answers for `key` and asks it. A node that does not answer is avoided:
 * the next lookup ends at its successor, which holds a replica and, told whom to avoid, answers
 * as the owner. A Redirect (the asked node's predecessor has taken the key over) is followed.
 */
async function atResponsibleNode<T>(
  core: ChordCore,
  key: bigint,
  request: (avoid: NodeRef[]) => ChordRequest,
  local: () => T,
  accept: (from: NodeRef, reply: OverlayMessage) => T,
): Promise<T> {
  const avoid = new Map<string, NodeRef>();
  let target: Peer | null = null;
  for (let asked = 0; asked < core.settings.maxForwards;) {
    target ??= (await findSuccessor(core, key, { avoid })).owner;
    if (target.id === core.self.id) {
      if (core.tables.isResponsible(key, avoid) || !core.tables.predecessor) return local();
      target = core.tables.predecessor;
      continue;
    }
    asked++;
    const to: Peer = target;
    try {
      const reply = await core.call(to, request([...avoid.values()]));
      if (reply.kind !== 'Redirect') return accept(to, reply);
      const next = readNode(reply, 'next');
      target = avoid.has(next.id) ? null : next;
    } catch (error) {
      if (!isPeerFailure(error)) throw error;
      avoid.set(to.id, toRef(to));
      core.suspect(to, error);
      target = null;
    }
  }
  throw new TooManyHopsError('Binding request', core.settings.maxForwards);
}
