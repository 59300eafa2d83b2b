import { identityAlgorithms, joinIdentityLayer } from '../../src-main/app/identity-layer.ts';
import { waitUntil } from '../../src-main/app/lab/wait-until.ts';
import type { PeerNode } from '../../src-main/app/peer-node.ts';
import { checkRing } from '../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../src-main/overlay/overlay.ts';
import type { startPeers } from './peers.ts';

/** A peer of a test ring: its user name, its node and its identity overlay. */
export type Member = { name: string; node: PeerNode; overlay: Overlay };

/**
 * Logs `names` in on `net` one after the other, each joining the Chord identity layer with fast
 * timers (0.4 s refresh and hop timeout), and resolves once every table of the ring is right.
 */
export async function joinRingMembers(
  net: Awaited<ReturnType<typeof startPeers>>,
  names: readonly string[],
): Promise<Member[]> {
  const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
  const members: Member[] = [];
  for (const name of names) {
    const node = await net.peer(name);
    members.push({ name, node, overlay: await joinIdentityLayer(node, { registry }) });
  }
  const formed = await waitUntil(
    () =>
      checkRing(
        members.map((m) => m.overlay.state()),
        { successors: 4 },
      ).length === 0,
    { timeoutMs: 25_000, pollMs: 250 },
  );
  if (!formed) throw new Error(`the ring of ${names.length} did not form in 25 s`);
  return members;
}
