import { BindingStore, toBinding } from '../chord/binding-store.ts';
import { readBindings, readNode } from '../chord/message-fields.ts';
import { toRef, type Peer } from '../chord/peer.ts';
import type { Binding, NodeRef, OverlayMessage } from '../overlay.ts';
import { isPeerFailure, type OneHopCore } from './onehop-core.ts';
import { TooManyHopsError, UnexpectedAnswerError } from './onehop-errors.ts';
import type { OneHopRequest, StoredBinding } from './onehop-messages.ts';
import { replicateWrite } from './replication.ts';

/** Bindings handed back per refresh at most, so that the aftermath of a partition is spread out. */
const HAND_BACK_PER_REFRESH = 32;

/**
 * The owner's side of a put: store, then push the write to the replicas at once. A put for a key
 * another member owns by my view (the putter found that member silent) is also handed back to
 * that member until it acknowledges, in case it was only a lost datagram.
 */
export function storeAsOwner(core: OneHopCore, binding: StoredBinding): void {
  const before = core.ownedVersion;
  if (core.mergeBindings([binding]).length === 0) return;
  if (!core.owns(BindingStore.keyOf(binding.aor))) core.holdForOwner([binding]);
  replicateWrite(core, [binding], before);
}

/** Once per refresh: bindings taken for another member go to it (by my current view). */
export async function handBack(core: OneHopCore): Promise<void> {
  for (const [id, binding] of [...core.handBack].slice(0, HAND_BACK_PER_REFRESH)) {
    if (core.state !== 'joined') return;
    const owner = core.members.owner(BindingStore.keyOf(binding.aor));
    if (owner.id === core.self.id) {
      core.handBack.delete(id);
      continue;
    }
    try {
      await core.call(owner, { kind: 'StoreBindings', bindings: [binding] });
      core.handBack.delete(id);
    } catch (error) {
      if (!isPeerFailure(error)) throw error;
      core.failed(owner, error);
    }
  }
}

/** put(): the binding goes to the member responsible for SHA-1(AOR), which replicates it. */
export async function putBinding(core: OneHopCore, binding: Binding): Promise<void> {
  // The device's clock orders its own writes; a retry carries the same time, so it is harmless.
  const stored: StoredBinding = { ...binding, writtenAt: core.now() };
  await atOwner(
    core,
    BindingStore.keyOf(binding.aor),
    (avoid) => ({ kind: 'PutBinding', binding: stored, avoid }),
    () => storeAsOwner(core, stored),
    (from, reply) => {
      if (reply.kind !== 'Ack') throw new UnexpectedAnswerError(from, 'Ack', reply.kind);
    },
  );
}

/** get(): the live bindings of an AOR, from its owner, or from a replica when the owner is silent. */
export async function getBindings(core: OneHopCore, aor: string): Promise<Binding[]> {
  const live = await atOwner(
    core,
    BindingStore.keyOf(aor),
    (avoid) => ({ kind: 'GetBindings', aor, avoid }),
    () => core.store.live(aor, core.now()),
    (from, reply) => {
      if (reply.kind !== 'Bindings') throw new UnexpectedAnswerError(from, 'Bindings', reply.kind);
      return readBindings(reply, 'bindings');
    },
  );
  return live.map(toBinding);
}

/**
 * One hop: ask the owner by my table. A silent owner is avoided and the next member in id order,
 * which holds a replica and, told whom to avoid, answers as the owner, is asked instead. A
 * Redirect (the owner knows of a member I have not heard of yet) is followed.
 */
async function atOwner<T>(
  core: OneHopCore,
  key: bigint,
  request: (avoid: NodeRef[]) => OneHopRequest,
  local: () => T,
  accept: (from: NodeRef, reply: OverlayMessage) => T,
): Promise<T> {
  const avoid = new Map<string, NodeRef>();
  const route = (): Peer => core.members.owner(key, new Set([...avoid.keys(), ...core.suspected()]));
  let target: Peer = route();
  for (let asked = 0; asked < core.settings.maxForwards; asked++) {
    if (target.id === core.self.id) return local();
    const to = target;
    try {
      const reply = await core.call(to, request([...avoid.values()]));
      if (reply.kind !== 'Redirect') return accept(to, reply);
      const next = readNode(reply, 'next');
      // Sent back to me: we disagree on who owns the key; answer from here rather than loop.
      target = avoid.has(next.id) ? route() : next;
    } catch (error) {
      if (!isPeerFailure(error)) throw error;
      avoid.set(to.id, toRef(to));
      core.failed(to, error);
      target = route();
    }
  }
  throw new TooManyHopsError('Binding request', core.settings.maxForwards);
}
