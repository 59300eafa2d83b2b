import { describe, expect, it } from 'vitest';

import type { NodeRef } from '../../../../src-main/overlay/overlay.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import {
  device,
  missing,
  ownerOf,
  periodsUntilCorrect,
  register,
  ringLinksRight,
  simulation,
  sorted,
} from './story.ts';

/** The longest run of consecutive dead nodes around the ring. */
function longestRun(ring: readonly { self: NodeRef }[], dead: ReadonlySet<string>): number {
  let longest = 0;
  let run = 0;
  for (let k = 0; k < 2 * ring.length; k++) {
    run = dead.has(ring[k % ring.length].self.id) ? run + 1 : 0;
    longest = Math.max(longest, Math.min(run, ring.length));
  }
  return longest;
}

describe('many nodes failing at once', () => {
  it('a third of 60 nodes crash: the ring heals within a few refresh periods and no binding is lost', async () => {
    // r = 6 ≈ log2(60), as Chord sizes its successor list; bindings on the owner and 5 successors.
    const settings = { successors: 6, replicas: 5 };
    const failed: string[] = [];
    const sim = simulation(settings, {
      seed: 41,
      delegate: () => ({ onNodeFailed: (node) => failed.push(node.id) }),
    });
    await sim.grow(60);
    await periodsUntilCorrect(sim, 12, settings);
    const bindings = Array.from({ length: 300 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);

    const ring = sorted(sim);
    const victims = sim.random.shuffle(ring).slice(0, 20);
    const dead = new Set(victims.map((node) => node.self.id));
    // What the guarantee rests on: fewer than r (and than replicas + 1) consecutive nodes died.
    const run = longestRun(ring, dead);
    expect(run).toBeGreaterThanOrEqual(2);
    expect(run).toBeLessThan(settings.replicas + 1);
    for (const node of victims) await sim.crash(node);

    // Detection takes `failures` (2) periods, so the ring itself (every predecessor and
    // successor) is whole again a period or two later. The successor lists need up to r more
    // periods to refill from the nodes ahead, and the fingers a cycle of fixFingers.
    let ringWhole = 0;
    while (!ringLinksRight(sim, settings) && ringWhole < 10) {
      await sim.advance(1_000);
      ringWhole++;
    }
    const periods = ringWhole + (await periodsUntilCorrect(sim, 10, settings));
    expect(ringWhole).toBeGreaterThanOrEqual(2);
    expect(ringWhole).toBeLessThanOrEqual(4);
    expect(periods).toBeLessThanOrEqual(2 + settings.successors + 2);
    expect(await missing(sim, bindings)).toEqual([]);
    // The survivors reported the dead upward (each dead node by at least one neighbour), and
    // only the dead.
    expect(new Set(failed)).toEqual(dead);
  }, 60_000);

  it('r - 1 consecutive nodes crash with the default settings: nothing is lost', async () => {
    const sim = simulation({}, { seed: 42 });
    await sim.grow(30);
    await periodsUntilCorrect(sim, 8);
    const bindings = Array.from({ length: 150 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    const ring = sorted(sim);
    const start = ring.findIndex((node) => node.state().bindings > 0);
    for (let k = 0; k < 3; k++) await sim.crash(ring[(start + k) % ring.length]);

    expect(await periodsUntilCorrect(sim, 8)).toBeLessThanOrEqual(8);
    expect(await missing(sim, bindings)).toEqual([]);
  });

  it('a get finds the binding on a replica while the owner’s crash is not yet noticed', async () => {
    const sim = simulation({}, { seed: 43 });
    await sim.grow(20);
    await periodsUntilCorrect(sim, 6);
    const bob = device(7, sim.clock.now(), 'bob');
    await register(sim, [bob]);
    const owner = ownerOf(sim, idOf(bob.aor));
    expect(owner.state().bindings).toBe(1);
    await sim.crash(owner);

    const alice = sim.live().find((node) => node.state().tables.predecessor !== null)!;
    const found = await sim.run(alice.get(bob.aor));
    expect(found).toEqual([bob]);
    // Nobody dropped the owner yet: the ring is still the old one.
    expect(
      sim.live().some((n) => (n.state().tables.predecessor as NodeRef | null)?.id === owner.self.id),
    ).toBe(true);
  });
});
