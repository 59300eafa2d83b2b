// The presence feature layer (issue 6; paper, section 2): its own overlay, pushed presence.

export { joinPresenceLayer, PRESENCE_LAYER } from './presence-layer.ts';
export type { PresenceLayerOptions } from './presence-layer.ts';
export { PresenceOverlay, presenceOver } from './presence-overlay.ts';
export type { PresenceDependencies } from './presence-overlay.ts';
export type { WatchedPresence } from './watcher.ts';
export { presenceKey } from './presence-key.ts';
export {
  PresenceRefusedError,
  RendezvousUnreachableError,
  UnexpectedPresenceReplyError,
} from './presence-errors.ts';
export { resolvePresenceSettings, InvalidPresenceSettingsError } from './presence-settings.ts';
export type { PresenceSettings } from './presence-settings.ts';
