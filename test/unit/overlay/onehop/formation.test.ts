import { describe, expect, it } from 'vitest';

import { keys, misrouted, periodsUntilComplete, problems, simulation } from './story.ts';
import { asOneHop, memberIds } from './story.ts';

describe('a one-hop overlay forming', () => {
  it('two nodes: each knows the other at once, and each key has one owner for both', async () => {
    const sim = simulation({}, { seed: 1 });
    const [alice, bob] = await sim.grow(2);
    // No refresh has run: the join itself told everyone.
    expect(problems(sim)).toEqual([]);
    expect(memberIds(alice).sort()).toEqual([alice.self.id, bob.self.id].sort());
    expect(asOneHop(bob).joinState).toBe('joined');
    expect(await misrouted(sim, keys(50))).toEqual([]);
  });

  it('three nodes, whatever the join order and the bootstrap node', async () => {
    for (const [seed, order] of [
      [2, [0, 1, 2]],
      [3, [2, 0, 1]],
      [4, [1, 2, 0]],
    ] as const) {
      const sim = simulation({}, { seed });
      const first = await sim.create(order[0]);
      const second = await sim.join([first.self], order[1]);
      // The third asks the second, which may or may not be its successor.
      await sim.join([second.self], order[2]);
      expect(problems(sim)).toEqual([]);
      expect(await misrouted(sim, keys(60))).toEqual([]);
    }
  });

  it('thirty nodes joining through random members: complete tables, one hop to the right owner from everywhere', async () => {
    const sim = simulation({}, { seed: 5 });
    const before = sim.network.stats.requests;
    await sim.grow(30);
    const joinRequests = sim.network.stats.requests - before;
    expect(problems(sim)).toEqual([]);
    expect(await periodsUntilComplete(sim, 0)).toBe(0);
    expect(await misrouted(sim, keys(40))).toEqual([]);
    // A join costs its BootstrapRegRequest (and at most one forward) and one Gossip per member.
    expect(joinRequests).toBeLessThanOrEqual(29 * 2 + (29 * 30) / 2);
    // Settled: every node holds the same table.
    const digests = new Set(sim.states().map((s) => s.tables.digest));
    expect(digests.size).toBe(1);
  });

  it('idle traffic: each node sends two or three Gossips per refresh period, nothing else', async () => {
    const sim = simulation({}, { seed: 6 });
    await sim.grow(20);
    await sim.advance(3_000); // replication settles
    const before = new Map(sim.network.stats.byKind);
    await sim.advance(10_000);
    const sent = (kind: string) => (sim.network.stats.byKind.get(kind) ?? 0) - (before.get(kind) ?? 0);
    // successor + predecessor + one round-robin member, for 20 nodes and 10 periods.
    expect(sent('Gossip')).toBe(20 * 3 * 10);
    expect(sent('GetMembers') + sent('StoreBindings') + sent('BootstrapRegRequest')).toBe(0);
    expect(problems(sim)).toEqual([]);
  });
});
