import type {
  Binding,
  Id,
  NextHop,
  Overlay,
  OverlayMessage,
  OverlayReply,
  NodeRef,
} from '../../overlay/overlay.ts';
import type { IdentityLayer } from './identity-layer.ts';

/**
 * The identity layer as one Overlay, whatever runs it underneath (what CallRouter, the lab and
 * the status page hold): each operation goes to the active overlay; the ones that can miss (a
 * binding not there yet, no next hop) fall back to the other overlay while a switch runs.
 * Lifecycle calls go to the active overlay: the layer's switch starts and stops the others.
 */
export function identityView(layer: IdentityLayer): Overlay {
  const active = () => layer.active;
  return {
    layer: 'identity',
    get algorithm() {
      return active().algorithm;
    },
    get self() {
      return active().self;
    },
    start: () => active().start(),
    stop: () => active().stop(),
    create: () => active().create(),
    join: (bootstrap: NodeRef[]) => active().join(bootstrap),
    leave: () => Promise.all(layer.overlays().map((o) => o.leave())).then(() => undefined),
    route: (key: Id) => active().route(key),
    put: (binding: Binding) => Promise.all(layer.carriers().map((o) => o.put(binding))).then(() => undefined),
    get: (aor: string) => layer.get(aor),
    nextHop(key: Id, avoid?: ReadonlySet<Id>): NextHop {
      const overlays = layer.overlays();
      let hop: NextHop = { kind: 'none' };
      for (const overlay of overlays) {
        hop = overlay.nextHop(key, avoid);
        if (hop.kind !== 'none') return hop;
      }
      return hop;
    },
    localBindings(aor: string): Binding[] {
      for (const overlay of layer.overlays()) {
        const found = overlay.localBindings(aor);
        if (found.length > 0) return found;
      }
      return [];
    },
    storedBindings: () => active().storedBindings(),
    reportFailure: (node: NodeRef) => layer.overlays().forEach((o) => o.reportFailure(node)),
    receive: (from: NodeRef, message: OverlayMessage): Promise<OverlayReply> =>
      active().receive(from, message),
    state: () => active().state(),
  };
}
