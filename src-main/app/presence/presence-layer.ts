import { chord } from '../../overlay/chord/index.ts';
import type { ChordSettings } from '../../overlay/chord/index.ts';
import type { NodeRef, OverlayFactory } from '../../overlay/overlay.ts';
import type { BootstrapNode } from '../../overlay/xml/index.ts';
import { joinOrStart } from '../join-or-start.ts';
import type { PeerNode } from '../peer-node.ts';
import { presenceOver } from './presence-overlay.ts';
import type { PresenceOverlay } from './presence-overlay.ts';
import type { PresenceSettings } from './presence-settings.ts';

/** The presence layer's name in `<Overlay layer= algorithm=>`. */
export const PRESENCE_LAYER = 'presence';

export interface PresenceLayerOptions {
  /** Refresh and hop timeout of the presence ring and service; default: the network's RefreshRate. */
  settings?: PresenceSettings & Pick<ChordSettings, 'successors' | 'fingers'>;
  /** Where to join; default: the bootstrap peers the login server gave. Empty: start a new ring. */
  bootstrap?: Array<NodeRef | BootstrapNode>;
  /** Wraps the ring's algorithm (the phone passes a delegate); default: none. */
  wrap?: (factory: OverlayFactory) => OverlayFactory;
  /** Called when no bootstrap peer could be joined and this peer started a presence ring alone. */
  onStartedAlone?: (why: string) => void;
  /** Background failures (a refresh that found no route, a push nobody answered); default: none. */
  onError?: (error: unknown) => void;
}

/**
 * Brings up the presence feature layer on a logged-in peer: its own chord ring (layer
 * "presence", algorithm "chord": the identity layer's implementation, instantiated with its own
 * ring, tables and timers), joined through the same bootstrap peers as the identity layer, with
 * the presence service on top. This device then publishes its user online every refresh period.
 */
export async function joinPresenceLayer(
  node: PeerNode,
  options: PresenceLayerOptions = {},
): Promise<PresenceOverlay> {
  const refreshMs = options.settings?.refreshMs ?? node.refreshRate * 1000;
  const settings = { ...options.settings, refreshMs };
  // One attempt per hop, as for the identity ring: SIP retransmits within the hop timeout.
  const ring = chord({ attempts: 1, ...settings, layer: PRESENCE_LAYER });
  const factory = presenceOver(
    options.wrap ? options.wrap(ring) : ring,
    {
      aor: node.identity.aor,
      senderAor: (nodeId) => node.knownPeers.get(nodeId)?.aor,
      onError: options.onError ?? (() => undefined),
    },
    { refreshMs, ...(settings.hopTimeoutMs === undefined ? {} : { hopTimeoutMs: settings.hopTimeoutMs }) },
  );
  const overlay = (await node.host(
    { layer: PRESENCE_LAYER, algorithm: 'chord' },
    factory,
  )) as PresenceOverlay;
  const refs = await knownRefs(node, options.bootstrap ?? node.bootstrap);
  await joinOrStart(overlay, refs, 'the presence ring', options.onStartedAlone);
  return overlay;
}

/** Bootstrap entries without a NodeID (configured by URL only) are asked who they are. */
async function knownRefs(node: PeerNode, candidates: Array<NodeRef | BootstrapNode>): Promise<NodeRef[]> {
  const refs: NodeRef[] = [];
  for (const c of candidates) {
    const url = 'url' in c ? c.url : c.nodeUrl;
    const id = 'id' in c ? c.id : c.nodeId;
    if (url === node.uri) continue;
    if (id) refs.push({ id, url });
    else {
      const hello = await node.hello(url).catch(() => undefined);
      if (hello?.ok) refs.push({ id: hello.sender.nodeId, url });
    }
  }
  return refs;
}
