import { aorKey } from '../../overlay/overlay.ts';
import type { Id } from '../../overlay/overlay.ts';

/**
 * Where an AOR's presence lives in the presence overlay: SHA-1("presence:" + AOR), AOR in
 * lowercase. Not SHA-1(AOR), so that even an overlay shared with the identity layer would put a
 * user's presence on another node than the user's bindings.
 */
export function presenceKey(aor: string): Id {
  return aorKey(`presence:${normalAor(aor)}`);
}

/** AORs compare without case, as the phone's contact book does. */
export function normalAor(aor: string): string {
  return aor.toLowerCase();
}
