/**
 * What the page may ask of the browser: a phone needs the microphone (the voice issue), the
 * choice of speaker or headset ('speaker-selection': HTMLMediaElement.setSinkId and the speaker
 * names in enumerateDevices) and notifications, and may copy text (a NodeID, a fingerprint).
 * Everything else, the camera,
 * geolocation, screen capture, USB, MIDI…, is refused, as is any request from a page that is
 * not ours.
 */
import { isAppUrl, type AppOrigin } from './app-url.ts';

export interface PermissionAsk {
  permission: string;
  /** The URL or origin of the frame asking. */
  requestingUrl: string;
  /** For 'media': what is asked for (absent: unknown, so refused). */
  mediaTypes?: readonly string[];
  isMainFrame?: boolean;
}

const ALLOWED = new Set(['notifications', 'clipboard-sanitized-write', 'media', 'speaker-selection']);

export function permissionAllowed(ask: PermissionAsk, origin: AppOrigin): boolean {
  if (!ALLOWED.has(ask.permission)) return false;
  if (ask.isMainFrame === false) return false;
  if (!isAppUrl(ask.requestingUrl, origin)) return false;
  if (ask.permission === 'media') {
    // The microphone only: an empty or unknown list is not a microphone.
    return (
      ask.mediaTypes !== undefined && ask.mediaTypes.length > 0 && ask.mediaTypes.every((t) => t === 'audio')
    );
  }
  return true;
}
