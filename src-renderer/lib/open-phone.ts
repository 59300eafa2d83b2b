import type { PhoneApi } from '../../src-main/ipc/contract.ts';

/** What `openPhone` needs from its surroundings: the page, and the browser-mode carrier. */
export interface PhoneSurroundings {
  /** The Electron preload's bridge, when there is one. */
  chordline?: PhoneApi;
  location: Pick<Location, 'protocol' | 'host' | 'search'>;
  connectPhone(url: string): Promise<PhoneApi>;
}

/** Why the UI could not reach the phone's core (shown instead of the phone). */
export class PhoneUnreachableError extends Error {
  override name = 'PhoneUnreachableError';
}

/**
 * The renderer's one door to the core. It MUST NOT care which carrier it gets: in Electron the
 * sandboxed preload has put a `PhoneApi` on `window.chordline`; in browser mode the page was
 * served with `?token=...` and the same contract runs over a WebSocket at `/ipc?token=...`.
 */
export async function openPhone(surroundings: PhoneSurroundings): Promise<PhoneApi> {
  if (surroundings.chordline) return surroundings.chordline;
  return surroundings.connectPhone(phoneSocketUrl(surroundings.location));
}

/** `ws(s)://HOST/ipc?token=...` for the page at `location`. */
export function phoneSocketUrl(location: PhoneSurroundings['location']): string {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    throw new PhoneUnreachableError(
      'This address has no access token. Open the full address the phone printed when it started ' +
        '(it ends in ?token=...).',
    );
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ipc?token=${encodeURIComponent(token)}`;
}
