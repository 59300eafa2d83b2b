import type { PresenceNotify } from './presence-notify.ts';
import type { PublishPresence } from './publish-presence.ts';
import type { SubscribePresence } from './subscribe-presence.ts';

/**
 * The presence feature layer's own messages (src-main/app/presence/, docs/PROTOCOL.md section
 * 11). They travel in the presence overlay's part, `<Overlay layer="presence" algorithm="chord">`,
 * beside the chord messages that keep the presence ring itself (message-table.ts).
 */
export type PresenceMessage = PublishPresence | SubscribePresence | PresenceNotify;
