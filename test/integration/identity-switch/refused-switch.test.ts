import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '../../../src-main/keystore/index.ts';
import { LabNetwork } from '../../../src-main/app/lab/lab-network.ts';
import type { JoinedMember } from '../../../src-main/app/lab/lab-network.ts';
import { issueSwitchAnnouncement } from '../../../src-main/app/identity/switch-authority.ts';

/**
 * Only the operator can switch a layer. Over real UDP, in signed REGISTERs, a peer that sends
 * its neighbour an announcement the login server's CA did not sign is told why, and nothing
 * changes: the layer keeps its algorithm and its epoch.
 */
describe('a switch announcement the CA did not sign', () => {
  const network = LabNetwork.create({ refreshMs: 1000, hopTimeoutMs: 500 });
  let alice: JoinedMember;
  let bob: JoinedMember;

  beforeAll(async () => {
    const accounts = await network.startLoginServer(3);
    for (const account of accounts) {
      const member = await network.addPeer(account);
      await network.generateKey(member);
      await network.join(member);
    }
    [alice, bob] = network.up();
  }, 60_000);

  afterAll(() => network.stop());

  const send = (message: Parameters<JoinedMember['node']['sendLayerMessage']>[2]) =>
    alice.node.sendLayerMessage({ layer: 'identity', algorithm: 'chord' }, bob.layer!.active.self, message);

  it('is refused with 403 when unsigned, and the layer keeps chord', async () => {
    const genuine = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'onehop', epoch: 1, seed: alice.layer!.active.self },
      network.loginServer.context.ca.key,
    );
    const reply = await send({ ...genuine, authority: '' });
    expect(reply).toEqual({
      ok: false,
      status: 403,
      reason: "Forbidden: the switch announcement is not signed by this network's CA",
    });
    expect(bob.layer!.active.algorithm).toBe('chord');
    expect(bob.layer!.epoch).toBe(0);
    expect(bob.layer!.phase.switching).toBe(false);
  });

  it("is refused with 403 when signed by a key other than the CA's, and the layer keeps chord", async () => {
    const impostor = await createCertificateAuthority({ domain: 'lab.test' });
    const forged = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'onehop', epoch: 1, seed: alice.layer!.active.self },
      impostor.keyPem,
    );
    const reply = await send(forged);
    expect(reply).toMatchObject({ ok: false, status: 403 });
    expect(bob.layer!.active.algorithm).toBe('chord');
    expect(bob.layer!.epoch).toBe(0);
    expect(
      network.up().every((m) => m.layer!.active.algorithm === 'chord' && !m.layer!.phase.switching),
    ).toBe(true);
  });
});
