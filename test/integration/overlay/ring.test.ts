import { afterEach, describe, expect, it } from 'vitest';
import { joinIdentityLayer, identityAlgorithms } from '../../../src-main/app/identity-layer.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { startPeers } from '../../helpers/peers.ts';

type Peers = Awaited<ReturnType<typeof startPeers>>;

/** The identity overlay over real UDP: every Chord message a signed REGISTER (paper, Figure 3). */
describe('the Chord ring over SIP', () => {
  let net: Peers;
  afterEach(() => net?.stop());

  async function ring(names: string[]): Promise<Array<{ node: PeerNode; overlay: Overlay }>> {
    net = await startPeers(names);
    const registry = identityAlgorithms({ refreshMs: 500, hopTimeoutMs: 500 });
    const members: Array<{ node: PeerNode; overlay: Overlay }> = [];
    for (const name of names) {
      const node = await net.peer(name);
      const overlay = await joinIdentityLayer(node, { registry });
      members.push({ node, overlay });
    }
    return members;
  }

  it('three peers that log in one after another form a correct ring', async () => {
    const members = await ring(['alice', 'bob', 'carol']);
    await expect
      .poll(
        () =>
          checkRing(
            members.map((m) => m.overlay.state()),
            { successors: 4 },
          ).length,
        { timeout: 10_000 },
      )
      .toBe(0);
  });
});
