import { P2pXmlError, excerpt } from '../p2p-xml-error.ts';

/**
 * Presence layer: what a device says of its user (`online`, `offline`), and what a rendezvous
 * node can say of an AOR, which adds `unknown`: it took the AOR's key over less than a refresh
 * period ago and no device has published to it yet. **[not in the paper]**
 */
export type PresenceStatus = 'online' | 'offline' | 'unknown';

const STATUSES: readonly PresenceStatus[] = ['online', 'offline', 'unknown'];

export function checkPresenceStatus<S extends PresenceStatus>(
  value: string,
  path: string,
  allowed: readonly S[] = STATUSES as readonly S[],
): S {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new P2pXmlError(`${path} must be one of ${allowed.join(', ')}, got ${excerpt(value)}`);
  }
  return value as S;
}
