import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autopilot } from '../../../src-main/app/identity/autopilot.ts';
import { LabNetwork } from '../../../src-main/app/lab/lab-network.ts';
import type { JoinedMember, LabAccount } from '../../../src-main/app/lab/lab-network.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';

const REFRESH_MS = 1000;

/**
 * The network choosing its identity algorithm by itself: the operator's peer (the one beside the
 * login server) looks at the network's size and churn and orders the switch the policy asks for.
 * Thresholds scaled down to a lab: one-hop up to 4 peers, Chord from 7, nothing in between.
 */
describe('the autopilot of the identity layer', () => {
  const network = LabNetwork.create({ refreshMs: REFRESH_MS, hopTimeoutMs: 500 });
  let accounts: LabAccount[];
  let operator: JoinedMember;
  let pilot: Autopilot;

  const steadyOn = (algorithm: string) =>
    waitUntil(
      () => network.up().every((m) => m.layer!.active.algorithm === algorithm && !m.layer!.phase.switching),
      { timeoutMs: 60_000, pollMs: 50 },
    );
  const join = async (account: LabAccount) => {
    const member = await network.addPeer(account);
    await network.generateKey(member);
    return network.join(member);
  };

  beforeAll(async () => {
    accounts = await network.startLoginServer(8);
    for (const account of accounts.slice(0, 4)) await join(account);
    operator = network.up()[0];
    pilot = new Autopilot(operator.layer!, network.loginServer, {
      policy: { shrinkAt: 4, growAt: 7, churnAt: 1_000_000, constrainedAt: 1, dwellMs: 0 },
      periodMs: REFRESH_MS,
      retireAfterMs: 8 * REFRESH_MS,
    });
  }, 90_000);

  afterAll(() => network.stop());

  it('four peers on Chord: small, so it switches to one-hop', async () => {
    const decision = await pilot.look();
    expect(decision).toMatchObject({ shape: { algorithm: 'chord', peers: 4 }, switched: 'onehop' });
    expect(await steadyOn('onehop')).toBe(true);
  }, 90_000);

  it('six peers: inside the band, it stays', async () => {
    for (const account of accounts.slice(4, 6)) await join(account);
    expect(await steadyOn('onehop')).toBe(true);
    const decision = await pilot.look();
    expect(decision.shape).toMatchObject({ algorithm: 'onehop', peers: 6 });
    expect(decision.switched).toBeUndefined();
  }, 90_000);

  it('eight peers: large for this policy, so it switches back to Chord, and everyone follows', async () => {
    for (const account of accounts.slice(6, 8)) await join(account);
    // The newcomers joined one-hop, as the login server told them; the operator counts them.
    const counted = await waitUntil(() => pilot.shape().peers === 8, { timeoutMs: 30_000, pollMs: 100 });
    expect(counted).toBe(true);
    const decision = await pilot.look();
    expect(decision).toMatchObject({ shape: { algorithm: 'onehop', peers: 8 }, switched: 'chord' });
    expect(await steadyOn('chord')).toBe(true);
    expect(network.loginServer.layerStates()).toEqual([{ layer: 'identity', algorithm: 'chord', epoch: 2 }]);
    for (const m of network.up()) {
      const found = await operator.layer!.get(m.aor);
      expect(found.map((b) => b.nodeId)).toContain(m.node.identity.nodeId);
    }
  }, 120_000);
});
