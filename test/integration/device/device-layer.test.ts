import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceLayer } from '../../../src-main/app/device/index.ts';
import type { DeviceForm } from '../../../src-main/app/device/index.ts';
import { Autopilot } from '../../../src-main/app/identity/autopilot.ts';
import { LabNetwork } from '../../../src-main/app/lab/lab-network.ts';
import type { JoinedMember } from '../../../src-main/app/lab/lab-network.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';

const REFRESH_MS = 1000;
const FORMS: DeviceForm[] = ['server', 'desktop', 'desktop', 'mobile', 'mobile'];

/**
 * The device layer on five real peers: each describes itself (public or behind NAT, desktop or
 * mobile, uptime, bandwidth) in an overlay of its own, `device/onehop`, and any peer reads any
 * other's profile. The identity layer's autopilot reads them: a network small enough for one-hop
 * stays on Chord while two of its five devices are mobile, and moves once they are gone.
 */
describe('the device layer', () => {
  const network = LabNetwork.create({ refreshMs: REFRESH_MS, hopTimeoutMs: 500 });
  let members: JoinedMember[];
  const devices: DeviceLayer[] = [];

  beforeAll(async () => {
    const accounts = await network.startLoginServer(FORMS.length);
    for (const [i, account] of accounts.entries()) {
      const member = await network.addPeer(account);
      await network.generateKey(member);
      const joined = await network.join(member);
      devices.push(
        await DeviceLayer.join(joined.node, {
          form: FORMS[i]!,
          reachability: i === 0 ? 'public' : 'nat',
          refreshMs: REFRESH_MS,
          hopTimeoutMs: 500,
        }),
      );
    }
    members = network.up();
  }, 90_000);

  afterAll(() => network.stop());

  it("every device is a member of the device overlay, and reads every other's profile", async () => {
    const known = await waitUntil(() => devices.every((d) => d.members().length === FORMS.length), {
      timeoutMs: 20_000,
      pollMs: 100,
    });
    expect(known).toBe(true);
    const profiles = await devices[4]!.profiles();
    expect(profiles.map((p) => p.nodeId).sort()).toEqual(members.map((m) => m.node.identity.nodeId).sort());
    const server = profiles.find((p) => p.nodeId === members[0]!.node.identity.nodeId)!;
    expect(server).toMatchObject({
      form: 'server',
      reachability: 'public',
      bandwidthKbps: 2000,
      url: members[0]!.node.uri,
    });
    expect(server.uptimeS).toBeGreaterThanOrEqual(0);
    expect(profiles.filter((p) => p.form === 'mobile')).toHaveLength(2);
    expect(profiles.filter((p) => p.form === 'mobile').every((p) => p.bandwidthKbps === 512)).toBe(true);
  });

  it('the identity autopilot keeps Chord while two of five devices are mobile, and moves to one-hop once they are gone', async () => {
    const operator = members[0]!;
    const pilot = new Autopilot(operator.layer!, network.loginServer, {
      policy: { shrinkAt: 10, growAt: 20, churnAt: 1_000_000, constrainedAt: 0.3, dwellMs: 0 },
      periodMs: REFRESH_MS,
      retireAfterMs: 8 * REFRESH_MS,
      devices: devices[0],
    });
    // The operator sees every profile (each is one hop away, once its owner's put has landed).
    let seen = 0;
    for (const deadline = Date.now() + 20_000; seen < FORMS.length && Date.now() < deadline;) {
      seen = (await devices[0]!.profiles()).length;
      if (seen < FORMS.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen).toBe(FORMS.length);
    const first = await pilot.look();
    expect(first.shape).toMatchObject({ algorithm: 'chord', peers: 5, constrained: 0.4 });
    expect(first.switched).toBeUndefined();

    for (const mobile of members.slice(3)) network.kill(mobile);
    // Their profiles expire (three refresh periods) and the device overlay drops them.
    const calm = await waitUntil(() => devices[0]!.members().length === 3, {
      timeoutMs: 30_000,
      pollMs: 100,
    });
    expect(calm).toBe(true);
    let decision = await pilot.look();
    for (let i = 0; i < 20 && !decision.switched; i++) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
      decision = await pilot.look();
    }
    expect(decision).toMatchObject({ shape: { algorithm: 'chord', constrained: 0 }, switched: 'onehop' });
    const moved = await waitUntil(
      () => network.up().every((m) => m.layer!.active.algorithm === 'onehop' && !m.layer!.phase.switching),
      { timeoutMs: 60_000, pollMs: 50 },
    );
    expect(moved).toBe(true);
  }, 120_000);
});
