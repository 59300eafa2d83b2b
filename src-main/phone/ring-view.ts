import type { PeerNode } from '../app/peer-node.ts';
import type { RingNodeView, RingView } from '../ipc/contract.ts';
import type { NodeRef, Overlay } from '../overlay/overlay.ts';
import type { Lookup } from './presence.ts';

export const EMPTY_RING: RingView = {
  self: null,
  predecessor: null,
  successors: [],
  fingers: [],
  knownPeers: [],
  lookups: [],
  bindings: 0,
};

/**
 * The network screen's picture of this node: its place in the identity ring (from the overlay's
 * own state, read defensively since `tables` is the algorithm's business: chord's successor list
 * and fingers, or onehop's one successor and no fingers), the peers whose
 * signed messages verified here, and the lookups the phone made.
 */
export function ringView(overlay: Overlay, node: PeerNode, lookups: readonly Lookup[]): RingView {
  const state = overlay.state();
  const tables = state.tables as {
    predecessor?: unknown;
    successors?: unknown;
    /** onehop's: it keeps one successor, and every member beside it. */
    successor?: unknown;
    fingers?: unknown;
  };
  return {
    self: ref(state.self),
    predecessor: isRef(tables.predecessor) ? ref(tables.predecessor) : null,
    successors: Array.isArray(tables.successors)
      ? tables.successors.filter(isRef).map(ref)
      : isRef(tables.successor)
        ? [ref(tables.successor)]
        : [],
    fingers: Array.isArray(tables.fingers)
      ? tables.fingers
          .filter(
            (f): f is { start: string; node: NodeRef } => typeof f?.start === 'string' && isRef(f?.node),
          )
          .flatMap((f) => {
            const finger = fingerNumber(state.self.id, f.start);
            return finger === null ? [] : [{ finger, start: f.start, node: ref(f.node) }];
          })
      : [],
    knownPeers: [...node.knownPeers.values()]
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .map((p) => ({ aor: p.aor, nodeId: p.nodeId, uri: p.uri })),
    lookups: [...lookups],
    bindings: state.bindings,
  };
}

/**
 * Where the next start looks for the ring: every other node the tables name, then the peers
 * whose messages verified here, most recent first.
 */
export function rememberedPeers(view: RingView, node: PeerNode): NodeRef[] {
  const known = [...node.knownPeers.values()]
    .sort((a, b) => b.lastSeen - a.lastSeen)
    .map((p) => ({ id: p.nodeId, url: p.uri }));
  const seen = new Set<string>([view.self?.id ?? '']);
  return [...ringPeers(view), ...known].filter((p) => !seen.has(p.id) && seen.add(p.id));
}

/** Every other node the tables name. */
export function ringPeers(view: RingView): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  const add = (n: RingNodeView | null) => {
    if (n && n.id !== view.self?.id && !seen.has(n.id)) seen.set(n.id, { id: n.id, url: n.url });
  };
  view.successors.forEach(add);
  add(view.predecessor);
  view.fingers.forEach((f) => add(f.node));
  return [...seen.values()];
}

const RING_SIZE = 1n << 160n;

/**
 * Which finger starts at `start`: finger k starts at self + 2^(k-1) on the ring of 2^160
 * identifiers. The overlay lists only the rows where the node changes, so a row's place in the
 * list is not its finger number. Null for a start that is no finger's (not a power-of-two step).
 */
export function fingerNumber(self: string, start: string): number | null {
  if (!/^[0-9a-f]{40}$/i.test(self) || !/^[0-9a-f]{40}$/i.test(start)) return null;
  const step = (BigInt(`0x${start}`) - BigInt(`0x${self}`) + RING_SIZE) % RING_SIZE;
  if (step === 0n || (step & (step - 1n)) !== 0n) return null;
  return step.toString(2).length;
}

function isRef(value: unknown): value is NodeRef {
  const v = value as NodeRef | null | undefined;
  return typeof v?.id === 'string' && typeof v?.url === 'string';
}

function ref(node: NodeRef): RingNodeView {
  return { id: node.id, url: node.url };
}
