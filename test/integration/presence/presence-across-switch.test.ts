import { afterEach, describe, expect, it } from 'vitest';
import { orderSwitch } from '../../../src-main/app/identity/order-switch.ts';
import { RETIRE_AFTER_PERIODS } from '../../../src-main/app/identity/switch-authority.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import { PRESENCE_CHORD } from '../../../src-main/overlay/xml/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { periodsUntil, presenceMember, presenceRingFormed } from './presence-peers.ts';
import type { PresenceMember, PresencePeers } from './presence-peers.ts';

/** The presence layer's refresh period; every presence deadline below counts periods of it. */
const PERIOD = 1000;
/** The identity layer's, which also paces its switch (RetireAfter counts periods of it). */
const IDENTITY_REFRESH_MS = 400;

/**
 * Issue 6: the identity layer switches its algorithm (chord → onehop) under a running presence
 * layer. Eight real peers, each logged in at a real login server, each on its own UDP socket with
 * every message a signed REGISTER; presence runs its own chord ring (docs/PROTOCOL.md section 11),
 * which the switch (section 10) must not touch.
 */
describe('presence across a switch of the identity layer', () => {
  let net: PresencePeers | undefined;
  afterEach(() => net?.stop());

  it("Ben's watchers hear within a refresh period that he came online and went offline, before and after the identity layer moves from chord to onehop; the switch itself tells them nothing", async () => {
    net = await startPeers(['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal']);
    const peers = net;
    const join = (name: string) =>
      presenceMember(peers, name, { periodMs: PERIOD, identityRefreshMs: IDENTITY_REFRESH_MS });
    const members: PresenceMember[] = [];
    for (const name of ['ann', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal']) members.push(await join(name));
    const [ann, , dan] = members as [PresenceMember, PresenceMember, PresenceMember];
    expect(await presenceRingFormed(members), 'the presence ring formed').toBe(true);

    // Everyone watches Ben, who is not on yet; Ann also watches everyone else.
    const ben = `sip:ben@${net.domain}`;
    for (const m of members) await m.presence.watcher.watch(ben);
    for (const m of members.slice(1)) await ann.presence.watcher.watch(m.aor);
    const everyone = (aor: string, status: 'online' | 'offline') =>
      members.every((m) => m.presence.watcher.of(aor)?.status === status);
    // Nobody published for Ben: his rendezvous node says offline after a settling period.
    expect(await waitUntil(() => everyone(ben, 'offline'), { timeoutMs: 30_000, pollMs: 50 })).toBe(true);
    for (const m of members.slice(1)) await periodsUntil(ann, m.aor, 'online', PERIOD);

    /** The slowest watcher, in periods, for each of Ben's comings and goings. */
    const slowest: Record<string, string> = {};
    /**
     * Ben comes online (his device has joined the presence layer), then goes offline (from the
     * moment he quits): every watcher hears each within a refresh period.
     */
    const benComesAndGoes = async (when: string, identity: 'chord' | 'onehop') => {
      const device = await join('ben');
      expect(device.identity!.active.algorithm, 'the identity algorithm Ben joins').toBe(identity);
      const joinedAt = performance.now();
      let worst = 0;
      for (const m of members) {
        const periods = await periodsUntil(m, ben, 'online', PERIOD, joinedAt);
        expect(periods, `${m.name}: Ben online`).toBeLessThanOrEqual(1);
        worst = Math.max(worst, periods);
      }
      slowest[`online ${when}`] = worst.toFixed(2);
      const leaving = performance.now();
      await device.node.leave();
      worst = 0;
      for (const m of members) {
        const periods = await periodsUntil(m, ben, 'offline', PERIOD, leaving);
        expect(periods, `${m.name}: Ben offline`).toBeLessThanOrEqual(1);
        worst = Math.max(worst, periods);
      }
      slowest[`offline ${when}`] = worst.toFixed(2);
    };

    await benComesAndGoes('before', 'chord');

    // The switch. First the rings as they stand, so that what the switch changes shows.
    expect(await presenceRingFormed(members), 'the presence ring without Ben').toBe(true);
    const identityFormed = await waitUntil(
      () =>
        checkRing(
          members.map((m) => m.identity!.active.state()),
          { successors: 4 },
        ).length === 0,
      { timeoutMs: 30_000, pollMs: 100 },
    );
    expect(identityFormed, 'the identity ring formed').toBe(true);
    const tables = (m: PresenceMember) => {
      const { successors, predecessor } = m.presence.state().tables as Record<string, unknown>;
      return { successors, predecessor };
    };
    const before = members.map(tables);
    const changes: string[] = [];
    for (const m of members) {
      m.presence.watcher.onChange((p) => changes.push(`${m.name} was told ${p.aor} is ${p.status}`));
    }

    // The operator's order at the login server (signed with its CA key, recorded there), handed to
    // Dan, the seed, as the operator's tool on his machine would; it floods from him over chord.
    // Every peer keeps the old overlay RETIRE_AFTER_PERIODS of this test's identity refresh.
    const { reply } = await orderSwitch(
      net.ls,
      {
        layer: 'identity',
        algorithm: 'onehop',
        seed: dan.identity!.active.self,
        retireAfterMs: RETIRE_AFTER_PERIODS * IDENTITY_REFRESH_MS,
      },
      (announcement) => dan.identity!.announce(announcement),
    );
    expect(reply).toEqual({ ok: true, message: { kind: 'Ack' } });
    const finished = (m: PresenceMember) =>
      m.identity!.phase.name === 'steady' && m.identity!.switches.some((s) => s.epoch === 1);
    await waitUntil(() => members.every(finished), { timeoutMs: 60_000, pollMs: 50 });
    expect(
      members.filter((m) => !finished(m)).map((m) => `${m.name}: ${m.identity!.phase.name}`),
      'peers still switching',
    ).toEqual([]);
    for (const m of members) {
      expect(m.identity!.switches, `${m.name}'s switch`).toEqual([
        expect.objectContaining({ epoch: 1, from: 'chord', to: 'onehop', outcome: 'done' }),
      ]);
      expect(m.identity!.active.algorithm).toBe('onehop');
    }

    // The presence layer did not notice: the same overlay, still chord, the same ring, and no
    // watcher was told anything while the switch ran.
    for (const m of members) {
      expect(m.node.overlay(PRESENCE_CHORD)).toBe(m.presence);
      expect(m.presence.state()).toMatchObject({ layer: 'presence', algorithm: 'chord', joined: true });
    }
    expect(members.map(tables)).toEqual(before);
    expect(changes).toEqual([]);
    expect(everyone(ben, 'offline')).toBe(true);
    for (const m of members.slice(1)) expect(ann.presence.watcher.of(m.aor)?.status).toBe('online');

    // After: Ben's next device logs in, is told by the login server that the identity layer runs
    // onehop now (docs/PROTOCOL.md section 10.4), and joins that.
    await benComesAndGoes('after', 'onehop');
    console.log('presence across the switch: slowest watcher, in refresh periods:', slowest);
    expect(
      changes.filter((c) => !c.endsWith(`${ben} is online`) && !c.endsWith(`${ben} is offline`)),
      'nobody else changed',
    ).toEqual([]);
  }, 180_000);
});
