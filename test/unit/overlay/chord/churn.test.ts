import { describe, expect, it } from 'vitest';

import type { Binding } from '../../../../src-main/overlay/overlay.ts';
import { device, missing, periodsUntilCorrect, register, simulation } from './story.ts';

describe('a ring under churn on a bad network', () => {
  it('with 5% loss, 2% duplication and jittered delay, stays correct through joins and crashes and loses no binding', async () => {
    const sim = simulation(
      {},
      { seed: 31, network: { loss: 0.05, duplication: 0.02, delayMs: 5, jitterMs: 20 } },
    );
    await sim.grow(30);
    await periodsUntilCorrect(sim, 10);
    const bindings: Binding[] = Array.from({ length: 60 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);

    // 150 steps of 300 ms: nodes join, nodes crash without a word, users register meanwhile.
    let joins = 0;
    let crashes = 0;
    for (let step = 0; step < 150; step++) {
      const dice = sim.random.next();
      if (dice < 0.3) {
        await sim.grow(sim.live().length + 1);
        joins++;
      } else if (dice < 0.5 && sim.live().length > 20) {
        await sim.crash(sim.pick());
        crashes++;
      } else {
        const binding = device(1_000 + step, sim.clock.now());
        await register(sim, [binding]);
        bindings.push(binding);
      }
      await sim.advance(300);
    }
    expect(joins).toBeGreaterThan(30);
    expect(crashes).toBeGreaterThan(20);
    expect(sim.network.stats.dropped).toBeGreaterThan(1_000);
    expect(sim.network.stats.duplicated).toBeGreaterThan(100);

    // Churn stops (the network stays bad): the ring converges, and every registration is there.
    const periods = await periodsUntilCorrect(sim, 12);
    expect(periods).toBeLessThanOrEqual(12);
    expect(await missing(sim, bindings)).toEqual([]);
    expect(sim.states().every((s) => !('lastRefreshError' in s.tables))).toBe(true);
  }, 60_000);
});
