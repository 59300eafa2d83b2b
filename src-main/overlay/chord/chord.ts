import type { OverlayFactory } from '../overlay.ts';
import { ChordNode } from './chord-node.ts';
import { resolveChordSettings, type ChordSettings } from './chord-settings.ts';

/**
 * The chord algorithm as a registry entry (STYLE.md example 5): settings now, dependencies when
 * the app builds the layer. Settings are checked here, so that a bad configuration fails at
 * start-up rather than when the first node is built.
 *
 * ```ts
 * registry.register('identity', 'chord', chord({ refreshMs: 60_000 }));
 * ```
 */
export function chord(settings: ChordSettings = {}): OverlayFactory {
  resolveChordSettings(settings);
  return (components) => new ChordNode(components, settings);
}
