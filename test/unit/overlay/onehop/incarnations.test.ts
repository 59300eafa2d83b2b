import { describe, expect, it } from 'vitest';

import { memberIds, periodsUntilComplete, problems, simulation } from './story.ts';

describe('news about members is ordered by incarnation (SWIM)', () => {
  it('a late message from a node that left does not bring it back, directly or through others', async () => {
    const sim = simulation({}, { seed: 31 });
    const [alice, bob, carol, dave] = await sim.grow(4);
    const daveBefore = (alice.state().tables.members as Array<{ id: string; incarnation: number }>).find(
      (m) => m.id === dave!.self.id,
    )!;
    // A Gossip Dave sent before leaving, still on its way.
    const stale = {
      kind: 'Gossip',
      digest: String(dave!.state().tables.digest),
      alive: [{ id: dave!.self.id, url: dave!.self.url, incarnation: daveBefore.incarnation }],
      failed: [],
      left: [],
    };
    await sim.leave(dave!);
    expect(problems(sim)).toEqual([]);

    // It arrives at Alice after the leave...
    expect(await alice!.receive(dave!.self, stale)).toMatchObject({ ok: true });
    // ...and Bob passes the same old news on to Carol.
    expect(await carol!.receive(bob!.self, stale)).toMatchObject({ ok: true });
    for (const node of [alice!, bob!, carol!]) expect(memberIds(node)).not.toContain(dave!.self.id);
    await sim.advance(5_000);
    expect(problems(sim)).toEqual([]);
    expect(alice!.state().tables.left).toContain(dave!.self.id);
  });

  it('a node wrongly declared failed (cut off for a while) refutes it with a higher incarnation and is back', async () => {
    const sim = simulation({}, { seed: 32 });
    const nodes = await sim.grow(6);
    const erin = nodes[3]!;
    const before = erin.state().tables.incarnation as number;
    sim.network.partition(
      [erin.self.url],
      nodes.filter((n) => n !== erin).map((n) => n.self.url),
    );
    await sim.advance(4_000);
    // Everyone else has declared Erin failed; Erin has declared everyone failed.
    for (const n of nodes) if (n !== erin) expect(memberIds(n)).not.toContain(erin.self.id);
    sim.network.heal();
    // Erin, alone in her view, probes nobody: she rejoins (the app does when it finds itself alone).
    await sim.run(erin.leave());
    await sim.run(erin.join([nodes[0]!.self]));
    expect(erin.state().tables.incarnation as number).toBeGreaterThan(before);
    expect(await periodsUntilComplete(sim, 4)).toBeLessThanOrEqual(4);
  });

  it('a suspicion that reaches the node itself is refuted: its incarnation rises and the news spreads', async () => {
    const sim = simulation({}, { seed: 33 });
    const [alice, bob, carol] = await sim.grow(3);
    const incarnation = bob!.state().tables.incarnation as number;
    const rumour = {
      kind: 'Gossip',
      digest: String(alice!.state().tables.digest),
      alive: [],
      failed: [{ id: bob!.self.id, url: bob!.self.url, incarnation }],
      left: [],
    };
    // Alice hears the rumour (from Carol, say) and drops Bob...
    await alice!.receive(carol!.self, rumour);
    expect(memberIds(alice!)).not.toContain(bob!.self.id);
    // ...Bob hears it too, and refutes.
    await bob!.receive(carol!.self, rumour);
    expect(bob!.state().tables.incarnation as number).toBeGreaterThan(incarnation);
    expect(await periodsUntilComplete(sim, 3)).toBeLessThanOrEqual(3);
    expect(memberIds(alice!)).toContain(bob!.self.id);
  });

  it('a restarted node (same NodeID, new run) rejoins above its old incarnation', async () => {
    const sim = simulation({}, { seed: 34 });
    const nodes = await sim.grow(5);
    const frank = nodes[2]!;
    const old = frank.state().tables.incarnation as number;
    await sim.crash(frank);
    await sim.advance(3_000);
    // The same key comes back at the same address (index 2), as a new process.
    const again = await sim.add(2);
    await sim.joinNode(again, [nodes[0]!.self]);
    expect(again.state().tables.incarnation as number).toBeGreaterThan(old);
    expect(problems(sim)).toEqual([]);
  });
});
