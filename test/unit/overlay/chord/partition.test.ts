import { describe, expect, it } from 'vitest';

import { checkRing } from '../../../../src-main/overlay/chord/index.ts';
import type { Binding } from '../../../../src-main/overlay/overlay.ts';
import { device, missing, periodsUntilCorrect, register, simulation } from './story.ts';

describe('a network partition', () => {
  it('shorter than failure detection goes unnoticed', async () => {
    const sim = simulation({}, { seed: 91 });
    await sim.grow(16);
    await periodsUntilCorrect(sim, 6);
    const [left, right] = [sim.live().slice(0, 8), sim.live().slice(8)];
    sim.network.partition(
      left.map((n) => n.self.url),
      right.map((n) => n.self.url),
    );
    await sim.advance(1_000);
    sim.network.heal();
    expect(await periodsUntilCorrect(sim, 2)).toBeLessThanOrEqual(2);
  });

  it('longer than that splits the ring in two, which merge again after it heals, bindings and all', async () => {
    const sim = simulation({}, { seed: 92 });
    await sim.grow(20);
    await periodsUntilCorrect(sim, 6);
    const bindings: Binding[] = Array.from({ length: 40 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    const shuffled = sim.random.shuffle(sim.live());
    const [left, right] = [shuffled.slice(0, 10), shuffled.slice(10)];
    sim.network.partition(
      left.map((n) => n.self.url),
      right.map((n) => n.self.url),
    );

    await sim.advance(10_000);
    // Each side has declared the other dead and stabilized into a ring of its own...
    expect(
      checkRing(
        left.map((n) => n.state()),
        { successors: 4 },
      ),
    ).toEqual([]);
    expect(
      checkRing(
        right.map((n) => n.state()),
        { successors: 4 },
      ),
    ).toEqual([]);
    // ...where users go on registering.
    for (let i = 0; i < 20; i++) {
      const binding = device(100 + i, sim.clock.now());
      await sim.run((i % 2 ? left : right)[i % 10].put(binding));
      bindings.push(binding);
    }

    sim.network.heal();
    // A node declared dead is asked again once a period: the first answer joins the rings.
    expect(await periodsUntilCorrect(sim, 10)).toBeLessThanOrEqual(10);
    // Six periods after the merge, every node checks the bindings it holds against their owners.
    await sim.advance(8_000);
    expect(await missing(sim, bindings)).toEqual([]);
  });
});
