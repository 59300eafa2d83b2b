import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabNetwork } from '../../../src-main/app/lab/lab-network.ts';
import type { JoinedMember, LabAccount } from '../../../src-main/app/lab/lab-network.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import { orderSwitch } from '../../../src-main/app/identity/order-switch.ts';

const REFRESH_MS = 1000;

/**
 * Peers that were not there when the identity layer switched still end up on the algorithm the
 * network runs: one that logs in afterwards is told by the login server (CertificateIssued names
 * each switched layer's algorithm and epoch, kept in its database), and one that missed the
 * flood is sent the announcement by the first switched peer it speaks to in the old algorithm.
 */
describe('peers that were not there for a switch', () => {
  const network = LabNetwork.create({ refreshMs: REFRESH_MS, hopTimeoutMs: 500 });
  let accounts: LabAccount[];
  let members: JoinedMember[];
  let deaf: JoinedMember;

  beforeAll(async () => {
    accounts = await network.startLoginServer(7);
    for (const account of accounts.slice(0, 6)) {
      const member = await network.addPeer(account);
      await network.generateKey(member);
      await network.join(member);
    }
    members = network.up();
    deaf = members[5];
  }, 90_000);

  afterAll(() => network.stop());

  const steadyOn = (algorithm: string, who: readonly JoinedMember[]) =>
    who.every((m) => m.layer!.active.algorithm === algorithm && !m.layer!.phase.switching);

  it('a peer that missed the flood is told by the first switched peer it reaches in the old algorithm', async () => {
    // The deaf peer turns every announcement away (as if it were unreachable) until the others
    // have retired chord; then it hears again.
    const layer = deaf.layer!;
    const receive = layer.receive.bind(layer);
    let refused = 0;
    layer.receive = async () => {
      refused++;
      return { ok: false, status: 503, reason: 'Service Unavailable: deaf for this test' };
    };
    const seed = members[0];
    const { reply } = await orderSwitch(
      network.loginServer,
      {
        layer: 'identity',
        algorithm: 'onehop',
        seed: seed.layer!.active.self,
        retireAfterMs: 8 * REFRESH_MS,
      },
      (announcement) => seed.layer!.announce(announcement),
    );
    expect(reply.ok).toBe(true);
    const others = members.filter((m) => m !== deaf);
    expect(await waitUntil(() => steadyOn('onehop', others), { timeoutMs: 60_000, pollMs: 50 })).toBe(true);
    expect(refused).toBeGreaterThan(0);
    expect(deaf.layer!.active.algorithm).toBe('chord');
    layer.receive = receive;

    // Its next chord refresh reaches peers that retired chord: they answer 404 and send it the
    // announcement, which it now takes.
    expect(await waitUntil(() => steadyOn('onehop', [deaf]), { timeoutMs: 60_000, pollMs: 50 })).toBe(true);
    expect(deaf.layer!.epoch).toBe(1);
    for (const m of others) {
      const found = await deaf.layer!.get(m.aor);
      expect(found.map((b) => b.nodeId)).toContain(m.node.identity.nodeId);
      const back = await m.layer!.get(deaf.aor);
      expect(back.map((b) => b.nodeId)).toContain(deaf.node.identity.nodeId);
    }
  }, 150_000);

  it('a peer that logs in after the switch joins onehop at the epoch the login server recorded', async () => {
    expect(network.loginServer.layerStates()).toEqual([{ layer: 'identity', algorithm: 'onehop', epoch: 1 }]);
    const newcomer = await network.addPeer(accounts[6]);
    await network.generateKey(newcomer);
    const joined = await network.join(newcomer);

    expect(joined.node.layers).toEqual([{ layer: 'identity', algorithm: 'onehop', epoch: 1 }]);
    expect(joined.layer!.active.algorithm).toBe('onehop');
    expect(joined.layer!.epoch).toBe(1);
    const everyone = network.up();
    expect(everyone).toHaveLength(7);
    // It is a member of the overlay that runs: it finds everyone, and everyone finds it.
    for (const m of everyone.filter((m) => m !== joined)) {
      const found = await joined.layer!.get(m.aor);
      expect(found.map((b) => b.nodeId)).toContain(m.node.identity.nodeId);
    }
    let seen = false;
    for (const deadline = Date.now() + 20_000; !seen && Date.now() < deadline;) {
      const found = await Promise.all(everyone.map((m) => m.layer!.get(joined.aor)));
      seen = found.every((bindings) => bindings.some((b) => b.nodeId === joined.node.identity.nodeId));
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen).toBe(true);
  }, 60_000);
});
