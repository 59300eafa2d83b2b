import { expect } from 'vitest';
import { identityAlgorithms, joinIdentity } from '../../../src-main/app/identity-layer.ts';
import type { IdentityLayer } from '../../../src-main/app/identity/identity-layer.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { joinPresenceLayer } from '../../../src-main/app/presence/index.ts';
import type { PresenceOverlay } from '../../../src-main/app/presence/index.ts';
import type { TraceEvent } from '../../../src-main/sip/index.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import type { OverlayFactory } from '../../../src-main/overlay/overlay.ts';
import type { startPeers } from '../../helpers/peers.ts';

/**
 * What the presence stories share: real peers (startPeers: a real login server, each PeerNode
 * on its own UDP socket), each in the identity layer and in the presence layer's own chord ring.
 */
export type PresencePeers = Awaited<ReturnType<typeof startPeers>>;

export interface PresenceMember {
  name: string;
  aor: string;
  node: PeerNode;
  /** Undefined for a peer that runs the presence layer alone. */
  identity: IdentityLayer | undefined;
  presence: PresenceOverlay;
}

export interface MemberOptions {
  /** The presence layer's refresh period; every deadline of a story counts periods of it. */
  periodMs: number;
  /**
   * The identity layer's algorithm, or none at all; default: the one the login server names
   * (chord until a switch was ordered there).
   */
  identity?: 'chord' | 'onehop' | 'none';
  /** The identity layer's refresh period (also its switch's pace); default 400 ms. */
  identityRefreshMs?: number;
  trace?: (event: TraceEvent) => void;
  /** Wraps the presence ring's algorithm (to count its lookups, say). */
  wrap?: (factory: OverlayFactory) => OverlayFactory;
}

/** Logs `name` in for real, then joins the identity layer (unless told not to) and the presence layer. */
export async function presenceMember(
  net: PresencePeers,
  name: string,
  options: MemberOptions,
): Promise<PresenceMember> {
  const node = await net.peer(name, options.trace);
  const algorithm = options.identity;
  const identityRefreshMs = options.identityRefreshMs ?? 400;
  const identity =
    algorithm === 'none'
      ? undefined
      : await joinIdentity(node, {
          ...(algorithm === undefined ? {} : { algorithm }),
          refreshMs: identityRefreshMs,
          registry: identityAlgorithms({ refreshMs: identityRefreshMs, hopTimeoutMs: 400 }),
        });
  const presence = await joinPresenceLayer(node, {
    settings: { refreshMs: options.periodMs, hopTimeoutMs: 500 },
    ...(options.wrap ? { wrap: options.wrap } : {}),
    onError: (e) => process.env.PRESENCE_DEBUG && console.log(name, (e as Error).message),
  });
  return { name, aor: node.identity.aor, node, identity, presence };
}

/** Waits until the presence ring of `members` is the ideal one (successors and predecessors). */
export async function presenceRingFormed(members: readonly PresenceMember[]): Promise<boolean> {
  return waitUntil(
    () =>
      checkRing(
        members.map((m) => m.presence.state()),
        { successors: 4 },
      ).length === 0,
    { timeoutMs: 30_000, pollMs: 100 },
  );
}

/**
 * Waits (30 s at most) until `watcher` sees `aor` in `status`; returns how many refresh periods
 * had passed since `since` (performance.now(), default: the call).
 */
export async function periodsUntil(
  watcher: PresenceMember,
  aor: string,
  status: 'online' | 'offline',
  periodMs: number,
  since = performance.now(),
): Promise<number> {
  const seen = await waitUntil(() => watcher.presence.watcher.of(aor)?.status === status, {
    timeoutMs: 30_000,
    pollMs: 20,
    onChange: (wake) => watcher.presence.watcher.onChange(wake),
  });
  expect(seen, `${watcher.name} sees ${aor} ${status}`).toBe(true);
  return (performance.now() - since) / periodMs;
}
