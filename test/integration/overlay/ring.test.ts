import { afterEach, describe, expect, it } from 'vitest';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { checkRing, idOf, idealRing } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import { startPeers } from '../../helpers/peers.ts';

type Peers = Awaited<ReturnType<typeof startPeers>>;
type Member = { node: PeerNode; overlay: Overlay };

/**
 * The identity overlay over real UDP on 127.0.0.1: every Chord message is a signed REGISTER
 * (paper, Figure 3), every node a real PeerNode that logged in to a real login server.
 */
describe('the Chord ring over SIP', () => {
  let net: Peers;
  afterEach(() => net?.stop());

  async function ring(count: number): Promise<Member[]> {
    const names = Array.from({ length: count }, (_, i) => `user${i}`);
    net = await startPeers(names);
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    const members: Member[] = [];
    for (const name of names) {
      const node = await net.peer(name);
      members.push({ node, overlay: await joinIdentityLayer(node, { registry }) });
    }
    return members;
  }

  const correct = (members: Member[]) =>
    checkRing(
      members.map((m) => m.overlay.state()),
      { successors: 4 },
    );

  it('two peers form a ring: each is the other successor and predecessor', async () => {
    const members = await ring(2);
    await expect.poll(() => correct(members), { timeout: 10_000 }).toEqual([]);
  });

  it('three peers form the same ring whatever the join order', async () => {
    const names = ['ann', 'ben', 'cat'];
    net = await startPeers(names);
    const nodes = await Promise.all(names.map((n) => net.peer(n)));
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    // Each node in turn is the first, and joins through a different one each time.
    for (const order of [
      [0, 1, 2],
      [2, 0, 1],
      [1, 2, 0],
    ]) {
      const members: Member[] = [];
      for (const i of order) {
        const node = nodes[i];
        const overlay = await node.host(
          { layer: 'identity', algorithm: 'chord' },
          registry.factory('identity', 'chord'),
        );
        if (members.length === 0) await overlay.create();
        else await overlay.join([members[members.length - 1].overlay.self]);
        members.push({ node, overlay });
      }
      await expect.poll(() => correct(members), { timeout: 10_000, interval: 100 }).toEqual([]);
      for (const m of members) await m.overlay.stop();
    }
  }, 60_000);

  it('thirty peers joining one after another converge to the ring the sorted NodeIDs describe', async () => {
    const members = await ring(30);
    await expect.poll(() => correct(members), { timeout: 25_000, interval: 250 }).toEqual([]);

    // Every node finds the right owner of random keys.
    const ideal = idealRing(
      members.map((m) => m.overlay.self.id),
      { successors: 1 },
    );
    const ownerOf = (key: string) => {
      const sorted = [...ideal.keys()].sort();
      return sorted.find((id) => id >= key) ?? sorted[0];
    };
    let lookups = 0;
    for (const [i, m] of members.entries()) {
      for (let k = 0; k < 5; k++) {
        const key = idOf(`key ${i} ${k}`);
        const result = await m.overlay.route(key);
        expect(result.owner.id).toBe(ownerOf(key));
        lookups++;
      }
    }
    expect(lookups).toBe(150);
  }, 60_000);

  it('when a third of the peers are killed with no warning, the ring heals and no registration is lost', async () => {
    const members = await ring(15);
    await expect.poll(() => correct(members), { timeout: 25_000, interval: 250 }).toEqual([]);
    // Every device registered its binding at the node responsible for SHA-1(its AOR).
    for (const m of members) expect(await m.overlay.get(m.node.identity.aor)).toHaveLength(1);

    const killed = members.filter((_, i) => i % 3 === 1);
    const survivors = members.filter((_, i) => i % 3 !== 1);
    for (const k of killed) k.node.stop(); // kill: no Leave, the socket just goes away
    await expect.poll(() => correct(survivors), { timeout: 30_000, interval: 250 }).toEqual([]);

    // The survivors' registrations are all still found, from any survivor.
    let found = 0;
    for (const m of survivors) {
      const asker = survivors[(survivors.indexOf(m) + 3) % survivors.length];
      if ((await asker.overlay.get(m.node.identity.aor)).length === 1) found++;
    }
    expect(found).toBe(survivors.length);

    // Calls still complete: each survivor calls the next one, through the healed ring.
    for (const m of survivors) m.node.calls.onIncoming = (call) => call.answer(placeholderSdp('127.0.0.1'));
    const outcomes: number[] = [];
    for (const [i, m] of survivors.entries()) {
      const callee = survivors[(i + 5) % survivors.length];
      const call = m.node.dial(callee.node.identity.aor, { sdp: placeholderSdp('127.0.0.1') });
      outcomes.push((await call.answered) ? 200 : (await call.ended).status);
      call.hangup();
    }
    expect(outcomes).toEqual(survivors.map(() => 200));
  }, 90_000);

  it('a peer that leaves gracefully hands its bindings over: its neighbours relink at once', async () => {
    const members = await ring(6);
    await expect.poll(() => correct(members), { timeout: 20_000, interval: 250 }).toEqual([]);
    const leaving = members[2];
    await leaving.node.leave();
    const rest = members.filter((m) => m !== leaving);
    await expect.poll(() => correct(rest), { timeout: 20_000, interval: 250 }).toEqual([]);
    for (const m of rest) expect(await m.overlay.get(m.node.identity.aor)).toHaveLength(1);
  }, 60_000);
});
