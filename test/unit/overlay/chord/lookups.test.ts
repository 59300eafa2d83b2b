import { describe, expect, it } from 'vitest';

import { SortedRing } from '../../../../src-main/overlay/chord/check-ring.ts';
import { toId, toPosition } from '../../../../src-main/overlay/chord/ring.ts';
import type { SimRing } from '../../../../src-main/overlay/sim/sim-ring.ts';
import { periodsUntilCorrect, simulation } from './story.ts';

/** Every live node looks up every key; returns wrong owners and the hop counts. */
async function lookUpEverywhere(sim: SimRing, keys: string[]): Promise<{ wrong: number; hops: number[] }> {
  const ring = new SortedRing(sim.live().map((node) => node.self.id));
  const owner = (key: string) => toId(ring.positions[ring.successorIndex(toPosition(key))]);
  let wrong = 0;
  const hops: number[] = [];
  for (const node of sim.live()) {
    const results = await sim.run(Promise.all(keys.map((key) => node.route(key))));
    results.forEach((result, k) => {
      if (result.owner.id !== owner(keys[k])) wrong++;
      hops.push(result.hops);
      expect(result.path).toHaveLength(result.hops);
    });
  }
  return { wrong, hops };
}

describe('lookups in a settled ring', () => {
  it.each([
    { n: 30, seed: 11 },
    { n: 200, seed: 12 },
  ])(
    'from every one of $n nodes find the right owner of 1,000 random keys, in at most 1/2 log2(N) + 1 hops on average',
    async ({ n, seed }) => {
      const sim = simulation({}, { seed });
      await sim.grow(n);
      await periodsUntilCorrect(sim, 8);
      for (const node of sim.live()) await node.stop(); // no refresh traffic during the count
      const keys = Array.from({ length: 1_000 }, () => sim.random.id());

      const { wrong, hops } = await lookUpEverywhere(sim, keys);

      expect(wrong).toBe(0);
      expect(hops).toHaveLength(n * 1_000);
      const mean = hops.reduce((a, b) => a + b, 0) / hops.length;
      expect(mean).toBeLessThanOrEqual(0.5 * Math.log2(n) + 1);
      expect(hops.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
    },
    120_000,
  );

  it('names the nodes it asked, ending with the one that knew the owner', async () => {
    const sim = simulation({}, { seed: 13 });
    await sim.grow(50);
    await periodsUntilCorrect(sim, 8);
    const alice = sim.pick();
    let sawLongPath = false;
    for (let i = 0; i < 50; i++) {
      const key = sim.random.id();
      const { owner, hops, path } = await sim.run(alice.route(key));
      expect(path).toHaveLength(hops);
      expect(path.map((node) => node.id)).not.toContain(alice.self.id);
      if (hops >= 2) {
        sawLongPath = true;
        // Each hop gets closer: the path's ids approach the key clockwise from Alice.
        const distances = path.map(
          (node) => (toPosition(key) - toPosition(node.id) + (1n << 160n)) % (1n << 160n),
        );
        expect(distances).toEqual([...distances].sort((a, b) => (a > b ? -1 : 1)));
      }
      expect(owner.id).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(sawLongPath).toBe(true);
  });
});
