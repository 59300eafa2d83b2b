import type { OverlayFactory } from '../overlay.ts';
import { OneHopNode } from './onehop-node.ts';
import { resolveOneHopSettings, type OneHopSettings } from './onehop-settings.ts';

/**
 * The onehop algorithm as a registry entry (STYLE.md example 5): settings now, dependencies when
 * the app builds the layer. Settings are checked here, so that a bad configuration fails at
 * start-up rather than when the first node is built.
 *
 * ```ts
 * registry.register('identity', 'onehop', onehop({ refreshMs: 60_000 }));
 * ```
 */
export function onehop(settings: OneHopSettings = {}): OverlayFactory {
  resolveOneHopSettings(settings);
  return (components) => new OneHopNode(components, settings);
}
