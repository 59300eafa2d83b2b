import type { P2pDocument } from '../../overlay/xml/index.ts';

/**
 * How many peers proxied an INVITE between the caller and this device, from its Via headers
 * (top first, the caller's own last). A peer's own proxy role may appear in the path (the
 * caller hands its INVITE to its own proxy, and the responsible node may be the callee itself);
 * those are not peers in between, so Vias from the caller's or the callee's address are not
 * counted.
 */
export function countHops(viaPath: readonly string[], selfHostport: string): number {
  const caller = viaPath[viaPath.length - 1];
  return viaPath.slice(0, -1).filter((hop) => hop !== caller && hop !== selfHostport).length;
}

/** The hop count a callee reported in its signed answer (the identity layer's Delivered message). */
export function deliveredHops(doc: P2pDocument): number | undefined {
  for (const part of doc.overlays) {
    for (const message of part.messages) if (message.kind === 'Delivered') return message.hops;
  }
  return undefined;
}
