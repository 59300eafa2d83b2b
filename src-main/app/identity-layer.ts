import { chord } from '../overlay/chord/index.ts';
import type { ChordSettings } from '../overlay/chord/index.ts';
import { onehop } from '../overlay/onehop/index.ts';
import type { OneHopSettings } from '../overlay/onehop/index.ts';
import type { NodeRef, Overlay } from '../overlay/overlay.ts';
import { OverlayRegistry } from '../overlay/overlay-registry.ts';
import type { BootstrapNode } from '../overlay/xml/index.ts';
import type { PeerNode } from './peer-node.ts';
import { caPublicKey } from './identity/switch-authority.ts';
import { IdentityLayer } from './identity/identity-layer.ts';

/**
 * The identity layer's algorithms, by name (the paper's pluggable mechanism per layer): `chord`
 * (the default) and `onehop`. The settings the two share (refresh, hop timeout, attempts,
 * failures, replicas, Max-Forwards, tombstones) apply to both unless `oneHop` says otherwise.
 */
export function identityAlgorithms(
  settings: ChordSettings = {},
  oneHop: OneHopSettings = {},
): OverlayRegistry {
  // One attempt per hop: over SIP the transaction layer already retransmits (Timer E) within the
  // hop timeout, so a second attempt would only double the wait on a dead node.
  const { layer, refreshMs, hopTimeoutMs, attempts, failures, replicas, maxForwards, tombstoneMs } = settings;
  const shared = { layer, refreshMs, hopTimeoutMs, attempts, failures, replicas, maxForwards, tombstoneMs };
  const defined = Object.fromEntries(Object.entries(shared).filter(([, v]) => v !== undefined));
  return new OverlayRegistry()
    .register('identity', 'chord', chord({ attempts: 1, ...settings }))
    .register('identity', 'onehop', onehop({ attempts: 1, ...defined, ...oneHop }));
}

export class NoBootstrapAnsweredError extends Error {
  constructor(tried: string[]) {
    super(`None of the bootstrap peers answered (${tried.join(', ')}); is the network up?`);
    this.name = 'NoBootstrapAnsweredError';
  }
}

export interface IdentityLayerOptions {
  algorithm?: string;
  registry?: OverlayRegistry;
  /** Where to join; default: the bootstrap peers the login server gave. Empty: start a new ring. */
  bootstrap?: Array<NodeRef | BootstrapNode>;
  /** The overlay's refresh period when the registry was built with another than the login server's. */
  refreshMs?: number;
  /**
   * Called when no bootstrap peer could be joined (they all left since the login server last
   * saw them) and this peer started a ring of its own instead.
   */
  onStartedAlone?: (why: string) => void;
}

/**
 * Brings up the user identity overlay on a logged-in peer (paper, section 4.2 and Figure 3):
 * runs the algorithm, joins through a bootstrap peer (or starts the ring when there is none),
 * then registers this device's binding (AOR → contact) at the node responsible for SHA-1(AOR)
 * and keeps it fresh every refresh period.
 */
export async function joinIdentityLayer(
  node: PeerNode,
  options: IdentityLayerOptions = {},
): Promise<Overlay> {
  return (await joinIdentity(node, options)).view;
}

/**
 * The same, returning the layer itself: its active algorithm, its switch (app/identity). The
 * Overlay the other callers get is `layer.view`, which follows the active algorithm.
 */
export async function joinIdentity(
  node: PeerNode,
  options: IdentityLayerOptions = {},
): Promise<IdentityLayer> {
  // The algorithm the network runs now, as the login server said (after a switch), or chord.
  const current = node.layers.find((state) => state.layer === 'identity');
  const algorithm = options.algorithm ?? current?.algorithm ?? 'chord';
  const epoch = algorithm === current?.algorithm ? current.epoch : 0;
  const registry = options.registry ?? identityAlgorithms({ refreshMs: node.refreshRate * 1000 });
  const overlay = await node.host({ layer: 'identity', algorithm }, registry.factory('identity', algorithm));
  const candidates = options.bootstrap ?? node.bootstrap;
  const refs = await knownIds(node, candidates);
  if (refs.length === 0) {
    if (candidates.length > 0)
      options.onStartedAlone?.(new NoBootstrapAnsweredError(urls(candidates)).message);
    await overlay.create();
  } else {
    try {
      await overlay.join(refs);
    } catch (error) {
      // The login server lists peers it saw recently; they may all be gone. A ring of one is
      // better than no phone, and the user is told.
      options.onStartedAlone?.(
        `Could not join through ${urls(candidates).join(', ')}: ${(error as Error).message}`,
      );
      await overlay.create();
    }
  }
  const caCertPem = node.keystore.identity().caCertPem;
  if (!caCertPem) throw new Error('This peer holds no CA certificate: log in first');
  const layer = new IdentityLayer(node, registry, overlay, caPublicKey(caCertPem), {
    refreshMs: options.refreshMs,
    epoch,
  });
  node.useIdentity(layer.view);
  await registerBinding(node, layer.view);
  // Into every overlay of the layer that has joined: both of them while a switch runs.
  node.every(node.refreshRate * 1000, () => layer.refresh());
  return layer;
}

/** This device's binding, alive for three refresh periods so that one lost refresh loses nothing. */
export function registerBinding(node: PeerNode, overlay: Overlay): Promise<void> {
  const identity = node.identity;
  return overlay.put({
    aor: identity.aor,
    contact: node.uri,
    nodeId: identity.nodeId,
    certificateFingerprint: identity.fingerprint,
    expiresAt: Date.now() + 3 * node.refreshRate * 1000,
  });
}

function urls(candidates: Array<NodeRef | BootstrapNode>): string[] {
  return candidates.map((c) => ('url' in c ? c.url : c.nodeUrl));
}

/** Bootstrap entries without a NodeID (configured by URL only) are asked who they are. */
async function knownIds(node: PeerNode, candidates: Array<NodeRef | BootstrapNode>): Promise<NodeRef[]> {
  const refs: NodeRef[] = [];
  for (const c of candidates) {
    const url = 'url' in c ? c.url : c.nodeUrl;
    const id = 'id' in c ? c.id : c.nodeId;
    if (url === node.uri) continue;
    if (id) {
      refs.push({ id, url });
      continue;
    }
    const hello = await node.hello(url).catch(() => undefined);
    if (hello?.ok) refs.push({ id: hello.sender.nodeId, url });
  }
  return refs;
}
