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
 * own state, read defensively since `tables` is the algorithm's business), the peers whose
 * signed messages verified here, and the lookups the phone made.
 */
export function ringView(overlay: Overlay, node: PeerNode, lookups: readonly Lookup[]): RingView {
  const state = overlay.state();
  const tables = state.tables as {
    predecessor?: unknown;
    successors?: unknown;
    fingers?: unknown;
  };
  return {
    self: ref(state.self),
    predecessor: isRef(tables.predecessor) ? ref(tables.predecessor) : null,
    successors: Array.isArray(tables.successors) ? tables.successors.filter(isRef).map(ref) : [],
    fingers: Array.isArray(tables.fingers)
      ? tables.fingers
          .filter(
            (f): f is { start: string; node: NodeRef } => typeof f?.start === 'string' && isRef(f?.node),
          )
          .map((f) => ({ start: f.start, node: ref(f.node) }))
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

function isRef(value: unknown): value is NodeRef {
  const v = value as NodeRef | null | undefined;
  return typeof v?.id === 'string' && typeof v?.url === 'string';
}

function ref(node: NodeRef): RingNodeView {
  return { id: node.id, url: node.url };
}
